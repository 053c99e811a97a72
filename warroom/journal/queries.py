"""The read side: what the console, the command line and the exports ask of the journal.

Every function takes a sqlite3 connection (each thread its own) and returns plain values.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from warroom.model import Event, LocationState, parse_instant

_EVENT_COLUMNS = ("id, uid, occurred_at, occurred_offset, recorded_at, recorded_offset, actor,"
                  " kind, subject, data, prev_hash, hash")


def _event(row: tuple) -> Event:
    return Event(*row[:9], json.loads(row[9]), row[10], row[11])


def max_event_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def event_count(conn: sqlite3.Connection) -> int:
    head = conn.execute("SELECT count FROM chain_head").fetchone()
    return head[0] if head else 0


def _filter_sql(text: str | None) -> tuple[str, list[str]]:
    if not text:
        return "", []
    like = f"%{text.lower()}%"
    return (" WHERE lower(kind) LIKE ? OR lower(actor) LIKE ? OR lower(coalesce(subject, ''))"
            " LIKE ? OR lower(data) LIKE ?", [like] * 4)


# For lists: a bulk event's data (a batch of people) is summarised in SQL, so the people in
# it never reach a list view and a page of events stays cheap to load.
_LIGHT_COLUMNS = _EVENT_COLUMNS.replace(
    " data,", " CASE WHEN kind = 'people_imported' THEN json_object('batch', json_extract(data,"
    " '$.batch'), 'artifact', json_extract(data, '$.artifact'), 'count',"
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


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "events": event_count(conn),
        "people": one("SELECT count(*) FROM people"),
        "high_risk": one("SELECT count(*) FROM people WHERE high_risk"),
        "notified": one("SELECT count(*) FROM people WHERE notify_state IN ('sent','delivered')"),
        "holds": one("SELECT count(*) FROM people WHERE hold_state = 'placed'"),
        "downloaders": one("SELECT count(*) FROM downloaders"),
        "bots": one("SELECT count(*) FROM downloaders WHERE bot"),
        "locations": one("SELECT count(*) FROM locations"),
        "live": one("SELECT count(*) FROM locations WHERE state = 'live'"),
        "tips": one("SELECT count(*) FROM tips"),
        "tips_new": one("SELECT count(*) FROM tips WHERE state = 'new'"),
        "tasks_open": one("SELECT count(*) FROM tasks WHERE state != 'done'"),
        "artifacts": one("SELECT count(*) FROM artifacts"),
    }


def locations(conn: sqlite3.Connection) -> list[dict]:
    return _dicts(conn, "SELECT * FROM locations ORDER BY id")


@dataclass(frozen=True)
class Clock:
    """The exposure clock: EXPOSED for …, CONTAINED after …, or not yet known."""

    state: str                  # EXPOSED, CONTAINED, UNKNOWN
    since: datetime | None      # when exposure began
    until: datetime | None      # when the last copy went down (CONTAINED only)
    live: int                   # locations still serving the file
    unknown: int                # locations nobody has checked

    def duration(self, at: datetime) -> timedelta | None:
        if self.since is None:
            return None
        end = self.until if self.state == "CONTAINED" else at
        return max(end - self.since, timedelta(0))


def exposure_clock(conn: sqlite3.Connection) -> Clock:
    inc = conn.execute("SELECT posted_at FROM incidents ORDER BY id LIMIT 1").fetchone()
    first_live, live, unknown, down, last_down = conn.execute(
        "SELECT min(live_since), sum(state = ?), sum(state = ?),"
        " sum(state IN (?, ?)), max(down_since) FROM locations",
        (LocationState.LIVE.value, LocationState.UNKNOWN.value, LocationState.DOWN.value,
         LocationState.VERIFIED_DOWN.value),
    ).fetchone()
    starts = [t for t in ((inc[0] if inc else None), first_live) if t]
    since = parse_instant(min(starts)) if starts else None
    live, unknown, down = live or 0, unknown or 0, down or 0
    if since is None:
        return Clock("UNKNOWN", None, None, live, unknown)
    if live or unknown or not down:
        return Clock("EXPOSED", since, None, live, unknown)
    return Clock("CONTAINED", since, parse_instant(last_down), live, unknown)


def artifact(conn: sqlite3.Connection, sha256: str) -> dict | None:
    rows = _dicts(conn, "SELECT * FROM artifacts WHERE sha256 = ?", (sha256,))
    return rows[0] if rows else None


def artifacts(conn: sqlite3.Connection) -> list[dict]:
    return _dicts(conn, "SELECT * FROM artifacts ORDER BY acquired_at")
