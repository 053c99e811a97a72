"""The roster as responders see it: redacted by default, revealed only with a reason that is
journaled first (who, when, why, one event a person).

A person's `id` is the roster table's id: short, stable for the life of the journal (the
roster is rebuilt by `verify` in the order of its events, so every id comes back the same),
and free of personal data, unlike the person key (built from the A-number), which events
carry to name the person. Redacted: initials, the last three digits of the A-number, the
birth year. Nationality and facility are shown: the Notify and Holds work is organised by
them, and alone they name no one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime

from warroom.checklists import machine
from warroom.checklists.filters import PeopleFilter
from warroom.checklists.machine import BATCH
from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model import Draft, Kind, initials, redact_a_number, redact_date
from warroom.model.payloads import PersonRevealed

ALARMS = queries.ALARMS
PAGE = 100


def rows(conn: sqlite3.Connection, flt: PeopleFilter, offset: int = 0, limit: int = -1,
         at: datetime | None = None) -> list[dict]:
    """The roster rows a filter selects (every column; for services, never printed)."""
    return queries.roster_page(conn, offset, limit, flt.order, **flt.query(conn, at))


def plan(conn: sqlite3.Connection, flt: PeopleFilter, what: str,
         decide: Callable[[dict], machine.Decision]) -> machine.Plan:
    """A move over the people a filter selects, read once; read again by id (in the same
    order) when another responder writes first."""
    def read(conn: sqlite3.Connection, ids: list) -> list[dict]:
        return rows(conn, PeopleFilter(ids=tuple(ids), order=flt.order))

    selected = rows(conn, flt)
    if flt.ids and not flt.narrowed and len(selected) < len(set(flt.ids)):
        missing = sorted(set(flt.ids) - {row["id"] for row in selected})
        raise WarroomError(f"no person #{missing[0]} in the roster (`warroom people` lists"
                           " the ids)")
    return machine.plan(what, selected, decide, read, label=lambda i: f"#{i}")


def count(conn: sqlite3.Connection, flt: PeopleFilter, at: datetime | None = None) -> int:
    return queries.roster_count(conn, **flt.query(conn, at))


def page(conn: sqlite3.Connection, flt: PeopleFilter, offset: int = 0, limit: int = PAGE,
         at: datetime | None = None) -> list[dict]:
    """A page of people as shown: redacted (what the Notify and Holds tabs list)."""
    return [shown(row) for row in rows(conn, flt, offset, limit, at)]


def shown(row: dict, reveal: bool = False) -> dict:
    """One person as the faces show them: redacted unless `reveal` (after `reveal_people`
    journaled it)."""
    attempts = json.loads(row["notify_attempts"] or "[]")
    family, given = _parts(row)
    person = {
        "id": row["id"],
        "a_number": row["a_number"] if reveal else redact_a_number(row["a_number"]),
        "family_name": family if reveal else _initials(family),
        "given_names": given if reveal else _initials(given),
        "name": row["full_name"] if reveal else initials(row["full_name"]),
        "birth_date": row["birth_date"] if reveal else redact_date(row["birth_date"]),
        "nationality": row["nationality"],
        "facility": row["facility"],
        "high_risk": bool(row["high_risk"]),
        # why, beside the nationality: 'protected_208_6' and the claims, 'identity_conflict'
        "risk_flags": json.loads(row["risk_flags"] or "[]"),
        "redacted": not reveal,
        "notification": {
            "state": row["notify_state"], "channel": row["notify_channel"],
            "counsel": row["counsel"], "language": row["language"],
            "since": row["notify_since"], "notice_at": row["notified_at"],
            "acknowledged_at": row["acknowledged_at"], "attempts": attempts,
            "note": row["notify_note"]},
        "hold": {
            "state": row["hold_state"], "type": row["hold_type"], "expires": row["hold_end"],
            "expires_after_notice_days": row["hold_days"] if not row["hold_until"] else None,
            "placed_at": row["hold_placed_at"], "placed_by": row["hold_placed_by"],
            "ended_at": row["hold_ended_at"], "removal_date": row["removal_date"],
            "removed_at": row["removed_at"], "custody_review": row["custody_review"],
            "note": row["hold_note"],
            "alarms": [name for name in ALARMS if row[name]]},
        "overdue": [what for what in ("notify", "hold") if row[f"overdue_{what}"]],
        "last_touched": {"by": row["touched_by"], "at": row["touched_at"]},
    }
    if reveal:
        person["person_key"] = row["person_key"]
    return person


def identities(conn: sqlite3.Connection, person: dict) -> list[dict]:
    """A person's identities when the roster holds more than one (none otherwise), shown
    as the person is: redacted unless `person` was revealed (the reveal was journaled for
    the person, and covers every identity of their A-number)."""
    from warroom.model.identity import differences

    reveal = not person["redacted"]
    rows = queries.identities(conn, person["id"])
    # what sets each apart from the first, in words: redaction may hide it (two names with
    # the same initials, two dates in one year)
    first = (rows[0]["full_name"], rows[0]["birth_date"]) if rows else (None, None)

    def differs(row) -> list[str]:
        return [what.replace("_", " ") for what in differences(
            first, (row["full_name"], row["birth_date"]))]

    return [{"name": row["full_name"] if reveal else initials(row["full_name"]),
             "birth_date": row["birth_date"] if reveal else redact_date(row["birth_date"]),
             "nationality": row["nationality"], "facility": row["facility"],
             "artifact": row["source_artifact"], "file": row["filename"],
             "at": row["occurred_at"], "differs": differs(row)}
            for row in rows]


def _initials(part: str | None) -> str | None:
    return initials(part) if part else None


def _parts(row: dict) -> tuple[str | None, str | None]:
    """Family and given names: as the file had them, else from 'FAMILY, GIVEN'."""
    if row["family_name"] or row["given_names"] or not row["full_name"]:
        return row["family_name"], row["given_names"]
    family, comma, given = row["full_name"].partition(",")
    return (family.strip() or None, given.strip() or None) if comma else (None, None)


def reveal_people(journal: Journal, flt: PeopleFilter, why: str, *, offset: int = 0,
                  limit: int = -1, at: datetime | None = None,
                  progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Full records of the people a filter selects, each reveal journaled first (one
    `person_revealed` event a person: who, when, why). A journal that cannot be written
    reveals nothing."""
    why = " ".join((why or "").split())
    if not why:
        raise WarroomError("say why (--why TEXT): revealing a person is journaled with the"
                           " reason")
    selected = rows(journal.conn, flt, offset, limit, at)
    drafts = [Draft(Kind.PERSON_REVEALED, row["person_key"],
                    PersonRevealed(person=row["person_key"], why=why).data())
              for row in selected]
    for start in range(0, len(drafts), BATCH):
        journal.append_many(drafts[start:start + BATCH])
        if progress:
            progress(min(start + BATCH, len(drafts)), len(drafts))
    return [shown(row, reveal=True) for row in selected]
