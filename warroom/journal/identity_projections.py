"""A batch of imported people against the roster: conflicting identities kept, risk flags
merged. Called by the `people_imported` projection (projections.py) for each batch.

The roster keeps one row a person key (the A-number); its values are the first record's,
filled in by later ones. A record of a known A-number with another name or birth date
(model/identity.py) is another identity: the `identities` table gets the roster's identity
(once) and each new one, with the artifact and event that brought it, and the person's
risk_flags gain IDENTITY_CONFLICT. Nothing is merged silently, nothing is dropped.
Like every projection, this reads only the event and the state tables, so `verify` rebuilds
the same rows.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from warroom.model.identity import Identity, conflicts, merged

IDENTITY_CONFLICT = "identity_conflict"


# one imported record: (person key, name, birth date, nationality, facility, risk flags)
Record = tuple[str, "str | None", "str | None", "str | None", "str | None", "list[str] | None"]


@dataclass
class _Person:
    known: Identity                         # what the roster row holds (or will)
    base: tuple                             # the roster row's identity, as an identities row
    flags: set[str]
    identities: list[Identity] | None = None     # None: one identity so far
    new: list[tuple] = field(default_factory=list)


def reconcile(conn: sqlite3.Connection, records: list[Record], artifact: str | None,
              event_id: int) -> tuple[dict[str, str], dict[str, list[tuple]]]:
    """For a batch: each person key's risk flags (JSON, sorted) after the batch, and the
    identities rows to add for each key (identities(full_name, birth_date, nationality,
    facility, source_artifact, event_id)), in the batch's order. A key seen once in the
    batch and new to the roster (the common case) costs a dictionary entry."""
    keys = list(dict.fromkeys(r[0] for r in records))
    existing = {row[0]: row[1:] for row in conn.execute(
        "SELECT person_key, id, full_name, birth_date, nationality, facility, source_artifact,"
        " event_id, risk_flags FROM people WHERE person_key IN (SELECT value FROM json_each(?))",
        (json.dumps(keys),))}
    kept = _identities(conn, [row[0] for row in existing.values()
                              if IDENTITY_CONFLICT in row[7]])
    first: dict[str, Record] = {}            # new keys, seen once so far
    people: dict[str, _Person] = {}
    for r in records:
        key = r[0]
        p = people.get(key)
        if p is None:
            row = existing.get(key)
            if row is None:
                if key not in first:
                    first[key] = r
                    continue
                _, name, born, nat, fac, flags = first.pop(key)
                p = people[key] = _Person((name, born), (name, born, nat, fac, artifact,
                                                         event_id), set(flags or ()))
            else:
                pid, name, born, nat, fac, source, first_event, flags = row
                p = people[key] = _Person((name, born), (name, born, nat, fac, source,
                                                         first_event),
                                          set(json.loads(flags or "[]")), kept.get(pid))
        _another(p, r, artifact, event_id)
    after = {key: json.dumps(sorted(r[5])) if r[5] else "[]" for key, r in first.items()}
    after.update((key, json.dumps(sorted(p.flags))) for key, p in people.items())
    return after, {key: p.new for key, p in people.items() if p.new}


def _another(p: _Person, r: Record, artifact: str | None, event_id: int) -> None:
    """One more record of a person: its flags merged; another identity kept and flagged."""
    key, name, born, nationality, facility, flags = r
    p.flags.update(flags or ())
    if not key.startswith("A:"):
        return      # a key of name and birth date: another identity is another key
    identity = (name, born)
    if p.identities is None:
        if not conflicts(p.known, identity):
            p.known = merged(p.known, identity)
            return
        p.identities = [p.known]
        p.new.append(p.base)
        p.flags.add(IDENTITY_CONFLICT)
    if all(conflicts(old, identity) for old in p.identities):
        p.identities.append(identity)
        p.new.append((name, born, nationality, facility, artifact, event_id))


def _identities(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[Identity]]:
    if not ids:
        return {}
    out: dict[int, list[Identity]] = {}
    for pid, name, born in conn.execute(
            "SELECT person_id, full_name, birth_date FROM identities"
            " WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(ids),)):
        out.setdefault(pid, []).append((name, born))
    return out


def add_identities(conn: sqlite3.Connection, new: dict[str, list[tuple[Any, ...]]]) -> None:
    """Write the identities `reconcile` found, once the batch's people rows exist."""
    for key, rows in new.items():
        (pid,) = conn.execute("SELECT id FROM people WHERE person_key = ?", (key,)).fetchone()
        conn.executemany(
            "INSERT INTO identities(person_id, full_name, birth_date, nationality, facility,"
            " source_artifact, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(pid, *row) for row in rows])
