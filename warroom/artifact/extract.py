"""Each column's own cheap extractor, run on every row once the columns are known.

No presidio here: a row costs a few dictionary look-ups and a regular expression or two."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from warroom.artifact.columns import Column, cell_text
from warroom.artifact.countries import countries
from warroom.artifact.recognizers import INSTITUTION_WORDS
from warroom.model import a_number as model_a_number

NOT_NAMES = {"TOTAL", "SUBTOTAL", "GRAND", "NONE", "NULL", "UNKNOWN", "REDACTED", "WITHHELD",
             "NA", "N/A", "TBD", "PENDING", "MALE", "FEMALE", "COUNT", "AVERAGE", "SUM"}
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%b %d, %Y",
                 "%B %d, %Y", "%d.%m.%Y", "%Y/%m/%d", "%m-%d-%Y", "%d %B %Y", "%Y%m%d")


def a_number(cell: Any) -> str | None:
    """Canonical 'A' + nine digits, or None (a spreadsheet may hold it as a number)."""
    if isinstance(cell, float):
        cell = int(cell) if cell.is_integer() else cell
    return model_a_number(cell)


def person_name(cell: Any) -> str | None:
    """A cleaned name, or None for what is not one (totals, numbers, institutions)."""
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    if "  " in text or "\t" in text or "\n" in text:
        text = " ".join(text.split())
    # letters, with spaces, commas, hyphens, apostrophes and periods between: str.isalpha
    # on what is left is one C call, many times faster than a Unicode regular expression
    letters = (text.replace(" ", "").replace(",", "").replace("-", "").replace("'", "")
               .replace(".", "").replace("’", ""))
    if not 2 <= len(text) <= 120 or not text[0].isalpha() or not letters.isalpha():
        return None
    upper = text.upper()
    if upper in NOT_NAMES or not INSTITUTION_WORDS.isdisjoint(
            upper.replace(",", " ").replace("-", " ").replace(".", " ").split()):
        return None
    return text


class Dates:
    """Birth dates from date cells, Excel serials and the common written forms, memoised."""

    def __init__(self) -> None:
        self.cache: dict[Any, str | None] = {}

    def __call__(self, cell: Any) -> str | None:
        if isinstance(cell, datetime):
            return cell.date().isoformat()
        if isinstance(cell, date):
            return cell.isoformat()
        try:
            return self.cache[cell]
        except (KeyError, TypeError):
            pass
        value = self._parse(cell)
        if len(self.cache) < 200_000:
            self.cache[cell] = value
        return value

    @staticmethod
    def _parse(cell: Any) -> str | None:
        if isinstance(cell, (int, float)) and 1 <= cell < 80_000:
            return (_EXCEL_EPOCH + timedelta(days=int(cell))).isoformat()
        text = cell_text(cell)
        if not text:
            return None
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            try:
                return date.fromisoformat(text[:10]).isoformat()
            except ValueError:
                return None
        if len(text) == 10 and text[2] == "/" and text[5] == "/":   # 11/19/1990, US style
            try:
                return date(int(text[6:]), int(text[:2]), int(text[3:5])).isoformat()
            except ValueError:
                pass
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if parsed.year > date.today().year:   # '%y' read 55 as 2055
                parsed = parsed.replace(year=parsed.year - 100)
            return parsed.isoformat()
        return None


class Nationalities:
    def __init__(self) -> None:
        self.table = countries()
        self.cache: dict[str, str | None] = {}

    def __call__(self, cell: Any) -> str | None:
        text = cell if isinstance(cell, str) else cell_text(cell)
        if not text:
            return None
        try:
            return self.cache[text]
        except KeyError:
            value = self.table.lookup(text)
            if len(self.cache) < 100_000:
                self.cache[text] = value
            return value


def facility(cell: Any) -> str | None:
    """A facility as written, trimmed."""
    return (cell.strip() if isinstance(cell, str) else cell_text(cell)) or None


def converters() -> dict[str, Callable[[Any], Any]]:
    """Each low-cardinality role's converter of one cell, fresh (they memoise): the one
    definition that RowReader applies to every cell and the columnar engine to each
    distinct value of a column (columnar.py)."""
    return {"birth_date": Dates(), "nationality": Nationalities(), "facility": facility}


class RowReader:
    """Turns one row into a person (a dict of fields) or None, by the column verdicts."""

    def __init__(self, columns: list[Column]) -> None:
        by_role: dict[str, int] = {}
        for c in columns:
            if c.role and c.role not in by_role:
                by_role[c.role] = c.index
        self.roles = by_role
        self.convert = converters()
        self.width = max(by_role.values(), default=-1) + 1
        self.indexes = tuple(by_role.get(role) for role in (
            "a_number", "full_name", "family_name", "given_names", "middle_names",
            "birth_date", "nationality", "facility"))

    @property
    def finds_people(self) -> bool:
        return bool({"a_number", "full_name", "family_name", "given_names"} & set(self.roles))

    def __call__(self, row: list[Any]) -> dict[str, Any] | None:
        if len(row) < self.width:
            row = list(row) + [None] * (self.width - len(row))
        i_a, i_full, i_family, i_given, i_middle, i_birth, i_nat, i_fac = self.indexes
        number = a_number(row[i_a]) if i_a is not None else None
        full = person_name(row[i_full]) if i_full is not None else None
        family = given = None
        if i_family is not None:
            family = person_name(row[i_family])
        if i_given is not None:
            given = person_name(row[i_given])
            if i_middle is not None and given and (middle := person_name(row[i_middle])):
                given = f"{given} {middle}"
        if full is None and (family or given):
            full = ", ".join(p for p in (family, given) if p)
        if not (number or full):
            return None
        person: dict[str, Any] = {"a_number": number, "full_name": full,
                                  "family_name": family, "given_names": given}
        convert = self.convert
        if i_birth is not None:
            person["birth_date"] = convert["birth_date"](row[i_birth])
        if i_nat is not None:
            person["nationality"] = convert["nationality"](row[i_nat])
        if i_fac is not None:
            person["facility"] = convert["facility"](row[i_fac])
        return person
