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

from warroom.journal.identity_projections import Reread, reconcile, write_reconciled
from warroom.model import (
    Kind,
    LocationState,
    NotifyState,
    TaskState,
    person_key,
)

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
        _set_location_state(conn, data["url"], LocationState.LIVE, at, data)


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
                   nationality, facility, high_risk, source_artifact, event_id, risk_flags)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(person_key) DO UPDATE SET
    a_number    = coalesce(people.a_number, excluded.a_number),
    family_name = coalesce(people.family_name, excluded.family_name),
    given_names = coalesce(people.given_names, excluded.given_names),
    full_name   = coalesce(people.full_name, excluded.full_name),
    birth_date  = coalesce(people.birth_date, excluded.birth_date),
    nationality = coalesce(people.nationality, excluded.nationality),
    facility    = coalesce(people.facility, excluded.facility),
    high_risk   = max(people.high_risk, excluded.high_risk),
    risk_flags  = excluded.risk_flags,
    sources     = people.sources + 1
"""


@handles(Kind.IMPORT_STARTED)
def _import_started(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO imports(import_id, artifact, people, batch_size, batches, started_at,"
        " event_id, date_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (data["import_id"], data.get("artifact"), data["people"], data["batch_size"],
         data["batches"], at, event_id, data.get("date_order")))


@handles(Kind.IMPORT_FINISHED)
def _import_finished(conn, event_id, at, subject, data):
    conn.execute("UPDATE imports SET finished_at = ? WHERE import_id = ?",
                 (at, data["import_id"]))


@handles(Kind.PEOPLE_IMPORTED)
def _people_imported(conn, event_id, at, subject, data):
    """data: {"artifact", "batch", "fields": [...], "people": [[...], ...]}: one row a person,
    in the order of `fields` (PERSON_FIELDS, then high_risk, then risk_flags: fields are
    read by name, so an event written before one existed applies the same). Another
    identity of a known A-number is kept and flagged (identity_projections.py)."""
    artifact = data.get("artifact")
    index = {name: i for i, name in enumerate(data["fields"])}
    a, full, fam, giv, dob, risk, nat, fac, flag = (index.get(k) for k in (
        "a_number", "full_name", "family_name", "given_names", "birth_date", "high_risk",
        "nationality", "facility", "risk_flags"))
    columns = [index.get(f) for f in PERSON_FIELDS]
    records, rows = [], []
    for p in data["people"]:
        name = p[full] if full is not None and p[full] else _joined(
            p[fam] if fam is not None else None, p[giv] if giv is not None else None)
        born = p[dob] if dob is not None else None
        key = person_key(p[a] if a is not None else None, name, born)
        flags = p[flag] if flag is not None else None
        records.append((key, name, born, p[nat] if nat is not None else None,
                        p[fac] if fac is not None else None, flags))
        rows.append([key, *(p[i] if i is not None else None for i in columns),
                     int(bool(p[risk]) or bool(flags)) if risk is not None else int(bool(flags)),
                     artifact, event_id])
    started = conn.execute("SELECT event_id, date_order FROM imports WHERE import_id = ?",
                           (data.get("import_id"),)).fetchone()
    done = reconcile(conn, records, artifact, event_id,
                     Reread(artifact, started[0], bool(started[1])) if started else None)
    for row in rows:
        row.append(done.flags[row[0]])
    conn.executemany(_UPSERT_PERSON, rows)
    write_reconciled(conn, done)
    if data.get("import_id"):
        conn.execute("UPDATE imports SET batches_done = batches_done + 1,"
                     " corrected = corrected + ? WHERE import_id = ?",
                     (done.corrected, data["import_id"]))


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
from warroom.journal.exposure_projections import (  # noqa: E402  (registers handlers)
    _set_location_state,
)

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
