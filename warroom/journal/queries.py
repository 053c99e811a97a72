"""The read side: what the console, the command line and the exports ask of the journal.

Every function takes a sqlite3 connection (each thread its own) and returns plain values.
"""

from __future__ import annotations

import json
import sqlite3

from warroom.model import (
    NOTIFIED_STATES,
    Event,
    HoldState,
    Kind,
    LocationState,
    TaskState,
    TipState,
)

_EVENT_COLUMNS = ("id, uid, occurred_at, occurred_offset, recorded_at, recorded_offset, actor,"
                  " kind, subject, data, prev_hash, hash")


def _event(row: tuple) -> Event:
    return Event(*row[:9], json.loads(row[9]), row[10], row[11])


def max_event_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def event_count(conn: sqlite3.Connection) -> int:
    head = conn.execute("SELECT count FROM chain_head").fetchone()
    return head[0] if head else 0


def head_hash(conn: sqlite3.Connection) -> str | None:
    head = conn.execute("SELECT hash FROM chain_head").fetchone()
    return head[0] if head else None


def hash_of_event(conn: sqlite3.Connection, event_id: int) -> str | None:
    row = conn.execute("SELECT hash FROM events WHERE id = ?", (event_id,)).fetchone()
    return row[0] if row else None


def event_with_hash(conn: sqlite3.Connection, prefix: str) -> int | None:
    """The event whose hash is, or starts with, `prefix`."""
    row = conn.execute("SELECT id FROM events WHERE hash >= ? AND hash < ? ORDER BY id LIMIT 1",
                       (prefix, prefix + "g")).fetchone()
    return row[0] if row else None


def _filter_sql(text: str | None) -> tuple[str, list[str]]:
    if not text:
        return "", []
    like = f"%{text.lower()}%"
    return (" WHERE lower(kind) LIKE ? OR lower(actor) LIKE ? OR lower(coalesce(subject, ''))"
            " LIKE ? OR lower(data) LIKE ?", [like] * 4)


# For lists: a bulk event's data (a batch of people) is summarised in SQL, so the people in
# it never reach a list view and a page of events stays cheap to load.
_LIGHT_COLUMNS = _EVENT_COLUMNS.replace(
    " data,", f" CASE WHEN kind = '{Kind.PEOPLE_IMPORTED}' THEN json_object('batch',"
    " json_extract(data, '$.batch'), 'artifact', json_extract(data, '$.artifact'), 'count',"
    " json_array_length(data, '$.people'), 'truncated', 1) ELSE data END,")


def timeline(conn: sqlite3.Connection, offset: int = 0, limit: int = 100,
             text: str | None = None) -> list[Event]:
    """Events, newest happening first (ties: newest recorded first), bulk data summarised."""
    where, args = _filter_sql(text)
    rows = conn.execute(
        f"SELECT {_LIGHT_COLUMNS} FROM events{where} ORDER BY occurred_at DESC, id DESC"
        " LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
    return [_event(r) for r in rows]


def timeline_count(conn: sqlite3.Connection, text: str | None = None) -> int:
    if not text:
        return event_count(conn)
    where, args = _filter_sql(text)
    return conn.execute(f"SELECT count(*) FROM events{where}", args).fetchone()[0]


def _dicts(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> list[dict]:
    cursor = conn.execute(sql, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def incident(conn: sqlite3.Connection) -> dict | None:
    rows = _dicts(conn, "SELECT * FROM incidents ORDER BY id LIMIT 1")
    return rows[0] if rows else None


def _marks(values) -> str:
    return ", ".join("?" * len(values))


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    one = lambda sql, *args: conn.execute(sql, args).fetchone()[0]  # noqa: E731
    notified = sorted(NOTIFIED_STATES)
    return {
        "events": event_count(conn),
        "people": one("SELECT count(*) FROM people"),
        "high_risk": one("SELECT count(*) FROM people WHERE high_risk"),
        "notified": one(f"SELECT count(*) FROM people WHERE notify_state IN ({_marks(notified)})",
                        *notified),
        "holds": one("SELECT count(*) FROM people WHERE hold_state = ?", HoldState.PLACED),
        "downloaders": one("SELECT count(*) FROM downloaders"),
        "complete": one("SELECT count(*) FROM downloaders WHERE complete"),
        "bots": one("SELECT count(*) FROM downloaders WHERE bot"),
        "locations": one("SELECT count(*) FROM locations"),
        "live": one("SELECT count(*) FROM locations WHERE state = ?", LocationState.LIVE),
        "tips": one("SELECT count(*) FROM tips"),
        "tips_new": one("SELECT count(*) FROM tips WHERE state = ?", TipState.NEW),
        "tasks_open": one("SELECT count(*) FROM tasks WHERE state != ?", TaskState.DONE),
        "artifacts": one("SELECT count(*) FROM artifacts"),
        "imports_unfinished": one("SELECT count(*) FROM imports WHERE finished_at IS NULL"),
    }


def unfinished_imports(conn: sqlite3.Connection) -> list[dict]:
    """Imports that began and never ended (a process killed half-way)."""
    return _dicts(conn, "SELECT * FROM imports WHERE finished_at IS NULL ORDER BY started_at")


def import_state(conn: sqlite3.Connection, import_id: str) -> dict | None:
    rows = _dicts(conn, "SELECT * FROM imports WHERE import_id = ?", (import_id,))
    return rows[0] if rows else None


def other_reading(conn: sqlite3.Connection, artifact: str | None,
                  date_order: str) -> str | None:
    """The latest finished import of the artifact whose birth-date order was settled the
    other way round (its import id), or None."""
    row = conn.execute("SELECT import_id FROM imports WHERE artifact IS ? AND date_order != ?"
                       " AND finished_at IS NOT NULL ORDER BY event_id DESC LIMIT 1",
                       (artifact, date_order)).fetchone()
    return row[0] if row else None


def has_incident(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM incidents").fetchone() is not None


def people_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM people").fetchone()[0]


def locations(conn: sqlite3.Connection) -> list[dict]:
    return _dicts(conn, "SELECT * FROM locations ORDER BY id")


def artifact(conn: sqlite3.Connection, sha256: str) -> dict | None:
    rows = _dicts(conn, "SELECT * FROM artifacts WHERE sha256 = ?", (sha256,))
    return rows[0] if rows else None


def artifacts(conn: sqlite3.Connection) -> list[dict]:
    return _dicts(conn, "SELECT * FROM artifacts ORDER BY acquired_at")


# The read side by area, re-exported here: callers write `queries.name` whatever the module.
from warroom.journal.queries_documents import (  # noqa: E402, F401
    downloader_counts,
    event_by_uid,
    head_event,
    in_roster,
    intake_token,
    intake_tokens,
    letter_people,
    lookup_person,
    lookups,
    people_full,
    snapshot,
    story,
    tip,
    tips,
    unknown_locations,
)
from warroom.journal.queries_exposure import (  # noqa: E402, F401
    access_span,
    access_window,
    artifact_a_numbers,
    downloader,
    downloaders,
    downloaders_count,
    event,
    first_events,
    known_a_numbers,
    location,
    location_checks,
    log_imports,
    takedowns,
)
from warroom.journal.queries_roster import (  # noqa: E402, F401
    ALARMS,
    HOLD_END,
    PERSON_FLAGS,
    ROSTER_ORDERS,
    contact_count,
    contact_rows,
    identities,
    identity_conflicts,
    person_history,
    roster_count,
    roster_facets,
    roster_page,
    roster_states,
    t0,
    task_keys,
    tasks,
)
