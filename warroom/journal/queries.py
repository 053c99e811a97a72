"""The read side: what the console, the command line and the exports ask of the journal.

Every function takes a sqlite3 connection (each thread its own) and returns plain values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

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
# ---------------------------------------------------------------- checklists (issue 9)
# The roster as the Notify and Holds tabs and `warroom people` read it: one filter (the
# keyword arguments that `checklists.filters.PeopleFilter.query()` gives), a page of rows,
# and named conditions computed in SQL once (overdue work, alarms) both as columns and as
# filters, so a row and a filter can never disagree.

from warroom.model.kinds import ENDED_HOLD_STATES, OPEN_HOLD_STATES  # noqa: E402


def _in(states) -> str:
    """States (our own enum values, never outside text) as an SQL list."""
    return "(" + ", ".join(f"'{s}'" for s in sorted(states)) + ")"


_NOTICE_DAY = "substr(p.notified_at, 1, 10)"
# A hold's end: its date, else `hold_days` after the person's notice (unknown before it).
HOLD_END = ("coalesce(p.hold_until, CASE WHEN p.notified_at IS NOT NULL AND p.hold_days IS NOT"
            f" NULL THEN date({_NOTICE_DAY}, '+' || p.hold_days || ' days') END)")
_OPEN_HOLD = f"p.hold_state IN {_in(OPEN_HOLD_STATES)}"
_SCHEDULED = "p.removal_date IS NOT NULL AND p.removed_at IS NULL"

# name -> condition; parameters :today (a date), :notify_late and :hold_late (whether the
# roster-wide deadlines for notices and for holds have passed).
PERSON_FLAGS = {
    "overdue_notify": f":notify_late AND p.notify_state NOT IN {_in(NOTIFIED_STATES)}",
    "overdue_hold": f":hold_late AND p.hold_state IN {_in({HoldState.NONE, HoldState.REQUESTED})}",
    "removal_in_hold": f"{_SCHEDULED} AND {_OPEN_HOLD}"
                       f" AND ({HOLD_END} IS NULL OR p.removal_date <= {HOLD_END})",
    "removal_before_notice": f"{_SCHEDULED} AND (p.notified_at IS NULL"
                             f" OR p.removal_date < {_NOTICE_DAY})",
    "hold_ends_before_notice": f"({_OPEN_HOLD} AND p.hold_until IS NOT NULL"
                               f" AND p.hold_until < coalesce({_NOTICE_DAY}, :today))"
                               f" OR (p.hold_state IN {_in(ENDED_HOLD_STATES)}"
                               " AND (p.notified_at IS NULL OR p.hold_ended_at < p.notified_at))",
    "removed_before_notice": "p.removed_at IS NOT NULL AND (p.notified_at IS NULL"
                             " OR p.removed_at < p.notified_at)",
    "removed_during_hold": "p.removed_at IS NOT NULL AND p.hold_placed_at <= p.removed_at"
                           " AND (p.hold_ended_at IS NULL OR p.removed_at < p.hold_ended_at)",
}
ALARMS = ("removal_in_hold", "removal_before_notice", "hold_ends_before_notice",
          "removed_before_notice", "removed_during_hold")

ROSTER_ORDERS = {
    "id": "p.id",
    # the work order: scheduled removal soonest, then high-risk, then the rest (an index)
    "work": "coalesce(p.removal_date, '9999-12-31'), p.high_risk DESC, p.id",
}

_ROSTER_COLUMNS = (
    "p.id, p.person_key, p.a_number, p.family_name, p.given_names, p.full_name, p.birth_date,"
    " p.nationality, p.facility, p.custody_status, p.high_risk, p.counsel, p.language,"
    " p.notify_state, p.notify_channel, p.notify_since, p.notified_at, p.acknowledged_at,"
    " p.notify_attempts, p.notify_note, p.hold_state, p.hold_type, p.hold_until, p.hold_days,"
    f" {HOLD_END} AS hold_end, p.hold_placed_at, h.actor AS hold_placed_by, p.hold_ended_at,"
    " p.hold_note, p.removal_date, p.removed_at, p.custody_review,"
    " t.actor AS touched_by, t.recorded_at AS touched_at, "
    + ", ".join(f"({sql}) AS {name}" for name, sql in PERSON_FLAGS.items()))


def _roster_where(f: dict) -> tuple[str, dict]:
    terms, args = [], {"today": f.get("today") or "9999-12-31",
                       "notify_late": bool(f.get("notify_late")),
                       "hold_late": bool(f.get("hold_late"))}
    if f.get("ids"):
        terms.append("p.id IN (SELECT value FROM json_each(:ids))")
        args["ids"] = json.dumps(list(f["ids"]))
    for name, column, test in (("facility", "facility", "LIKE :facility"),
                               ("nationality", "nationality", "= :nationality COLLATE NOCASE"),
                               ("notify", "notify_state", "= :notify"),
                               ("hold", "hold_state", "= :hold")):
        if f.get(name):
            terms.append(f"p.{column} {test}")
            args[name] = f"%{f[name]}%" if test.startswith("LIKE") else str(f[name])
    if f.get("high_risk"):
        terms.append("p.high_risk")
    if f.get("a_number"):
        terms.append("p.a_number = :a_number")
        args["a_number"] = f["a_number"]
    elif f.get("search"):
        terms.append("(p.full_name LIKE :search OR p.a_number LIKE :search"
                     " OR p.counsel LIKE :search)")
        args["search"] = f"%{f['search']}%"
    if f.get("overdue"):
        terms.append(f"(({PERSON_FLAGS['overdue_notify']}) OR ({PERSON_FLAGS['overdue_hold']}))")
    if f.get("alarm"):
        terms.append("(" + " OR ".join(f"({PERSON_FLAGS[a]})" for a in ALARMS) + ")")
    return (" WHERE " + " AND ".join(terms) if terms else ""), args


def roster_page(conn: sqlite3.Connection, offset: int = 0, limit: int = 100,
                order: str = "id", **filters) -> list[dict]:
    """A page of the roster (limit -1: every matching person), with the last actor and time
    that touched each person, who placed the hold, its end, and each flag of PERSON_FLAGS."""
    where, args = _roster_where(filters)
    order_by = ROSTER_ORDERS[order]
    # the page's ids first (an index serves the order), then the columns of those rows
    # only: a page deep in 100,000 people costs no more than the first
    return _dicts(conn, f"SELECT {_ROSTER_COLUMNS} FROM (SELECT p.id FROM people p{where}"
                        f" ORDER BY {order_by} LIMIT :limit OFFSET :offset) AS page"
                        " JOIN people p ON p.id = page.id"
                        " LEFT JOIN events t ON t.id = p.touched_event"
                        f" LEFT JOIN events h ON h.id = p.hold_event ORDER BY {order_by}",
                  {**args, "limit": limit, "offset": offset})


def roster_count(conn: sqlite3.Connection, **filters) -> int:
    where, args = _roster_where(filters)
    return conn.execute(f"SELECT count(*) FROM people p{where}", args).fetchone()[0]


def roster_facets(conn: sqlite3.Connection) -> dict[str, list[tuple[str, int]]]:
    """The facilities and nationalities of the roster with their counts, largest first (the
    console's filter choices)."""
    return {column: [tuple(r) for r in conn.execute(
        f"SELECT {column}, count(*) AS n FROM people WHERE {column} IS NOT NULL"
        f" GROUP BY {column} ORDER BY n DESC, {column}")]
        for column in ("facility", "nationality")}


def t0(conn: sqlite3.Connection) -> str | None:
    """T0: the discovery (the tip that reported the exposure), else the incident's opening."""
    row = conn.execute("SELECT coalesce(discovered_at, opened_at) FROM incidents"
                       " ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else None


# ---- downloaders' contact

_CONTACT_COLUMNS = ("d.id, d.client, d.complete, d.bot, d.bytes, d.requests, d.first_seen,"
                    " d.last_seen, d.user_agents, d.organisation, d.contact, d.contact_state,"
                    " d.contact_at, d.clawback_at, d.chased_at, d.attested_at, d.contact_note,"
                    " t.actor AS touched_by, t.recorded_at AS touched_at")


def _contact_where(f: dict) -> tuple[str, dict]:
    terms, args = [], {}
    if f.get("clients"):
        terms.append("d.client IN (SELECT value FROM json_each(:clients))")
        args["clients"] = json.dumps(list(f["clients"]))
    if f.get("state"):
        terms.append("d.contact_state = :state")
        args["state"] = str(f["state"])
    if f.get("complete") is not None:
        terms.append("d.complete = :complete")
        args["complete"] = int(bool(f["complete"]))
    if f.get("bot") is not None:
        terms.append("d.bot = :bot")
        args["bot"] = int(bool(f["bot"]))
    if f.get("search"):
        terms.append("(d.client LIKE :search OR d.organisation LIKE :search)")
        args["search"] = f"%{f['search']}%"
    return (" WHERE " + " AND ".join(terms) if terms else ""), args


def contact_rows(conn: sqlite3.Connection, offset: int = 0, limit: int = -1,
                 **filters) -> list[dict]:
    """Downloaders with their contact work, first seen first."""
    where, args = _contact_where(filters)
    rows = _dicts(conn, f"SELECT {_CONTACT_COLUMNS} FROM downloaders d"
                        f" LEFT JOIN events t ON t.id = d.touched_event{where}"
                        " ORDER BY d.first_seen, d.id LIMIT :limit OFFSET :offset",
                  {**args, "limit": limit, "offset": offset})
    for row in rows:
        row["user_agents"] = json.loads(row["user_agents"] or "[]")
    return rows


def contact_count(conn: sqlite3.Connection, **filters) -> int:
    where, args = _contact_where(filters)
    return conn.execute(f"SELECT count(*) FROM downloaders d{where}", args).fetchone()[0]


# ---- tasks

_TASK_DUE = ("coalesce(k.due_at, CASE WHEN k.due_offset IS NOT NULL THEN"
             " strftime('%Y-%m-%dT%H:%M:%fZ', :t0, '+' || k.due_offset || ' seconds') END)")


def tasks(conn: sqlite3.Connection, at: str | None = None, overdue: bool = False,
          checklist: str | None = None) -> list[dict]:
    """Every task with its due time (an offset is read from the current T0, so a discovery
    time learned later moves it), who closed it, and whether it is overdue at `at` (UTC
    text); in due order."""
    terms = ["k.checklist = :checklist"] if checklist else []
    if overdue:
        terms.append("overdue")
    where = " WHERE " + " AND ".join(terms) if terms else ""
    return _dicts(conn, f"""SELECT * FROM (
        SELECT k.id, k.key, k.checklist, k.title, k.owner, k.assignee, k.state, k.subject,
               k.step, k.note, {_TASK_DUE} AS due_at, k.due_offset, k.done_at,
               e.actor AS done_by,
               (k.state != '{TaskState.DONE}' AND {_TASK_DUE} < :at) AS overdue
          FROM tasks k LEFT JOIN events e ON e.id = k.done_event) k{where}
        ORDER BY k.due_at IS NULL, k.due_at, k.id""",
                  {"t0": t0(conn), "at": at or "0", "checklist": checklist})


def task_keys(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT key FROM tasks")}
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


# ---------------------------------------------------------------- the console's Notify, Holds
# and Tasks tabs (issue 9's console part)


def roster_states(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """How many people are in each notification state and each hold state (the tabs'
    progress bars): {"notify": {state: n}, "hold": {state: n}}; absent states are 0."""
    out: dict[str, dict[str, int]] = {}
    for name, column in (("notify", "notify_state"), ("hold", "hold_state")):
        out[name] = dict(conn.execute(f"SELECT {column}, count(*) FROM people"
                                      f" GROUP BY {column}").fetchall())
    return out


def person_history(conn: sqlite3.Connection, person_key: str, limit: int = 200) -> list[Event]:
    """The events about one person (their subject is the person key), newest happening
    first (ties: newest recorded first)."""
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE subject = ?"
                        " ORDER BY occurred_at DESC, id DESC LIMIT ?",
                        (person_key, limit)).fetchall()
    return [_event(r) for r in rows]
