"""Opening the journal file and appending to it.

A `Journal` wraps one sqlite3 connection and belongs to one thread. Several processes may
hold journals on the same file: WAL lets readers run beside the one writer, every write is a
`BEGIN IMMEDIATE` transaction, and a writer that finds the file busy retries with jittered
back-off until `write_timeout` runs out, then raises `JournalBusy` (a clear message).
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from warroom.errors import JournalError, JournalReadOnly, SchemaTooNew
from warroom.journal import connection, projections
from warroom.journal.chain import GENESIS, canonical_data, event_hash
from warroom.journal.connection import connect, read_only_message, write_transaction
from warroom.journal.schema import MIGRATIONS, PROJECTION_TABLES, REPROJECT, SCHEMA_VERSION
from warroom.model import Draft, Event, Payload, now, parse_instant, to_utc_text

T = TypeVar("T")


def default_actor() -> str:
    actor = os.environ.get("WARROOM_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "responder"


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Run every migration the file lacks. Refuses a journal from a newer program."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{path} was written by a newer Warroom (schema {version}); this program knows"
            f" schema {SCHEMA_VERSION} at most. Upgrade warroom to open it."
        )
    reason = getattr(conn, "read_only", None)
    if version < SCHEMA_VERSION and reason:
        raise JournalReadOnly(f"{path} is read-only ({reason}) and was written by an older"
                              f" Warroom (schema {version}, now {SCHEMA_VERSION}): copy it to a"
                              " writable folder once, so it can be upgraded")
    if version < SCHEMA_VERSION:
        version = write_transaction(conn, _upgrade, 30.0)
    return version


def _upgrade(conn: sqlite3.Connection) -> int:
    """Every migration the file lacks (another process may have run some meanwhile), in one
    transaction: the projections, rebuilt after the last when one needs it, never meet a
    half-upgraded schema."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    again = current and any(current <= i < SCHEMA_VERSION for i in REPROJECT)
    while current < SCHEMA_VERSION:
        for statement in _statements(MIGRATIONS[current]):
            conn.execute(statement)
        current += 1
    if again:
        reproject(conn)
    conn.execute(f"PRAGMA user_version = {current}")
    return current


def reproject(conn: sqlite3.Connection) -> None:
    """Every projection rebuilt from the events, in place, in the caller's transaction."""
    conn.execute("PRAGMA defer_foreign_keys = ON")      # checked at commit, rebuilt by then
    for table in PROJECTION_TABLES:
        conn.execute(f"DELETE FROM {table}")
    cursor = conn.execute("SELECT id, occurred_at, kind, subject, data FROM events ORDER BY id")
    handlers, loads = projections.HANDLERS, json.loads
    while rows := cursor.fetchmany(5000):
        for eid, occurred_at, kind, subject, data in rows:
            if kind in handlers:
                projections.apply(conn, eid, occurred_at, kind, subject, loads(data))


def _statements(script: str) -> Iterable[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


class Journal:
    """One connection to the journal, for one thread.

    A journal that cannot be written opens for reading (`read_only` says why) and refuses
    writes with `JournalReadOnly`; `readonly=False` refuses it at once, for callers that are
    about to write."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False,
                 actor: str | None = None, write_timeout: float = 30.0,
                 readonly: bool | None = None, encrypt: bool = False,
                 key: bytes | None = None) -> None:
        self.path = Path(path)
        self.actor = actor or default_actor()
        self.write_timeout = write_timeout
        self.conn = connect(self.path, create=create, readonly=readonly, encrypt=encrypt,
                            key=key)
        self.read_only = self.conn.read_only
        try:
            migrate(self.conn, self.path)
        except BaseException:
            self.conn.close()
            raise

    @property
    def encrypted(self) -> bool:
        return bool(getattr(self.conn, "encrypted", False))

    def evidence_key(self) -> bytes | None:
        """The data key that seals this journal's evidence copies (made on first use), or
        None for a plain journal, whose copies are plain files."""
        if not self.encrypted:
            return None
        row = self.conn.execute("SELECT material FROM vault WHERE name = 'evidence'").fetchone()
        if row:
            return bytes(row[0])
        fresh = os.urandom(32)

        def put(conn) -> bytes:
            conn.execute("INSERT OR IGNORE INTO vault(name, material) VALUES ('evidence', ?)",
                         (fresh,))
            return bytes(conn.execute("SELECT material FROM vault WHERE name = 'evidence'")
                         .fetchone()[0])

        return self.transaction(put)

    def rekey(self, new_secret: bytes) -> None:
        """Change the key of an encrypted journal (other processes must have closed it)."""
        connection.rekey(self.conn, self.path, new_secret)

    # -------------------------------------------------------------- context
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- writes
    def transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn inside one write transaction, retrying while other writers hold the file."""
        if self.read_only:
            raise JournalReadOnly(read_only_message(self.path, self.read_only))
        try:
            return write_transaction(self.conn, fn, self.write_timeout)
        except connection.Operational as exc:
            if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY"):  # remounted
                raise JournalReadOnly(read_only_message(self.path, str(exc))) from exc
            raise

    def append(self, kind: str, subject: str | None = None, data: dict[str, Any] | None = None,
               *, occurred_at=None, actor: str | None = None, uid: str | None = None) -> Event:
        draft = Draft(str(getattr(kind, "value", kind)), subject, data or {}, occurred_at,
                      actor, uid)
        return self.append_many([draft])[0]

    def record(self, payload: Payload, subject: str | None = None, *, occurred_at=None,
               actor: str | None = None, uid: str | None = None) -> Event:
        """Append one event from its typed payload."""
        return self.append(payload.KIND, subject, payload.data(), occurred_at=occurred_at,
                           actor=actor, uid=uid)

    def append_many(self, drafts: Sequence[Draft]) -> list[Event]:
        """Append events and apply their projections, all in one transaction. The recorded
        clock is read inside the transaction and never runs backwards, so events in id order
        are in recorded order (`verify` checks it)."""
        prepared = []
        for d in drafts:
            when = parse_instant(d.occurred_at) if isinstance(d.occurred_at, str) else d.occurred_at
            occurred, offset = to_utc_text(when) if when else (None, None)
            kind = str(getattr(d.kind, "value", d.kind))
            prepared.append((d.uid or os.urandom(16).hex(), occurred, offset, d.actor or self.actor,
                             kind, d.subject, d.data, canonical_data(d.data)))

        def write(conn: sqlite3.Connection) -> list[Event]:
            head = conn.execute("SELECT id, hash, count FROM chain_head").fetchone()
            last_id, prev, count = head if head else (0, GENESIS, 0)
            recorded_at, recorded_offset = to_utc_text(now())
            last = conn.execute("SELECT recorded_at FROM events WHERE id = ?",
                                (last_id,)).fetchone()
            if last and last[0] > recorded_at:   # the clock stepped back: keep the order
                recorded_at = last[0]
            rows, events = [], []
            for uid, occurred, offset, actor, kind, subject, data, text in prepared:
                if occurred is None:
                    occurred, offset = recorded_at, recorded_offset
                digest = event_hash(prev, uid, occurred, offset, recorded_at, recorded_offset,
                                    actor, kind, subject, text)
                last_id += 1
                rows.append((last_id, uid, occurred, offset, recorded_at, recorded_offset, actor,
                             kind, subject, text, prev, digest))
                events.append(Event(last_id, uid, occurred, offset, recorded_at,
                                    recorded_offset, actor, kind, subject, data, prev, digest))
                prev = digest
            conn.executemany(
                "INSERT INTO events(id, uid, occurred_at, occurred_offset, recorded_at,"
                " recorded_offset, actor, kind, subject, data, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            # projections read only the state tables, so applying them after the inserts,
            # in order and in the same transaction, is the same as interleaving them
            apply = projections.apply
            for e in events:
                apply(conn, e.id, e.occurred_at, e.kind, e.subject, e.data)
            if events:
                conn.execute(
                    "INSERT INTO chain_head(one, id, hash, count) VALUES (1, ?, ?, ?)"
                    " ON CONFLICT(one) DO UPDATE SET id = excluded.id, hash = excluded.hash,"
                    " count = excluded.count",
                    (last_id, prev, count + len(events)),
                )
            return events

        try:
            return self.transaction(write)
        except connection.Integrity as exc:
            raise JournalError(f"refused by the journal: {exc}") from exc
