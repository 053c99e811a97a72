"""The read side of the exposure: locations, probes and takedowns, the exposure window, downloaders
and access logs."""

from __future__ import annotations

import json
import sqlite3

from warroom.journal.queries import (
    _EVENT_COLUMNS,
    _dicts,
    _event,
    _marks,
)
from warroom.model import (
    Event,
    Kind,
)

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
