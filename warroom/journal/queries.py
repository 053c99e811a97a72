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


# ---------------------------------------------------------------- locations, probes, takedowns


def location(conn: sqlite3.Connection, url: str) -> dict | None:
    rows = _dicts(conn, "SELECT * FROM locations WHERE url = ?", (url,))
    return rows[0] if rows else None


def location_checks(conn: sqlite3.Connection, url: str, limit: int = 50) -> list[Event]:
    """A location's state events (probe checks and responders' statements), newest first."""
    rows = conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events WHERE subject = ? AND kind IN (?, ?)"
        " ORDER BY id DESC LIMIT ?", (url, Kind.LOCATION_STATE, Kind.VERIFIED, limit)).fetchall()
    return [_event(r) for r in rows]


def takedowns(conn: sqlite3.Connection, url: str | None = None,
              open_only: bool = False) -> list[dict]:
    """Takedown requests (of one location), oldest first."""
    where, args = [], []
    if url is not None:
        where.append("url = ?")
        args.append(url)
    if open_only:
        where.append("closed_at IS NULL")
    sql = "SELECT * FROM takedowns" + (" WHERE " + " AND ".join(where) if where else "")
    return _dicts(conn, sql + " ORDER BY id", tuple(args))


def artifact_a_numbers(conn: sqlite3.Connection, sha256: str) -> set[str]:
    """The A-numbers of the people the roster took from one artifact."""
    return {r[0] for r in conn.execute(
        "SELECT a_number FROM people WHERE source_artifact = ? AND a_number IS NOT NULL",
        (sha256,))}


def known_a_numbers(conn: sqlite3.Connection, numbers: set[str]) -> set[str]:
    """Those of `numbers` that belong to someone in the roster."""
    found: set[str] = set()
    wanted = sorted(numbers)
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        found.update(r[0] for r in conn.execute(
            f"SELECT a_number FROM people WHERE a_number IN ({_marks(part)})", part))
    return found


# ---------------------------------------------------------------- the exposure window


def first_events(conn: sqlite3.Connection, kind: str, limit: int = 50) -> list[Event]:
    """The earliest events of a kind, by when they happened."""
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE kind = ?"
                        " ORDER BY occurred_at, id LIMIT ?", (kind, limit)).fetchall()
    return [_event(r) for r in rows]


def access_span(conn: sqlite3.Connection) -> dict:
    """From the downloaders known (the access logs): first and last access, and counts."""
    first, last, clients, complete, bots = conn.execute(
        "SELECT min(first_seen), max(last_seen), count(*), sum(complete), sum(bot)"
        " FROM downloaders").fetchone()
    return {"first": first, "last": last, "clients": clients, "complete": complete or 0,
            "bots": bots or 0}
# ---------------------------------------------------------------- downloaders and access logs


def _downloader_filter(complete: bool | None, bot: bool | None,
                       search: str | None = None) -> tuple[str, list]:
    terms, args = [], []
    for column, wanted in (("complete", complete), ("bot", bot)):
        if wanted is not None:
            terms.append(f"{column} = ?")
            args.append(int(wanted))
    if search:   # the console's `/`: the client's address holds the text (any case)
        terms.append("client LIKE ? ESCAPE '\\'")
        for mark in ("\\", "%", "_"):   # the text is taken as it is, not as a pattern
            search = search.replace(mark, "\\" + mark)
        args.append(f"%{search}%")
    return (" WHERE " + " AND ".join(terms) if terms else ""), args


def _downloader_row(row: dict) -> dict:
    row["user_agents"] = json.loads(row["user_agents"] or "[]")
    return row


def downloaders(conn: sqlite3.Connection, offset: int = 0, limit: int = 100, *,
                complete: bool | None = None, bot: bool | None = None,
                search: str | None = None) -> list[dict]:
    """A page of downloaders, first seen first (complete=False: the partial ones; bot=False:
    the people; search: those whose address holds the text), each with its user agents as a
    list. An index serves each filter, so a page deep into 100,000 clients is read in
    milliseconds."""
    where, args = _downloader_filter(complete, bot, search)
    rows = _dicts(conn, f"SELECT * FROM downloaders{where} ORDER BY first_seen, id"
                        " LIMIT ? OFFSET ?", (*args, limit, offset))
    return [_downloader_row(r) for r in rows]


def downloaders_count(conn: sqlite3.Connection, *, complete: bool | None = None,
                      bot: bool | None = None, search: str | None = None) -> int:
    where, args = _downloader_filter(complete, bot, search)
    return conn.execute(f"SELECT count(*) FROM downloaders{where}", args).fetchone()[0]


def downloader(conn: sqlite3.Connection, client: str) -> dict | None:
    """One downloader, with the share each import of access logs gave it (`shares`)."""
    rows = _dicts(conn, "SELECT * FROM downloaders WHERE client = ?", (client,))
    if not rows:
        return None
    found = _downloader_row(rows[0])
    found["shares"] = [_downloader_row(r) for r in _dicts(
        conn, "SELECT * FROM downloads WHERE client = ? ORDER BY first_seen, logs", (client,))]
    return found


def log_imports(conn: sqlite3.Connection, path: str | None = None,
                current: bool = True) -> list[dict]:
    """Imports of access logs, oldest first (current: those no later import superseded),
    each with its files as a list."""
    terms = (["path = ?"] if path else []) + (["superseded_by IS NULL"] if current else [])
    where = " WHERE " + " AND ".join(terms) if terms else ""
    rows = _dicts(conn, f"SELECT * FROM log_imports{where} ORDER BY imported_at, logs",
                  (path,) if path else ())
    for row in rows:
        row["files"] = json.loads(row["files"])
    return rows


def access_window(conn: sqlite3.Connection, path: str | None = None) -> dict:
    """The first and last time the current imports of access logs saw a client receive
    bytes of the file, and how many imports say so."""
    where, args = (" AND path = ?", (path,)) if path else ("", ())
    first, last, imports = conn.execute(
        "SELECT min(first_access), max(last_access), count(*) FROM log_imports"
        f" WHERE superseded_by IS NULL{where}", args).fetchone()
    return {"first_access": first, "last_access": last, "imports": imports}
# One event in full for a detail view: a batch of people keeps its field names and says how
# many people it holds, but the people themselves never leave SQL.
_DETAIL_COLUMNS = _EVENT_COLUMNS.replace(
    " data,", f" CASE WHEN kind = '{Kind.PEOPLE_IMPORTED}' THEN json_set(json_remove(data,"
    " '$.people'), '$.count', json_array_length(data, '$.people')) ELSE data END,")


def event(conn: sqlite3.Connection, event_id: int) -> Event | None:
    """One event by id, every field of its data (a people batch as its count)."""
    row = conn.execute(f"SELECT {_DETAIL_COLUMNS} FROM events WHERE id = ?",
                       (event_id,)).fetchone()
    return _event(row) if row else None
