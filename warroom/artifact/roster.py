"""The roster of exposed people, filled in batches: one transaction and one event per batch.

Each `people_imported` event lists the people of its batch, so `verify` rebuilds the roster
from the events alone. A crash between batches loses nothing that was committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warroom.journal import Journal, queries
from warroom.journal.projections import PERSON_FIELDS
from warroom.model.payloads import PeopleImported

BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    people: int        # people in the input
    added: int         # new rows in the roster
    batches: int
    events: list[int]


FIELDS = [*PERSON_FIELDS, "high_risk"]


def _row(person: dict[str, Any]) -> list[Any]:
    """One person as a row in FIELDS order: text or None, and the high-risk flag."""
    row: list[Any] = [None if v is None or v == "" else v if type(v) is str else str(v)
                      for v in map(person.get, PERSON_FIELDS)]
    row.append(bool(person.get("high_risk")))
    return row


def import_people(journal: Journal, people: Iterable[dict[str, Any]], artifact: str | None = None,
                  *, batch: int = BATCH, at: datetime | None = None,
                  progress: Callable[[int], None] | None = None) -> ImportResult:
    before = queries.people_count(journal.conn)
    seen = batches = 0
    event_ids: list[int] = []
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal batches
        event = journal.record(PeopleImported(artifact=artifact, batch=batches + 1,
                                              fields=FIELDS, people=chunk),
                               artifact, occurred_at=at)
        event_ids.append(event.id)
        batches += 1
        if progress:
            progress(seen)

    for person in people:
        chunk.append(_row(person))
        seen += 1
        if len(chunk) >= batch:
            flush()
            chunk = []
    if chunk:
        flush()
    after = queries.people_count(journal.conn)
    return ImportResult(seen, after - before, batches, event_ids)
