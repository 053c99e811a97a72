"""The read side of the roster and the checklists: people, filters, pages, tasks, steps."""

from __future__ import annotations

import json
import sqlite3

from warroom.journal.queries import (
    _EVENT_COLUMNS,
    _dicts,
    _event,
)
from warroom.model import (
    NOTIFIED_STATES,
    Event,
    HoldState,
    TaskState,
)

# ---------------------------------------------------------------- checklists (issue 9)
# The roster as the Notify and Holds tabs and `warroom people` read it: one filter (the
# keyword arguments that `checklists.filters.PeopleFilter.query()` gives), a page of rows,
# and named conditions computed in SQL once (overdue work, alarms) both as columns and as
# filters, so a row and a filter can never disagree.
from warroom.model.kinds import ENDED_HOLD_STATES, OPEN_HOLD_STATES


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
    " p.nationality, p.facility, p.custody_status, p.high_risk, p.risk_flags, p.counsel,"
    " p.language,"
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
    if f.get("conflict"):    # more than one identity (journal/identity_projections.py)
        terms.append("p.risk_flags LIKE '%\"identity_conflict\"%'")
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


def identities(conn: sqlite3.Connection, person_id: int) -> list[dict]:
    """Every identity of a person with conflicting ones (none for a person with one), in
    the order the roster learned them, with where each came from."""
    return _dicts(conn, "SELECT i.full_name, i.birth_date, i.nationality, i.facility,"
                        " i.source_artifact, a.filename, i.event_id, e.occurred_at"
                        " FROM identities i LEFT JOIN events e ON e.id = i.event_id"
                        " LEFT JOIN artifacts a ON a.sha256 = i.source_artifact"
                        " WHERE i.person_id = ? ORDER BY i.id", (person_id,))


def identity_conflicts(conn: sqlite3.Connection, event_ids: list[int]) -> int:
    """People given another identity by these events (an import's)."""
    return conn.execute("SELECT count(DISTINCT person_id) FROM identities WHERE event_id IN"
                        " (SELECT value FROM json_each(?))",
                        (json.dumps(event_ids),)).fetchone()[0]


def person_history(conn: sqlite3.Connection, person_key: str, limit: int = 200) -> list[Event]:
    """The events about one person (their subject is the person key), newest happening
    first (ties: newest recorded first)."""
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE subject = ?"
                        " ORDER BY occurred_at DESC, id DESC LIMIT ?",
                        (person_key, limit)).fetchall()
    return [_event(r) for r in rows]
