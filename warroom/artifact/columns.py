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
    all its filled cells labels; title rows above it have fewer. None: no header row."""
    best, best_count = None, 1
    for i, row in enumerate(rows[:30]):
        filled = [c for c in row if not blank(c)]
        if len(filled) > best_count and all(_label(c) for c in filled):
            best, best_count = i, len(filled)
    return best


def header_names(row: list[Any] | None, width: int) -> list[str]:
    names, seen = [], Counter()
    for i in range(width):
        raw = cell_text(row[i]) if row is not None and i < len(row) else ""
        name = " ".join(raw.split()) or f"column {i + 1}"
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
    return columns


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
