"""A batch of imported people against the roster: conflicting identities kept, risk flags
merged. Called by the `people_imported` projection (projections.py) for each batch.

The roster keeps one row a person key (the A-number); its values are the first record's,
filled in by later ones. A record of a known A-number with another name or birth date
(model/identity.py) is another identity: the `identities` table gets the roster's identity
(once) and each new one, with the artifact and event that brought it, and the person's
risk_flags gain IDENTITY_CONFLICT. Nothing is merged silently, nothing is dropped.
Like every projection, this reads only the event and the state tables, so `verify` rebuilds
the same rows.

Re-reading an artifact is not another copy of it. A birth date that an earlier import of
the same artifact read one way round (its column was ambiguous: dates.py) and this import,
whose order the responder settled (`--date-order`), reads the other way round is a
correction: the earlier reading is replaced (in the people row and its identities rows), and
identities that now agree are one again. An import whose order was not settled leaves such a
date as the earlier import read it. Any other difference is another identity, as above.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from warroom.model.identity import Identity, conflicts, differences, merged

IDENTITY_CONFLICT = "identity_conflict"


# one imported record: (person key, name, birth date, nationality, facility, risk flags)
Record = tuple[str, "str | None", "str | None", "str | None", "str | None", "list[str] | None"]


# where an identity came from: (artifact, event id, identities row id or None)
Origin = tuple["str | None", int, "int | None"]


@dataclass(frozen=True)
class Reread:
    """This batch's import: its artifact, the event that began it (identities from this
    artifact recorded before it are an earlier reading) and whether its order was settled."""

    artifact: str | None
    since: int
    settled: bool


@dataclass
class _Person:
    known: Identity                         # what the roster row holds (or will)
    base: tuple                             # the roster row's identity, as an identities row
    flags: set[str]
    identities: list[Identity] | None = None     # None: one identity so far
    origins: list[Origin] = field(default_factory=list)   # each identity's, in order
    new: list[tuple] = field(default_factory=list)
    corrected: bool = False                 # a birth date re-read: rows to rewrite
    known_reread: bool = False              # the roster row's, by this batch


@dataclass
class Reconciled:
    """What a batch does to the roster beyond its people rows."""

    flags: dict[str, str]                       # person key -> risk flags (JSON), after
    identities: dict[str, list[tuple]]          # person key -> identities rows to add
    births: dict[str, str | None] = field(default_factory=dict)   # people rows re-read
    rewrite: dict[str, list[tuple]] = field(default_factory=dict)   # identities, whole
    corrected: int = 0                          # people whose birth date was re-read


def reconcile(conn: sqlite3.Connection, records: list[Record], artifact: str | None,
              event_id: int, reread: Reread | None = None) -> Reconciled:
    """For a batch: each person key's risk flags (JSON, sorted) after the batch, and the
    identities rows to add for each key (identities(full_name, birth_date, nationality,
    facility, source_artifact, event_id)), in the batch's order; and the birth dates an
    earlier reading of the artifact got the wrong way round. A key seen once in the
    batch and new to the roster (the common case) costs a dictionary entry."""
    reread = reread or Reread(artifact, event_id, False)
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
                rows = kept.get(pid)
                p = people[key] = _Person(
                    (name, born), (name, born, nat, fac, source, first_event),
                    set(json.loads(flags or "[]")),
                    [(n, b) for _, n, b, *_ in rows] if rows else None,
                    [(s, e, i) for i, _, _, s, e, *_ in rows] if rows else [])
        _another(p, r, artifact, event_id, reread)
    out = Reconciled({key: json.dumps(sorted(r[5])) if r[5] else "[]"
                      for key, r in first.items()}, {})
    for key, p in people.items():
        if p.corrected:
            _settle(p, key, out, kept.get(existing[key][0]) or [])   # corrected: not new
        out.flags[key] = json.dumps(sorted(p.flags))
        if p.new:
            out.identities[key] = p.new
    return out


def _another(p: _Person, r: Record, artifact: str | None, event_id: int,
             reread: Reread) -> None:
    """One more record of a person: its flags merged; another identity kept and flagged."""
    key, name, born, nationality, facility, flags = r
    p.flags.update(flags or ())
    if not key.startswith("A:"):
        return      # a key of name and birth date: another identity is another key
    identity = _reread(p, (name, born), reread, event_id)
    if p.identities is None:
        if not conflicts(p.known, identity):
            p.known = merged(p.known, identity)
            return
        p.identities = [p.known]
        p.origins = [(p.base[4], event_id if p.known_reread else p.base[5], None)]
        p.new.append(p.base)
        p.flags.add(IDENTITY_CONFLICT)
    if all(conflicts(old, identity) for old in p.identities):
        p.identities.append(identity)
        p.origins.append((artifact, event_id, None))
        p.new.append((name, born, nationality, facility, artifact, event_id))


def swapped(a: str | None, b: str | None) -> bool:
    """Two ISO dates that are one another with the day and month exchanged."""
    return bool(a and b and a != b and len(a) == len(b) == 10 and a[:5] == b[:5]
                and a[5:7] == b[8:10] and a[8:10] == b[5:7])


def _reread(p: _Person, identity: Identity, reread: Reread, event_id: int) -> Identity:
    """The identity as this record gives it, but for a birth date an earlier reading of the
    same artifact took the other way round: corrected there (a settled order), or read as
    it was (an unsettled one). Each earlier identity is re-read once: two rows of one file
    with one A-number and dates that are each other's swap stay two identities."""
    name, born = identity
    if p.identities is None:
        pool, origins = [p.known], [(p.base[4], -1 if p.known_reread else p.base[5], None)]
    else:
        pool, origins = p.identities, p.origins
    for j, (old, (source, event, _)) in enumerate(zip(pool, origins)):
        if (source == reread.artifact and 0 <= event < reread.since and swapped(old[1], born)
                and differences(old, identity) == ["birth_date"]):
            if not reread.settled:
                return (name, old[1])
            _correct(p, j, born, event_id)
            return identity
    return identity


def _correct(p: _Person, j: int, right: str | None, event_id: int) -> None:
    """The j-th identity (the roster's own when it has one) re-read: its birth date is
    `right`, and this event is now where it came from."""
    p.corrected = True
    if p.identities is None:
        p.known, p.known_reread = (p.known[0], right), True
        return
    (name, wrong), (source, event, row_id) = p.identities[j], p.origins[j]
    if (not p.known_reread and (source, event) == (p.base[4], p.base[5])
            and wrong == p.known[1]):
        p.known, p.known_reread = (p.known[0], right), True   # the roster row's, re-read
    p.identities[j] = (name, right)
    p.origins[j] = (source, event_id, row_id)


def _settle(p: _Person, key: str, out: Reconciled, rows: list[tuple]) -> None:
    """After re-reading: the people row's birth date, and the identities left once those
    that now agree are one (a single one left: no conflict)."""
    out.corrected += 1
    out.births[key] = p.known[1]
    if p.identities is None:
        return
    details = {row[0]: row[5:] for row in rows}     # row id -> (nationality, facility)
    new_rows = iter(p.new)
    whole: list[tuple] = []
    distinct: list[Identity] = []
    for identity, (source, event, row_id) in zip(p.identities, p.origins):
        if row_id is None:
            _, _, nat, fac, _, _ = next(new_rows)
        else:
            nat, fac = details[row_id]
        if all(conflicts(other, identity) for other in distinct):
            distinct.append(identity)
            whole.append((*identity, nat, fac, source, event))
    p.new = []
    if len(distinct) > 1:
        out.rewrite[key] = whole
    else:
        out.rewrite[key] = []
        p.flags.discard(IDENTITY_CONFLICT)


def _identities(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[tuple]]:
    """Each person's identities rows: (row id, name, birth date, artifact, event id,
    nationality, facility)."""
    if not ids:
        return {}
    out: dict[int, list[tuple]] = {}
    for row_id, pid, *row in conn.execute(
            "SELECT id, person_id, full_name, birth_date, source_artifact, event_id,"
            " nationality, facility FROM identities"
            " WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(ids),)):
        out.setdefault(pid, []).append((row_id, *row))
    return out


def write_reconciled(conn: sqlite3.Connection, done: Reconciled) -> None:
    """Write what `reconcile` found, once the batch's people rows exist: the identities to
    add; for the people re-read, their birth date and their identities, whole."""
    for key, born in done.births.items():
        conn.execute("UPDATE people SET birth_date = ? WHERE person_key = ?", (born, key))
    for key, rows in [*done.rewrite.items(), *done.identities.items()]:
        (pid,) = conn.execute("SELECT id FROM people WHERE person_key = ?", (key,)).fetchone()
        if key in done.rewrite:     # re-read: never also among those with rows to add
            conn.execute("DELETE FROM identities WHERE person_id = ?", (pid,))
        conn.executemany(
            "INSERT INTO identities(person_id, full_name, birth_date, nationality, facility,"
            " source_artifact, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(pid, *row) for row in rows])
