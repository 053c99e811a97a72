"""Each column's own cheap extractor, run on every row once the columns are known.

No presidio here: a row costs a few dictionary look-ups and a regular expression or two."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from warroom.artifact.columns import Column, cell_text
from warroom.artifact.countries import countries
from warroom.artifact.recognizers import INSTITUTION_WORDS

_NAME = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]*)*\.?(?:(?:\s+|\s*,\s*)[^\W\d_]+(?:['’.-][^\W\d_]*)*\.?)*")
_WORDS = re.compile(r"[^\W\d_]+")
_NON_DIGITS = re.compile(r"[^0-9]+")
_A_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])[Aa]\s?(?:#|-|No\.?)?\s?(\d{3}[- ]?\d{3}[- ]?\d{3}|\d{8})(?![0-9])")
NOT_NAMES = {"TOTAL", "SUBTOTAL", "GRAND", "NONE", "NULL", "UNKNOWN", "REDACTED", "WITHHELD",
             "NA", "N/A", "TBD", "PENDING", "MALE", "FEMALE", "COUNT", "AVERAGE", "SUM"}
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%b %d, %Y",
                 "%B %d, %Y", "%d.%m.%Y", "%Y/%m/%d", "%m-%d-%Y", "%d %B %Y", "%Y%m%d")


def a_number(cell: Any) -> str | None:
    """Canonical 'A' + nine digits, or None."""
    if cell is None:
        return None
    if isinstance(cell, float):
        cell = int(cell) if cell.is_integer() else cell
    text = str(cell).strip()
    if len(text) == 10 and text[0] in "Aa" and text[1:].isdigit():
        return "A" + text[1:]
    if text.isdigit():
        digits = text
    else:
        found = _A_IN_TEXT.search(text)
        digits = _NON_DIGITS.sub("", found.group(1)) if found else _NON_DIGITS.sub("", text)
        if not found and len(digits) != len(re.sub(r"[\s#-]", "", text)):
            return None  # letters other than a leading A: not an A-number
    if len(digits) in (8, 9):
        return "A" + digits.zfill(9)
    return None


def person_name(cell: Any) -> str | None:
    """A cleaned name, or None for what is not one (totals, numbers, institutions)."""
    if not isinstance(cell, str):
        return None
    text = " ".join(cell.split())
    if len(text) < 2 or len(text) > 120 or not _NAME.fullmatch(text):
        return None
    words = {w.upper() for w in _WORDS.findall(text)}
    if words & INSTITUTION_WORDS or words <= NOT_NAMES or sum(len(w) for w in words) < 2:
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
        text = cell_text(cell)
        if not text:
            return None
        try:
            return self.cache[text]
        except KeyError:
            value = self.table.lookup(text)
            if len(self.cache) < 100_000:
                self.cache[text] = value
            return value


class RowReader:
    """Turns one row into a person (a dict of fields) or None, by the column verdicts."""

    def __init__(self, columns: list[Column]) -> None:
        by_role: dict[str, int] = {}
        for c in columns:
            if c.role and c.role not in by_role:
                by_role[c.role] = c.index
        self.roles = by_role
        self.dates = Dates()
        self.nations = Nationalities()

    @property
    def finds_people(self) -> bool:
        return bool({"a_number", "full_name", "family_name", "given_names"} & set(self.roles))

    def __call__(self, row: list[Any]) -> dict[str, Any] | None:
        get = self._get
        roles = self.roles
        number = a_number(get(row, roles.get("a_number")))
        full = person_name(get(row, roles.get("full_name")))
        family = person_name(get(row, roles.get("family_name")))
        given = person_name(get(row, roles.get("given_names")))
        if "middle_names" in roles and given:
            middle = person_name(get(row, roles["middle_names"]))
            given = f"{given} {middle}" if middle else given
        if not full and (family or given):
            full = ", ".join(p for p in (family, given) if p)
        if not (number or full):
            return None
        person: dict[str, Any] = {"a_number": number, "full_name": full,
                                  "family_name": family, "given_names": given}
        if "birth_date" in roles:
            person["birth_date"] = self.dates(get(row, roles["birth_date"]))
        if "nationality" in roles:
            person["nationality"] = self.nations(get(row, roles["nationality"]))
        if "facility" in roles:
            person["facility"] = cell_text(get(row, roles["facility"])) or None
        return person

    @staticmethod
    def _get(row: list[Any], index: int | None) -> Any:
        if index is None or index >= len(row):
            return None
        return row[index]
