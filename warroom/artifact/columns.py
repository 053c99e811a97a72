"""Tables are not prose: find each table's header row, then decide what each column holds
from its header and a sample of its values, in one presidio pass over the samples."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from warroom.artifact import recognizers as R

SAMPLE_ROWS = 2000     # rows after the header the sample is drawn from
SAMPLE_VALUES = 40     # values per column given to presidio
MIN_VALUES = 6         # ... at the least, when a wide table shares out the budget:
BUDGET = 6000          # values given to presidio for one table (about 0.4 ms each)
MIN_SHARE = 0.5        # share of sampled values that must agree on an entity

_VALUE = re.compile(
    r"^\s*(?:[-+]?[\d.,\s%$]+|A?\s?[-#]?\s?\d[\d\s-]{6,}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})\s*$",
    re.I)

PLACEHOLDER = "column"    # "column 3": the name of a column that has no header
HEADER_ROWS = 30      # rows a header may be among (title rows above it)
BELOW = 50            # rows under a candidate header its cells are compared with

# words a column's label is made of, in the rosters and exports seen (English and Spanish):
# a cell of these words only is a label even when it has the shape of the values below
LABEL_WORDS = frozenset(
    w for phrase in (R.A_NUMBER_CONTEXT + R.DOB_CONTEXT + R.NATIONALITY_CONTEXT
                     + R.FACILITY_CONTEXT + R.NAME_CONTEXT) for w in phrase.split()
) | frozenset("""
    a an the of and or in to by for at on de del la el los las y
    full last first middle given family date dob day days time age sex gender id no num
    number nbr # code type status case book booking release released removal order fear
    interview result current field office aor state city address phone email language
    race ethnicity height weight arrest charge charges criminal level classification program
    security entry mode count total class category reason notes comments remarks
    identifier file record person subject unit area region zip country citizenship
    fecha nombre sexo genero pais estado centro numero tipo""".split())

FAMILY_WORDS = {"last", "surname", "family", "apellido", "apellidos", "lastname", "surnames"}
GIVEN_WORDS = {"first", "given", "firstname", "forename", "forenames", "nombres"}
MIDDLE_WORDS = {"middle"}


def blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell: Any) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat() if not (cell.hour or cell.minute) else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _label(cell: Any) -> bool:
    """Could this cell be a column label? Text, short, not a number, date or A-number."""
    return isinstance(cell, str) and 0 < len(cell.strip()) <= 80 and not _VALUE.match(cell)


def find_header(rows: list[list[Any]]) -> int | None:
    """The header is the row, among the first 30, with the most label cells (two at least),
    all its filled cells labels, whose cells do not look like the values under them (a data
    row of names, countries and facilities is all text too); title rows above it have fewer
    cells. None: no header row, every row is data."""
    best, best_count = None, 1
    for i, row in enumerate(rows[:HEADER_ROWS]):
        filled = [c for c in row if not blank(c)]
        if (len(filled) > best_count and all(_label(c) for c in filled)
                and not _like_values(row, rows[i + 1:i + 1 + BELOW])):
            best, best_count = i, len(filled)
    return best


def titles(rows: list[list[Any]]) -> int:
    """How many rows a table without a header starts with that are titles, not people: a
    single filled cell (or none) where the rows below fill three or more."""
    filled = [sum(1 for c in r if not blank(c)) for r in rows[:HEADER_ROWS + BELOW]]
    wide = sorted(filled)[len(filled) // 2] if filled else 0
    n = 0
    while n < min(len(filled), HEADER_ROWS) and wide >= 3 and filled[n] <= 1:
        n += 1
    return n


def _like_values(row: list[Any], below: list[list[Any]]) -> bool:
    """Do half or more of this row's cells read as values of their columns: the same text
    as a value below ("Male", a facility), or the same shape as most values below (a
    "FAMILY, GIVEN" name among names, a country among countries)? Cells made only of label
    words ("Country of Citizenship", "DOB") are never values by their shape."""
    from warroom.artifact.countries import countries

    repeated = any(r == row for r in below)     # a header repeated down the file
    like = filled = 0
    for i, cell in enumerate(row):
        if blank(cell):
            continue
        filled += 1
        text = cell_text(cell)
        values = [cell_text(r[i]) for r in below if i < len(r) and not blank(r[i])]
        if not values:
            continue
        if not repeated and text.casefold() in {v.casefold() for v in values}:
            like += 1
        elif _label_words(text):
            continue
        elif countries().lookup(text) and _most(values, countries().lookup):
            like += 1
        elif _most(values, lambda v, shape=_shape(text): _shape(v) == shape):
            like += 1
    return filled > 0 and like * 2 >= filled


def _most(values: list[str], test) -> bool:
    return sum(1 for v in values if test(v)) >= 0.6 * len(values)


def _shape(text: str) -> tuple:
    """What a cell looks like, not what it says: its letter case, a comma, how many words,
    digits."""
    letters = "".join(c for c in text if c.isalpha())
    words = text.replace(",", " ").split()
    case = ("upper" if letters.isupper() else "lower" if letters.islower()
            else "title" if all(w[:1].isupper() for w in words if w[:1].isalpha()) else "mixed")
    return case, "," in text, min(len(words), 3), any(c.isdigit() for c in text)


def _label_words(text: str) -> bool:
    words = [w for w in re.split(r"[^a-z#]+", text.lower()) if w]
    return bool(words) and all(w in LABEL_WORDS for w in words)


def header_names(row: list[Any] | None, width: int) -> list[str]:
    names, seen = [], Counter()
    for i in range(width):
        raw = cell_text(row[i]) if row is not None and i < len(row) else ""
        name = " ".join(raw.split()) or f"{PLACEHOLDER} {i + 1}"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


@dataclass
class Column:
    index: int
    header: str
    entity: str | None = None          # A_NUMBER, PERSON, DATE_OF_BIRTH, NATIONALITY, …
    role: str | None = None            # a_number, full_name, family_name, given_names, …
    confidence: float = 0.0            # share of sampled values that agreed
    votes: dict[str, int] = field(default_factory=dict)
    sampled: int = 0


ROLES = {R.A_NUMBER: "a_number", R.DATE_OF_BIRTH: "birth_date", R.NATIONALITY: "nationality",
         R.FACILITY: "facility"}
# which entity wins a cell when two recognizers claim all of it with the same score
PRIORITY = [R.A_NUMBER, R.DATE_OF_BIRTH, "US_SSN", "EMAIL_ADDRESS", "PHONE_NUMBER",
            "CREDIT_CARD", "IP_ADDRESS", R.NATIONALITY, R.FACILITY, R.PERSON]


def classify(header: list[str], sample: list[list[Any]], engine) -> list[Column]:
    """One presidio pass over a sample of each column, with the header as context. A table
    of more than BUDGET / SAMPLE_VALUES filled columns gives each fewer values, so a wide
    table costs the same as a narrow one; a value repeated in a column is analyzed once."""
    filled = [[v for r in sample if i < len(r) and not blank(r[i]) and (v := cell_text(r[i]))]
              for i in range(len(header))]
    share = max(MIN_VALUES, min(SAMPLE_VALUES, BUDGET // max(1, sum(map(bool, filled)))))
    columns = []
    for i, name in enumerate(header):
        values = _spread(filled[i], share)
        column = Column(i, name, sampled=len(values))
        context = R.header_context(name)
        votes: Counter[str] = Counter()
        verdicts: dict[str, str | None] = {}
        for value in values:
            if value not in verdicts:
                verdicts[value] = _verdict(engine, value, context)
            if verdicts[value]:
                votes[verdicts[value]] += 1
        column.votes = dict(votes)
        if values and votes:
            entity, count = votes.most_common(1)[0]
            if count / len(values) >= MIN_SHARE:
                role = _role(entity, name, values)
                if entity != R.PERSON or role:
                    column.entity, column.confidence = entity, round(count / len(values), 3)
                    column.role = role
        columns.append(column)
    _by_values(columns, filled)
    return columns


def _by_values(columns: list[Column], filled: list[list[str]]) -> None:
    """A table without a header gives presidio no context, and a bare date or a name-shaped
    cell scores too low alone: an unlabelled column is a birth date or a name by its values
    (every person of a headerless list is read as if it had its header). Name-shaped words
    are a name only beside another field of a roster: a list of cities is no list of people."""
    from warroom.artifact.dates import Dates, Evidence

    today = date.today()
    bare = [c for c in columns if not c.entity and c.header.startswith(PLACEHOLDER + " ")]
    for column in bare:
        values = _spread(filled[column.index], SAMPLE_VALUES * 5)
        evidence = Evidence.of(values)     # the column's own day/month order, as a scan's
        dates = Dates(evidence.order or evidence.default)
        born = [d for v in values if (d := dates(v))]
        ages = [today.year - int(d[:4]) for d in born]
        if values and len(born) >= 0.8 * len(values) and _share(ages, _adult) >= 0.8:
            column.entity, column.role = R.DATE_OF_BIRTH, "birth_date"
            column.confidence = round(len(born) / len(values), 3)
    if any(c.entity == R.PERSON for c in columns) or not any(c.entity in ROLES for c in columns):
        return
    for column in bare:
        values = _spread(filled[column.index], SAMPLE_VALUES * 5)
        if column.entity or len(set(values)) < 0.5 * len(values):
            continue    # a column of few values over and over (gender, status) is no name
        share = _share(values, _name_shaped)
        if share >= 0.8:
            column.entity, column.role, column.confidence = R.PERSON, "full_name", share
            return


def _adult(age: int) -> bool:
    return 14 <= age <= 110


def _share(items: list, test) -> float:
    return round(sum(1 for x in items if test(x)) / len(items), 3) if items else 0.0


_NAME_SHAPE = re.compile(r"^[^\W\d_]+(?:[ ,'’.-]+[^\W\d_]+)+\.?$")


def _name_shaped(value: str) -> bool:
    """Two words of letters or more, no institution, no country: a person's whole name."""
    from warroom.artifact.countries import countries

    words = set(re.split(r"[ ,.-]+", value.upper()))
    return (bool(_NAME_SHAPE.match(value)) and R.INSTITUTION_WORDS.isdisjoint(words)
            and countries().lookup(value) is None)


def _verdict(engine, value: str, context: list[str]) -> str | None:
    """The entity presidio finds in (most of) one cell, or None."""
    results = engine.analyze(value[:300], language="en", context=context, score_threshold=0.35)
    whole = [r for r in results if (r.end - r.start) >= 0.5 * len(value.strip())]
    if not whole:
        return None
    return max(whole, key=lambda r: (round(r.score, 2), -_rank(r.entity_type))).entity_type


def _rank(entity: str) -> int:
    return PRIORITY.index(entity) if entity in PRIORITY else len(PRIORITY)


def _spread(values: list[str], n: int) -> list[str]:
    if len(values) <= n:
        return values
    step = len(values) / n
    return [values[int(k * step)] for k in range(n)]


def _role(entity: str, header: str, values: list[str]) -> str | None:
    if entity != R.PERSON:
        return ROLES.get(entity)
    words = set(R.header_context(header))
    if words & MIDDLE_WORDS:
        return "middle_names"
    if words & FAMILY_WORDS:
        return "family_name"
    if words & GIVEN_WORDS:
        return "given_names"
    # a column of whole names has mostly two words or more; one-word labels are no names
    if sum(1 for v in values if len(v.replace(",", " ").split()) >= 2) < 0.6 * len(values):
        return None
    return "full_name"
