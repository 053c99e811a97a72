"""Projections: how each event kind changes the state tables.

`apply` runs inside the transaction that appends the event, and again, event by event, when
`verify` rebuilds the state from nothing. It must therefore depend only on the event and on the
state tables: never on the wall clock, the file system or anything random.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from warroom.model import (
    DOWN_STATES,
    ContactState,
    Kind,
    LocationState,
    NotifyState,
    TaskState,
    parse_instant,
    person_key,
)
from warroom.model.kinds import OPEN_TAKEDOWN_STATES, TakedownState, Verdict

Handler = Callable[[sqlite3.Connection, int, str, "str | None", dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}


class StaleDecision(ValueError):
    """An event decided from a state that has moved on since it was read (another process
    wrote first): the append is rolled back; read again and decide again."""


def handles(*kinds: str) -> Callable[[Handler], Handler]:
    """Register fn for kinds. A kind that already has a handler keeps it: both run, in the
    order they were registered (two areas of the code may each follow the same kind)."""
    def register(fn: Handler) -> Handler:
        for kind in kinds:
            key = str(getattr(kind, "value", kind))
            HANDLERS[key] = _both(HANDLERS[key], fn) if key in HANDLERS else fn
        return fn

    return register


def _both(first: Handler, then: Handler) -> Handler:
    def run(conn, event_id, at, subject, data):
        first(conn, event_id, at, subject, data)
        then(conn, event_id, at, subject, data)

    return run


def apply(conn: sqlite3.Connection, event_id: int, occurred_at: str, kind: str,
          subject: str | None, data: dict[str, Any]) -> None:
    handler = HANDLERS.get(kind)
    if handler is not None:
        handler(conn, event_id, occurred_at, subject, data)


# ---------------------------------------------------------------- incident


@handles(Kind.INCIDENT_OPENED)
def _incident_opened(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO incidents(name, description, opened_at, discovered_at, event_id)"
        " VALUES (?, ?, ?, ?, ?)",
        (data["name"], data.get("description"), at, data.get("discovered_at"), event_id),
    )


@handles(Kind.POSTED)
def _posted(conn, event_id, at, subject, data):
    conn.execute(
        "UPDATE incidents SET posted_at = min(coalesce(posted_at, ?), ?)", (at, at)
    )
    if data.get("url"):
        _set_location_state(conn, data["url"], _LIVE, at, data)


@handles(Kind.TIP_RECEIVED)
def _tip(conn, event_id, at, subject, data):
    found = data.get("in_roster") or []
    person = conn.execute("SELECT id FROM people WHERE person_key = ?",
                          (person_key(found[0], None, None),)).fetchone() if found else None
    conn.execute(
        "INSERT INTO tips(uid, received_at, source, text, url, confidential, person_id,"
        " event_id, contact, channel, org, urls, a_numbers, in_roster, state_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (data["uid"], at, data["source"], data["text"], data.get("url"),
         int(bool(data.get("confidential"))), person[0] if person else None, event_id,
         data.get("contact"), data.get("channel"), data.get("org"),
         json.dumps(data.get("urls") or []), json.dumps(data.get("a_numbers") or []),
         json.dumps(found), at),
    )
    if data.get("discovery"):
        conn.execute(
            "UPDATE incidents SET discovered_at = min(coalesce(discovered_at, ?), ?)", (at, at)
        )


@handles(Kind.CLOSED)
def _closed(conn, event_id, at, subject, data):
    conn.execute("UPDATE incidents SET closed_at = ?", (at,))


# ---------------------------------------------------------------- locations


@handles(Kind.LOCATION_ADDED)
def _location_added(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO locations(url, kind, note, event_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(url) DO UPDATE SET kind = excluded.kind",
        (data["url"], data["kind"], data.get("note"), event_id),
    )
    if data.get("state"):
        _set_location_state(conn, data["url"], data["state"], at, data)


@handles(Kind.LOCATION_STATE, Kind.VERIFIED)
def _location_state(conn, event_id, at, subject, data):
    if data.get("verdict"):
        _location_checked(conn, event_id, at, data)
    else:       # a responder's statement: the state as said
        _set_location_state(conn, data["url"], data["state"], at, data, event_id)


@handles(Kind.TAKEN_DOWN, Kind.CDN_PURGED)
def _taken_down(conn, event_id, at, subject, data):
    _set_location_state(conn, data["url"], _DOWN, at, data, event_id)


_STATES = frozenset(LocationState)
_LIVE, _DOWN = LocationState.LIVE, LocationState.DOWN
_VERIFIED_DOWN = LocationState.VERIFIED_DOWN


def next_location_state(state: str, negatives: int, first_negative_at: str | None,
                        verdict: str, at: str, confirm: int, over: float,
                        ) -> tuple[str, int, str | None]:
    """The confirmation rule: (state, negatives, first negative at) after one check at `at`.

    Found: live, and the run of negatives starts again. Gone: down, and verified down once
    `confirm` consecutive negative checks span at least `over` seconds (verified down stays
    verified down while the checks stay negative). Unsure: nothing was learned, nothing
    moves. Times are the journal's UTC text; the probe and this projection call the same
    function, so a decision taken from the journal's state is the one the journal replays."""
    if verdict == Verdict.FOUND:
        return _LIVE, 0, None
    if verdict == Verdict.GONE:
        count, first = negatives + 1, first_negative_at or at
        spread = (parse_instant(at) - parse_instant(first)).total_seconds()
        if state == _VERIFIED_DOWN or (count >= confirm and spread >= over):
            return _VERIFIED_DOWN, count, first
        return _DOWN, count, first
    if verdict == Verdict.UNSURE:
        return state, negatives, first_negative_at
    raise ValueError(f"unknown verdict {verdict!r}")


def _location_checked(conn, event_id, at, data) -> None:
    """A probe's check: its state must be what the rule gives from the state it was taken
    from, else the check was decided on a stale read and is refused."""
    url = data["url"]
    row = conn.execute("SELECT state, negatives, first_negative_at FROM locations"
                       " WHERE url = ?", (url,)).fetchone()
    if row is None:
        raise ValueError(f"a check of {url}, which is no known location")
    state, negatives, first = next_location_state(*row, data["verdict"], at,
                                                  data.get("confirm") or 1, data.get("over") or 0)
    if (data.get("was"), data["state"], data.get("negatives")) != (row[0], state, negatives):
        raise StaleDecision(f"{url} moved on while it was checked (it is {row[0]} with"
                            f" {row[1]} negative checks): decide again")
    _set_location_state(conn, url, state, at, data, event_id)
    conn.execute(
        """UPDATE locations SET checks = checks + 1, negatives = ?, first_negative_at = ?,
             last_status = ?, last_sha256 = ?, last_verdict = ?, last_match = ?,
             last_share = ?, last_artifact = ?, last_error = ?
           WHERE url = ?""",
        (negatives, first, data.get("status"), data.get("sha256"), data["verdict"],
         data.get("match"), data.get("share"), data.get("artifact"), data.get("error"), url))


def _set_location_state(conn, url: str, state: str, at: str, data: dict[str, Any],
                        event_id: int | None = None) -> None:
    state = str(getattr(state, "value", state))
    if state not in _STATES:
        raise ValueError(f"unknown location state {state!r}")
    live = state == _LIVE
    down = state in DOWN_STATES
    conn.execute(
        """UPDATE locations SET
             state = ?,
             live_since = CASE WHEN ? THEN coalesce(live_since, ?) ELSE live_since END,
             down_since = CASE WHEN ? THEN NULL WHEN ? THEN coalesce(down_since, ?)
                               ELSE down_since END,
             verified_at = CASE WHEN ? THEN ? ELSE verified_at END,
             last_checked_at = ?,
             last_status = coalesce(?, last_status),
             last_sha256 = coalesce(?, last_sha256),
             negatives = CASE WHEN ? THEN 0 ELSE negatives END,
             first_negative_at = CASE WHEN ? THEN NULL ELSE first_negative_at END
           WHERE url = ?""",
        (state, live, at, live, down, at, state == _VERIFIED_DOWN, at,
         at, data.get("status"), data.get("sha256"), live, live, url),
    )
    if state == _VERIFIED_DOWN:
        # the file is proven gone from here: what was asked of this location is done
        conn.execute(
            f"""UPDATE takedowns SET state = ?, closed_at = ?, updated_at = ?,
                  closed_by = ? WHERE url = ? AND state IN ({_marks(OPEN_TAKEDOWN_STATES)})""",
            (TakedownState.DONE, at, at, f"verified_down (event {event_id})", url,
             *sorted(OPEN_TAKEDOWN_STATES)))


def _marks(values) -> str:
    return ", ".join("?" * len(values))


# ---------------------------------------------------------------- takedowns


@handles(Kind.TAKEDOWN_REQUESTED)
def _takedown_requested(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO takedowns(request_id, url, via, state, ref, note, requested_by,"
        " requested_at, updated_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (data["request_id"], data["url"], data["via"], TakedownState.REQUESTED,
         data.get("ref"), data.get("note"), data["by"], at, at, event_id))


@handles(Kind.TAKEDOWN_STATE)
def _takedown_state(conn, event_id, at, subject, data):
    row = conn.execute("SELECT state FROM takedowns WHERE request_id = ?",
                       (data["request_id"],)).fetchone()
    if row is None:
        raise ValueError(f"no takedown request {data['request_id']}")
    if row[0] != data["was"]:
        raise StaleDecision(f"the {data['via']} request for {data['url']} is {row[0]} now,"
                            f" not {data['was']}")
    closed = data["state"] not in OPEN_TAKEDOWN_STATES
    conn.execute(
        "UPDATE takedowns SET state = ?, reason = coalesce(?, reason), ref = coalesce(?, ref),"
        " updated_by = ?, updated_at = ?, closed_at = CASE WHEN ? THEN ? ELSE NULL END,"
        " closed_by = CASE WHEN ? THEN ? ELSE NULL END WHERE request_id = ?",
        (data["state"], data.get("reason"), data.get("ref"), data["by"], at, closed, at,
         closed, data["by"], data["request_id"]))


# ---------------------------------------------------------------- downloaders


@handles(Kind.DOWNLOADED)
def _downloaded(conn, event_id, at, subject, data):
    """A client that received bytes of the file. The event states the client's totals in one
    import of access logs (`logs`), which replace what that import said before; an event
    with no `logs` (a responder's entry) is a share of its own. The client's one row in
    `downloaders` adds up its shares."""
    conn.execute(
        """INSERT INTO downloads(logs, client, complete, bot, bytes, requests, first_seen,
                                 last_seen, user_agents, event_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(logs, client) DO UPDATE SET
             complete = excluded.complete, bot = excluded.bot, bytes = excluded.bytes,
             requests = excluded.requests, first_seen = excluded.first_seen,
             last_seen = excluded.last_seen, user_agents = excluded.user_agents,
             event_id = excluded.event_id""",
        (data.get("logs") or f"event:{event_id}", data["client"],
         int(bool(data.get("complete"))), int(bool(data.get("bot"))),
         int(data.get("bytes") or 0), int(data.get("requests") or 1),
         data.get("first_seen") or at, data.get("last_seen") or at,
         json.dumps(data.get("user_agents") or []), event_id),
    )
    _add_up_downloader(conn, data["client"], event_id)


# The client's row from its shares: bytes and requests summed, complete if any share is, a
# bot only if every share is, the user agents of all (in the order their shares were first
# seen).
_ADD_UP = """
INSERT INTO downloaders(client, complete, bot, bytes, requests, first_seen, last_seen,
                        user_agents, event_id)
SELECT :client, max(complete), min(bot), sum(bytes), sum(requests), min(first_seen),
       max(last_seen),
       CASE count(*) WHEN 1 THEN max(user_agents) ELSE (
           SELECT json_group_array(agent) FROM (
               SELECT a.value AS agent FROM downloads s, json_each(s.user_agents) a
               WHERE s.client = :client GROUP BY a.value
               ORDER BY min(s.first_seen), min(s.logs), min(a.key))) END,
       :event
FROM downloads WHERE client = :client
HAVING count(*) > 0
ON CONFLICT(client) DO UPDATE SET
  complete = excluded.complete, bot = excluded.bot, bytes = excluded.bytes,
  requests = excluded.requests, first_seen = excluded.first_seen,
  last_seen = excluded.last_seen, user_agents = excluded.user_agents
"""


def _add_up_downloader(conn, client: str, event_id: int) -> None:
    conn.execute(_ADD_UP, {"client": client, "event": event_id})


@handles(Kind.LOGS_IMPORTED)
def _logs_imported(conn, event_id, at, subject, data):
    """An import of access logs. Its own earlier shares (the same logs imported again) and
    those of the imports it supersedes give way; its downloaded events follow with the new
    totals. A client left with no share loses its row, unless a responder has begun contact
    work on it (then its counts are zero until a share comes back)."""
    key = data["logs"]
    gone = [key, *(data.get("supersedes") or [])]
    marks = ", ".join("?" * len(gone))
    elsewhere = [row[0] for row in conn.execute(
        f"SELECT DISTINCT d.client FROM downloads d WHERE d.logs IN ({marks}) AND EXISTS"
        f" (SELECT 1 FROM downloads o WHERE o.client = d.client AND o.logs NOT IN ({marks}))",
        gone + gone)]
    conn.execute(f"DELETE FROM downloads WHERE logs IN ({marks})", gone)
    orphan = "NOT EXISTS (SELECT 1 FROM downloads d WHERE d.client = downloaders.client)"
    conn.execute(f"DELETE FROM downloaders WHERE {orphan} AND contact_state = ?"
                 " AND organisation IS NULL AND attested_at IS NULL",
                 (ContactState.UNIDENTIFIED,))
    conn.execute(f"UPDATE downloaders SET complete = 0, bot = 0, bytes = 0, requests = 0,"
                 f" first_seen = NULL, last_seen = NULL, user_agents = '[]'"
                 f" WHERE requests > 0 AND {orphan}")
    for client in elsewhere:
        _add_up_downloader(conn, client, event_id)
    conn.execute(f"UPDATE log_imports SET superseded_by = ? WHERE logs IN ({marks})",
                 (key, *gone))
    conn.execute(
        """INSERT INTO log_imports(logs, path, files, lines, bad_lines, downloaders, size,
                                   first_access, last_access, imported_at, event_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(logs) DO UPDATE SET
             files = excluded.files, lines = excluded.lines, bad_lines = excluded.bad_lines,
             downloaders = excluded.downloaders, size = excluded.size,
             first_access = excluded.first_access, last_access = excluded.last_access,
             imported_at = excluded.imported_at, superseded_by = NULL,
             event_id = excluded.event_id""",
        (key, data["path"], json.dumps(data["files"], sort_keys=True), data["lines"],
         data["bad_lines"], data["downloaders"], data.get("size"), data.get("first_access"),
         data.get("last_access"), at, event_id),
    )


# ---------------------------------------------------------------- artifacts


@handles(Kind.ARTIFACT_ACQUIRED)
def _artifact_acquired(conn, event_id, at, subject, data):
    conn.execute(
        """INSERT INTO artifacts(sha256, size, source, final_url, http_status, headers,
                                 filename, path, acquired_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(sha256) DO UPDATE SET acquisitions = acquisitions + 1""",
        (data["sha256"], data["size"], data["source"], data.get("final_url"),
         data.get("status"), json.dumps(data.get("headers") or {}, sort_keys=True),
         data.get("filename"), data["path"], at),
    )


@handles(Kind.ARTIFACT_SCANNED)
def _artifact_scanned(conn, event_id, at, subject, data):
    conn.execute(
        "UPDATE artifacts SET format = ?, records = ?, scan = ?, uses = uses + 1"
        " WHERE sha256 = ?",
        (data.get("format"), data.get("records"),
         json.dumps(data.get("summary") or {}, sort_keys=True), data["sha256"]),
    )


@handles(Kind.ARTIFACT_USED)
def _artifact_used(conn, event_id, at, subject, data):
    conn.execute("UPDATE artifacts SET uses = uses + 1 WHERE sha256 = ?", (data["sha256"],))


# ---------------------------------------------------------------- people

PERSON_FIELDS = ("a_number", "family_name", "given_names", "full_name", "birth_date",
                 "nationality", "facility")

_UPSERT_PERSON = """
INSERT INTO people(person_key, a_number, family_name, given_names, full_name, birth_date,
                   nationality, facility, high_risk, source_artifact, event_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(person_key) DO UPDATE SET
    a_number    = coalesce(people.a_number, excluded.a_number),
    family_name = coalesce(people.family_name, excluded.family_name),
    given_names = coalesce(people.given_names, excluded.given_names),
    full_name   = coalesce(people.full_name, excluded.full_name),
    birth_date  = coalesce(people.birth_date, excluded.birth_date),
    nationality = coalesce(people.nationality, excluded.nationality),
    facility    = coalesce(people.facility, excluded.facility),
    high_risk   = max(people.high_risk, excluded.high_risk),
    sources     = people.sources + 1
"""


@handles(Kind.IMPORT_STARTED)
def _import_started(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO imports(import_id, artifact, people, batch_size, batches, started_at,"
        " event_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (data["import_id"], data.get("artifact"), data["people"], data["batch_size"],
         data["batches"], at, event_id))


@handles(Kind.IMPORT_FINISHED)
def _import_finished(conn, event_id, at, subject, data):
    conn.execute("UPDATE imports SET finished_at = ? WHERE import_id = ?",
                 (at, data["import_id"]))


@handles(Kind.PEOPLE_IMPORTED)
def _people_imported(conn, event_id, at, subject, data):
    """data: {"artifact", "batch", "fields": [...], "people": [[...], ...]}: one row a person,
    in the order of `fields` (PERSON_FIELDS, then high_risk)."""
    artifact = data.get("artifact")
    index = {name: i for i, name in enumerate(data["fields"])}
    a, full, fam, giv, dob, risk = (index.get(k) for k in (
        "a_number", "full_name", "family_name", "given_names", "birth_date", "high_risk"))
    columns = [index.get(f) for f in PERSON_FIELDS]
    rows = []
    for p in data["people"]:
        name = p[full] if full is not None and p[full] else _joined(
            p[fam] if fam is not None else None, p[giv] if giv is not None else None)
        key = person_key(p[a] if a is not None else None, name,
                         p[dob] if dob is not None else None)
        rows.append((key, *(p[i] if i is not None else None for i in columns),
                     int(bool(p[risk])) if risk is not None else 0, artifact, event_id))
    conn.executemany(_UPSERT_PERSON, rows)
    if data.get("import_id"):
        conn.execute("UPDATE imports SET batches_done = batches_done + 1 WHERE import_id = ?",
                     (data["import_id"],))


def _joined(family: str | None, given: str | None) -> str | None:
    parts = [x for x in (family, given) if x]
    return ", ".join(parts) if parts else None


# ---------------------------------------------------------------- tasks


@handles(Kind.TASK_ADDED)
def _task_added(conn, event_id, at, subject, data):
    """A new task; born done when the procedure step that completes it was already taken
    (for the same subject, when the task has one)."""
    if conn.execute("SELECT 1 FROM tasks WHERE key = ?", (data["key"],)).fetchone():
        raise StaleState(f"task {data['key']} exists already")
    taken = conn.execute(
        "SELECT first_at, event_id FROM steps WHERE kind = ? AND (? IS NULL OR subject = ?)"
        " ORDER BY first_at, event_id LIMIT 1",
        (data.get("step"), subject, subject)).fetchone() if data.get("step") else None
    conn.execute(
        "INSERT INTO tasks(key, checklist, title, due_at, subject, owner, due_offset, step,"
        " state, done_at, done_event, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (data["key"], data["checklist"], data["title"], data.get("due_at"), subject,
         data.get("owner"), data.get("due_offset"), data.get("step"),
         TaskState.DONE if taken else TaskState.OPEN, *(taken or (None, None)), event_id),
    )


@handles(Kind.TASK_STATE)
def _task_state(conn, event_id, at, subject, data):
    done = data["state"] == TaskState.DONE
    conn.execute(
        "UPDATE tasks SET state = ?, assignee = coalesce(?, assignee), note = coalesce(?, note),"
        " done_at = CASE WHEN ? THEN coalesce(done_at, ?) END,"
        " done_event = CASE WHEN ? THEN coalesce(done_event, ?) END WHERE key = ?",
        (data["state"], data.get("assignee"), data.get("note"), done, at, done, event_id,
         data["key"]),
    )


# ---------------------------------------------------------------- notice letters


@handles(Kind.LETTERS_WRITTEN)
def _letters_written(conn, event_id, at, subject, data):
    """A letter written for a person whose notice was pending: their notice is prepared.
    (Later states, delivered and on, are the notification work's.)"""
    conn.execute(
        "UPDATE people SET notify_state = ? WHERE notify_state = ?"
        " AND id IN (SELECT value FROM json_each(?))",
        (NotifyState.PREPARED, NotifyState.PENDING, json.dumps(data["people"])))
# ---------------------------------------------------------------- checklists (issue 9)
# Per person (notification, removal hold), per downloader (contact) and the procedure steps
# that complete tasks: their handlers are in checklist_projections.py, registered on import.


class StaleState(ValueError):
    """A move decided from a state that has moved on since it was read (another responder
    wrote first): the append is rolled back; read again and decide again."""


import warroom.journal.checklist_projections  # noqa: E402, F401  (registers handlers)

# ---------------------------------------------------------------- tips triage, intake tokens


@handles(Kind.TIP_TRIAGED)
def _tip_triaged(conn, event_id, at, subject, data):
    conn.execute(
        "UPDATE tips SET state = ?, handled_by = ?, reason = ?, state_at = ?,"
        " triages = triages + 1 WHERE uid = ?",
        (data["state"], data["handled_by"], data.get("reason"), at, data["uid"]))


@handles(Kind.TOKEN_ADDED)
def _token_added(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO intake_tokens(token_hash, token_id, org, added_at, event_id)"
        " VALUES (?, ?, ?, ?, ?)",
        (data["token_hash"], data["token_id"], data["org"], at, event_id))


@handles(Kind.TOKEN_REVOKED)
def _token_revoked(conn, event_id, at, subject, data):
    conn.execute("UPDATE intake_tokens SET revoked_at = coalesce(revoked_at, ?)"
                 " WHERE token_hash = ?", (at, data["token_hash"]))
