"""Each column's own cheap extractor, run on every row once the columns are known.

No presidio here: a row costs a few dictionary look-ups and a regular expression or two."""

from __future__ import annotations

from typing import Any

from warroom.artifact.columns import Column, cell_text
from warroom.artifact.countries import countries
from warroom.artifact.dates import DateColumn
from warroom.artifact.facilities import facilities
from warroom.artifact.recognizers import INSTITUTION_WORDS
from warroom.artifact.risk import RowFlags, Rule
from warroom.model import a_number as model_a_number

NOT_NAMES = {"TOTAL", "SUBTOTAL", "GRAND", "NONE", "NULL", "UNKNOWN", "REDACTED", "WITHHELD",
             "NA", "N/A", "TBD", "PENDING", "MALE", "FEMALE", "COUNT", "AVERAGE", "SUM"}


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


class RowReader:
    """Turns one row into a person (a dict of fields) or None, by the column verdicts;
    `claims`: the columns that may record a claim protected by 8 CFR 208.6 (risk.py)."""

    def __init__(self, columns: list[Column], table: str = "",
                 date_order: str | None = None,
                 claims: list[tuple[int, Rule]] | None = None) -> None:
        by_role: dict[str, int] = {}
        for c in columns:
            if c.role and c.role not in by_role:
                by_role[c.role] = c.index
        self.roles = by_role
        birth = next((c for c in columns if c.index == by_role.get("birth_date")), None)
        # the birth dates' day/month order is the column's, decided from its values
        self.births = (DateColumn(table, birth.header, date_order) if birth is not None
                       else None)
        self.nations = Nationalities()
        self.facility = facilities().match     # canonical spelling, cached per distinct cell
        self.claims = RowFlags(claims) if claims else None
        self.width = max([*by_role.values(), *(i for i, _ in claims or ())], default=-1) + 1
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
        if i_birth is not None:
            person["birth_date"] = self.births(row[i_birth])
        if i_nat is not None:
            person["nationality"] = self.nations(row[i_nat])
        if i_fac is not None:
            value = row[i_fac]
            person["facility"] = self.facility(value if isinstance(value, str)
                                               else cell_text(value))
        if self.claims is not None and (flags := self.claims(row)):
            person["risk_flags"] = flags
            person["high_risk"] = True
        return person
