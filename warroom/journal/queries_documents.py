"""The read side of the documents: the export, notice letters, tips, intake tokens and lookups."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from warroom.journal.queries import (
    _EVENT_COLUMNS,
    _LIGHT_COLUMNS,
    _dicts,
    _event,
    _marks,
)
from warroom.model import (
    Event,
    Kind,
)

# ---------------------------------------------------------------- export (issue 10)
# What `warroom export` reads: the whole story in one read transaction, so the rows, the
# counts and the head hash all come from the same snapshot of the journal.


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: every query inside sees the journal as it was at the first
    read (WAL), however many writers append meanwhile."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def story(conn: sqlite3.Connection) -> list[Event]:
    """Every event, in the order things happened (ties: the order they were recorded); a
    batch of people summarised as its count, as in `timeline`."""
    rows = conn.execute(f"SELECT {_LIGHT_COLUMNS} FROM events"
                        " ORDER BY occurred_at, id").fetchall()
    return [_event(r) for r in rows]


def head_event(conn: sqlite3.Connection) -> Event | None:
    """The event at the head of the chain (summarised like `story`'s)."""
    row = conn.execute(f"SELECT {_LIGHT_COLUMNS} FROM events WHERE id ="
                       " (SELECT id FROM chain_head)").fetchone()
    return _event(row) if row else None


def downloader_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Downloaders: people's clients that took the whole file, part of it, and bots."""
    row = conn.execute(
        "SELECT count(*), coalesce(sum(complete AND NOT bot), 0),"
        " coalesce(sum(NOT complete AND NOT bot), 0), coalesce(sum(bot), 0)"
        " FROM downloaders").fetchone()
    return dict(zip(("total", "complete", "partial", "bots"), row))






def people_full(conn: sqlite3.Connection) -> list[dict]:
    """The whole roster, unredacted: for an export that was asked to include it."""
    return _dicts(conn, "SELECT id, a_number, family_name, given_names, full_name, birth_date,"
                        " nationality, facility, high_risk, notify_state, notify_channel,"
                        " notified_at, hold_state, hold_until FROM people ORDER BY id")
# ---------------------------------------------------------------- notice letters
# `warroom letters` picks its people here until the shared people filters
# (warroom/checklists/filters.py) land; then it should take theirs.

_LETTER_COLUMNS = ("id, a_number, family_name, given_names, full_name, birth_date, nationality,"
                   " facility, custody_status, counsel, high_risk, notify_state")


def letter_people(conn: sqlite3.Connection, ids: tuple[int, ...] = (), *,
                  facility: str | None = None, nationality: str | None = None,
                  high_risk: bool = False) -> list[dict]:
    """People to write notice letters to, in facility order, then by name: those with the
    given roster ids, else those that every given filter keeps (facility and nationality
    compared without regard to case), else everyone."""
    where, args = [], []
    if ids:
        where.append("id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(ids)))
    if facility:
        where.append("lower(facility) = lower(?)")
        args.append(facility)
    if nationality:
        where.append("lower(nationality) = lower(?)")
        args.append(nationality)
    if high_risk:
        where.append("high_risk")
    sql = f"SELECT {_LETTER_COLUMNS} FROM people"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return _dicts(conn, sql + " ORDER BY facility IS NULL, facility, full_name, id", tuple(args))
# ---------------------------------------------------------------- tips, intake tokens, lookups

_TIP_LISTS = ("urls", "a_numbers", "in_roster")


def _tip_row(row: dict) -> dict:
    for name in _TIP_LISTS:
        row[name] = json.loads(row[name] or "[]")
    row["confidential"] = bool(row["confidential"])
    return row


def tip(conn: sqlite3.Connection, ref: str | int) -> dict | None:
    """One tip by its number in the list, or by its receipt (the uid)."""
    text = str(ref).strip()
    column = "id" if text.isdigit() else "uid"
    rows = _dicts(conn, f"SELECT * FROM tips WHERE {column} = ?", (text,))
    return _tip_row(rows[0]) if rows else None


def tips(conn: sqlite3.Connection, state: str | None = None) -> list[dict]:
    """Tips, newest received first; the new ones (not yet triaged) can be asked for alone."""
    where, args = (" WHERE state = ?", (str(state),)) if state else ("", ())
    return [_tip_row(r) for r in _dicts(
        conn, f"SELECT * FROM tips{where} ORDER BY received_at DESC, id DESC", args)]


def in_roster(conn: sqlite3.Connection, numbers: list[str]) -> list[str]:
    """Those of `numbers` (canonical A-numbers, 'A' and nine digits) the roster holds."""
    if not numbers:
        return []
    keys = ["A:" + n[1:] for n in numbers]
    found = {r[0] for r in conn.execute(
        f"SELECT person_key FROM people WHERE person_key IN ({_marks(keys)})", keys)}
    return [n for n, k in zip(numbers, keys) if k in found]


def unknown_locations(conn: sqlite3.Connection, urls: list[str]) -> list[str]:
    """Those of `urls` (masked) that are not yet a location."""
    known = {r[0] for r in conn.execute(
        f"SELECT url FROM locations WHERE url IN ({_marks(urls)})", urls)} if urls else set()
    return [u for u in dict.fromkeys(urls) if u not in known]


def event_by_uid(conn: sqlite3.Connection, uid: str) -> Event | None:
    row = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE uid = ?", (uid,)).fetchone()
    return _event(row) if row else None


def intake_token(conn: sqlite3.Connection, token_hash: str) -> dict | None:
    """The token with this sha256, revoked or not."""
    rows = _dicts(conn, "SELECT * FROM intake_tokens WHERE token_hash = ?", (token_hash,))
    return rows[0] if rows else None


def intake_tokens(conn: sqlite3.Connection, org: str | None = None,
                  active: bool = False) -> list[dict]:
    """Tokens (never the tokens themselves: their hashes), of one organisation (any case)."""
    sql = "SELECT * FROM intake_tokens WHERE 1"
    args: list[str] = []
    if org is not None:
        sql += " AND lower(org) = lower(?)"
        args.append(org)
    if active:
        sql += " AND revoked_at IS NULL"
    return _dicts(conn, sql + " ORDER BY added_at, token_hash", tuple(args))


def lookup_person(conn: sqlite3.Connection, key: str) -> tuple | None:
    """(id, birth_date, notify_state, hold_state) of the one person with this person key."""
    return conn.execute("SELECT id, birth_date, notify_state, hold_state FROM people"
                        " WHERE person_key = ?", (key,)).fetchone()


def lookups(conn: sqlite3.Connection, limit: int = 100) -> list[Event]:
    """Advocate lookups, newest first (each names an organisation and a result class)."""
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE kind = ?"
                        " ORDER BY id DESC LIMIT ?", (Kind.LOOKUP, limit)).fetchall()
    return [_event(r) for r in rows]
