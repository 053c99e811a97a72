"""`warroom verify`: walk the hash chain, then rebuild every projection from the events into a
scratch database and compare it with the journal's own tables, row by row."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from warroom.journal import connection, keys, projections, queries
from warroom.journal.chain import GENESIS, event_hash
from warroom.journal.schema import MIGRATIONS, PROJECTION_TABLES
from warroom.journal.store import Journal, _statements, connect
from warroom.model import PAYLOADS

Progress = Callable[[int, int], None]



@dataclass(frozen=True)
class Fault:
    what: str           # edited, deleted, reordered, inserted, head, trigger, projection
    message: str
    event_id: int | None = None


@dataclass
class Report:
    path: str
    events: int = 0
    faults: list[Fault] = field(default_factory=list)
    seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)
    head: str | None = None                 # the last event's hash: anchor it elsewhere
    unfinished: list[dict] = field(default_factory=list)   # imports begun and never ended
    head_checked: dict | None = None        # `verify --head`: the head asked for, its event

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def warnings(self) -> list[str]:
        return [f"import {u['import_id'][:12]} of {u['people']:,} people"
                + (f" from artifact {u['artifact'][:12]}…" if u["artifact"] else "")
                + f" is unfinished: {u['batches_done']} of {u['batches']} batches are in"
                " (run the same import again to complete it)" for u in self.unfinished]

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "ok": self.ok,
            "events": self.events,
            "count": self.events,
            "head": self.head,
            "tables": self.tables,
            "seconds": round(self.seconds, 3),
            "faults": [f.__dict__ for f in self.faults],
            "unfinished": self.unfinished,
            "warnings": self.warnings,
            **({"head_checked": self.head_checked} if self.head_checked else {}),
        }


PARALLEL_FROM = 50_000  # events; below this a second process costs more than it saves


def verify(path: str | os.PathLike[str], progress: Progress | None = None,
           parallel: bool | None = None) -> Report:
    """Check the chain and the projections. With many events the chain is walked in a second
    process while this one replays the events into the scratch projections."""
    started = time.perf_counter()
    report = Report(str(path))
    with Journal(path) as journal:
        conn = journal.conn
        conn.execute("BEGIN")  # one snapshot for the whole check, while writers go on
        try:
            total, upto = conn.execute(
                "SELECT count(*), coalesce(max(id), 0) FROM events").fetchone()
            _check_triggers(conn, report)
            if parallel if parallel is not None else total >= PARALLEL_FROM:
                with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
                    future = pool.submit(walk_file, str(path), upto, keys.current())
                    scratch, replay_faults = _replay(conn, total, progress)
                    chain = future.result()
            else:
                chain = walk_chain(conn, upto)
                scratch, replay_faults = _replay(conn, total, progress)
            report.events = chain.count
            report.head = chain.last[1] if chain.last else None
            report.faults += chain.faults + replay_faults
            _check_head(conn, report, chain.last)
            _check_tables(conn, scratch, report)
            _compare(conn, scratch, report)
            report.unfinished = queries.unfinished_imports(conn)
        finally:
            conn.execute("ROLLBACK")
    report.seconds = time.perf_counter() - started
    return report


def _scratch() -> sqlite3.Connection:
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    for migration in MIGRATIONS:
        for statement in _statements(migration):
            scratch.execute(statement)
    scratch.execute("PRAGMA foreign_keys = OFF")  # projections are compared, not re-checked
    return scratch


def _check_triggers(conn: sqlite3.Connection, report: Report) -> None:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    for name in ("events_no_update", "events_no_delete"):
        if name not in names:
            report.faults.append(Fault("trigger", f"trigger {name} is missing: events can be"
                                                  " changed without a trace"))


@dataclass
class Chain:
    count: int = 0
    last: tuple[int, str] | None = None
    faults: list[Fault] = field(default_factory=list)


def walk_file(path: str, upto: int, key: bytes | None = None) -> Chain:
    """walk_chain in a process of its own, on a read-only connection (keyed as the caller's
    when the journal is encrypted: a spawned process does not inherit the caller's key)."""
    conn = connect(Path(path), readonly=True, key=key)   # on read-only media too
    try:
        return walk_chain(conn, upto)
    finally:
        conn.close()


def walk_chain(conn: sqlite3.Connection, upto: int) -> Chain:
    """Check each event's hash and its link to the one before, up to event `upto`."""
    chain = Chain()
    expected, before_expected, prev_id = GENESIS, None, 0
    cursor = conn.execute(
        "SELECT id, uid, occurred_at, occurred_offset, recorded_at, recorded_offset, actor,"
        " kind, subject, data, prev_hash, hash FROM events WHERE id <= ? ORDER BY id", (upto,))
    faults = chain.faults
    count = 0
    while rows := cursor.fetchmany(5000):
        for eid, uid, occ, occ_off, rec, rec_off, actor, kind, subject, data, prev, digest in rows:
            if event_hash(prev, uid, occ, occ_off, rec, rec_off, actor, kind, subject,
                          data) != digest and len(faults) < 20:
                faults.append(Fault("edited", f"event #{eid} ({kind}) no longer matches its"
                                              " hash: it was edited after it was written", eid))
            if prev != expected and len(faults) < 20:
                faults.append(_link_fault(conn, eid, prev_id, prev, before_expected))
            before_expected, expected, prev_id = expected, digest, eid
        count += len(rows)
    chain.count = count
    if prev_id:
        chain.last = (prev_id, expected)
    return chain


def _replay(conn, total: int, progress: Progress | None):
    """Rebuild every projection from the events, in a scratch database in memory; on the way,
    check their order (each recorded no earlier than the one before) and their references
    (nothing refers to an artifact, location, task or import not yet recorded)."""
    scratch = _scratch()
    faults: list[Fault] = []
    handlers = projections.HANDLERS
    apply = projections.apply
    loads = json.loads
    rules = {str(kind): (cls.DEFINES, cls.REFS) for kind, cls in PAYLOADS.items()
             if cls.DEFINES or cls.REFS}
    known: dict[str, set] = {}
    last_recorded = ""
    scratch.execute("BEGIN")
    cursor = conn.execute("SELECT id, occurred_at, recorded_at, kind, subject, data FROM events"
                          " ORDER BY id")
    count = 0
    while rows := cursor.fetchmany(5000):
        for eid, occ, recorded, kind, subject, data in rows:
            if recorded < last_recorded and len(faults) < 20:
                faults.append(Fault("reordered", f"event #{eid} ({kind}) was recorded at"
                                    f" {recorded}, before the event ahead of it"
                                    f" ({last_recorded}): events were moved", eid))
            last_recorded = max(last_recorded, recorded)
            rule = rules.get(kind)
            if rule is None and kind not in handlers:
                continue
            try:
                values = loads(data)
                if rule:
                    _references(eid, kind, values, rule, known, faults)
                if kind in handlers:
                    apply(scratch, eid, occ, kind, subject, values)
            except (ValueError, KeyError, TypeError, *connection.Error) as exc:
                faults.append(Fault("projection", f"event #{eid} ({kind}) cannot be"
                                                  f" replayed: {exc}", eid))
        count += len(rows)
        if progress:
            progress(count, total)
    scratch.execute("COMMIT")
    return scratch, faults


def _references(eid: int, kind: str, data: dict, rule, known: dict[str, set],
                faults: list[Fault]) -> None:
    defines, refs = rule
    for name, space in refs.items():
        value = data.get(name)
        if value is not None and value not in known.get(space, ()) and len(faults) < 20:
            faults.append(Fault("reference", f"event #{eid} ({kind}) refers to {space}"
                                f" {str(value)[:40]} before it was recorded: events were"
                                " moved or removed", eid))
    if defines:
        space, name = defines
        known.setdefault(space, set()).add(data[name])


def _link_fault(conn, eid: int, prev_id: int, prev: str, before_expected: str | None) -> Fault:
    if before_expected is not None and prev == before_expected:
        return Fault("inserted", f"event #{prev_id} was inserted: event #{eid} is chained"
                                 f" to the event before it", prev_id)
    if eid != prev_id + 1:
        gap = f"#{prev_id + 1}" if eid == prev_id + 2 else f"#{prev_id + 1}–#{eid - 1}"
        return Fault("deleted", f"event {gap} was deleted: event #{eid} no longer follows"
                                " the event it was chained to", prev_id + 1)
    found = conn.execute("SELECT id FROM events WHERE hash = ?", (prev,)).fetchone()
    if found:
        return Fault("reordered", f"event #{eid} was moved: it was written after event"
                                  f" #{found[0]}, but now stands after #{prev_id}", eid)
    return Fault("deleted", f"the event before #{eid} is gone or was replaced: #{eid} is"
                            " chained to an event no longer in the journal", eid)


def _check_head(conn, report: Report, last) -> None:
    head = conn.execute("SELECT id, hash, count FROM chain_head").fetchone()
    if head is None:
        if last is not None:
            report.faults.append(Fault("head", "the chain head is missing"))
        return
    head_id, head_hash, head_count = head
    if last is None or last[0] < head_id:
        have = "none" if last is None else f"#{last[0]}"
        report.faults.append(Fault("deleted", f"the last events were deleted: the chain head"
                                              f" is #{head_id}, the journal ends at {have}",
                                   head_id))
    elif last[0] > head_id:
        report.faults.append(Fault("inserted", f"events after the chain head #{head_id} were"
                                               " added behind the journal's back", head_id + 1))
    elif last[1] != head_hash or report.events != head_count:
        report.faults.append(Fault("head", f"the chain head does not match event #{head_id}",
                                   head_id))


def _check_tables(conn: sqlite3.Connection, scratch: sqlite3.Connection, report: Report) -> None:
    """Every projection table has the columns the schema gives it (introspected with
    sqlite-utils): a dropped or added column is a fault before any row is compared."""
    import sqlite_utils

    ours, schema = sqlite_utils.Database(conn), sqlite_utils.Database(scratch)
    present = set(ours.table_names())
    for table in PROJECTION_TABLES:
        if table not in present:
            report.faults.append(Fault("projection", f"table {table} is missing"))
            continue
        want, have = schema[table].columns_dict, ours[table].columns_dict
        if want != have:
            extra = sorted(set(have) - set(want))
            gone = sorted(set(want) - set(have))
            report.faults.append(Fault(
                "projection", f"table {table} does not have the schema's columns"
                + (f"; missing {', '.join(gone)}" if gone else "")
                + (f"; unexpected {', '.join(extra)}" if extra else "")))


def _compare(conn: sqlite3.Connection, scratch: sqlite3.Connection, report: Report) -> None:
    """Row by row, in key order, inside the snapshot the chain was read from."""
    broken = {f.message.split()[1] for f in report.faults if f.message.startswith("table ")}
    for table, key in PROJECTION_TABLES.items():
        if table in broken:
            continue
        ours = conn.execute(f"SELECT * FROM {table} ORDER BY {key}")
        rebuilt = scratch.execute(f"SELECT * FROM {table} ORDER BY {key}")
        rows = 0
        while True:
            a, b = ours.fetchmany(2000), rebuilt.fetchmany(2000)
            if a != b:
                report.faults.append(_table_fault(table, key, a, b))
                break
            if not a:
                break
            rows += len(a)
        report.tables[table] = rows


def _table_fault(table: str, key: str, ours: list, rebuilt: list) -> Fault:
    for mine, theirs in zip(ours, rebuilt):
        if mine != theirs:
            which = min(mine[0], theirs[0])
            break
    else:
        longer = ours if len(ours) > len(rebuilt) else rebuilt
        which = longer[min(len(ours), len(rebuilt))][0]
    return Fault("projection", f"table {table} disagrees with its events at {key}={which}:"
                               " rebuilt from the events, the row reads differently")
