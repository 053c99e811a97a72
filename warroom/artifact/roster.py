"""The roster of exposed people, filled in batches: one transaction and one event per batch.

Each `people_imported` event lists the people of its batch, so `verify` rebuilds the roster
from the events alone. A crash between batches loses nothing that was committed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warroom.journal import Journal, queries
from warroom.journal.projections import PERSON_FIELDS
from warroom.model.payloads import ImportFinished, ImportStarted, PeopleImported

BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    people: int        # people in the input
    added: int         # new rows in the roster
    batches: int       # batches written by this call
    events: list[int]
    import_id: str = ""
    resumed_from: int = 0      # batches an earlier, interrupted run had already written
    already: bool = False      # the same import had finished before: nothing written
    conflicts: int = 0         # people this import gave another identity (name, birth date)
    corrected: int = 0         # people whose birth date an earlier reading had the wrong
                               # way round (this import's order was settled: --date-order)


# risk_flags: the record's own risks (artifact/risk.py), a list or None; an event written
# before it existed has no such field and still applies (the projection reads fields by name)
FIELDS = [*PERSON_FIELDS, "high_risk", "risk_flags"]


def _row(person: dict[str, Any]) -> list[Any]:
    """One person as a row in FIELDS order: text or None, the high-risk flag, the flags."""
    row: list[Any] = [None if v is None or v == "" else v if type(v) is str else str(v)
                      for v in map(person.get, PERSON_FIELDS)]
    row.append(bool(person.get("high_risk")))
    flags = person.get("risk_flags")
    row.append([str(f) for f in flags] if flags else None)
    return row


def import_id(rows: list[list[Any]], artifact: str | None, date_order: str | None = None,
              after: str | None = None) -> str:
    """The same people from the same artifact are the same import, whenever it runs; in a
    settled order, the same import until the artifact is imported in the other order
    (`after`: that import), when reading it this way again is news."""
    settled = f"{date_order}\n{after}\n" if date_order else ""
    digest = hashlib.sha256(f"{artifact}\n{FIELDS}\n{settled}".encode())
    digest.update(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode())
    return digest.hexdigest()[:32]


def import_people(journal: Journal, people: Iterable[dict[str, Any]], artifact: str | None = None,
                  *, batch: int = BATCH, at: datetime | None = None,
                  progress: Callable[[int], None] | None = None,
                  date_order: str | None = None) -> ImportResult:
    """Fill the roster in batches, between an `import_started` and an `import_finished`
    event. An import that was cut off (a killed process) is resumed where it stopped, so the
    result equals a clean import; one that finished before writes nothing again.
    `date_order` is the order the responder settled for ambiguous birth dates (the people
    were read in it): the birth dates an earlier import of the artifact read the other way
    round are corrected, not taken for other identities."""
    rows = [_row(person) for person in people]
    after = queries.other_reading(journal.conn, artifact, date_order) if date_order else None
    key = import_id(rows, artifact, date_order, after)
    state = queries.import_state(journal.conn, key)
    if state and state["finished_at"]:
        return ImportResult(len(rows), 0, 0, [], key, state["batches_done"], already=True)
    before = queries.people_count(journal.conn)
    event_ids: list[int] = []
    if state:
        batch, done = state["batch_size"], state["batches_done"]
    else:
        done = 0
        total = (len(rows) + batch - 1) // batch
        event_ids.append(journal.record(ImportStarted(
            import_id=key, artifact=artifact, people=len(rows), batch_size=batch,
            batches=total, date_order=date_order), artifact, occurred_at=at).id)
    for number, start in enumerate(range(done * batch, len(rows), batch), start=done + 1):
        chunk = rows[start:start + batch]
        event_ids.append(journal.record(PeopleImported(
            artifact=artifact, batch=number, fields=FIELDS, people=chunk, import_id=key),
            artifact, occurred_at=at).id)
        if progress:
            progress(start + len(chunk))
    event_ids.append(journal.record(ImportFinished(import_id=key, artifact=artifact,
                                                   people=len(rows)),
                                    artifact, occurred_at=at).id)
    after = queries.people_count(journal.conn)
    return ImportResult(len(rows), after - before, len(event_ids) - 1 - (not state), event_ids,
                        key, done, conflicts=queries.identity_conflicts(journal.conn,
                                                                        event_ids),
                        corrected=queries.import_state(journal.conn, key)["corrected"])
