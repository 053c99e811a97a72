"""Rate-limit counters shared by every intake server on one journal.

The `limits` library keeps its counters in a storage; its memory storage is per process, so
two servers on one journal would each allow the full rate. This storage keeps them in a small
SQLite file beside the journal (`JOURNAL.limits`, mode 0600), so every process counts against
the same window. Not in the journal itself: a flood of refused requests must not contend
with the journal's writers for its lock, nor leave anything in the record, and the counters
are worth nothing once their window has passed. The file holds keys made of a token's id and
timestamps: no organisation name, no token, no personal data.

Each check is one `BEGIN IMMEDIATE` transaction, so concurrent servers cannot both take the
last slot of a window.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import MovingWindowSupport, Storage

from warroom.journal.connection import retry, write_transaction

SCHEME = "warroom-sqlite"

_TABLES = (
    "CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS hits_key ON hits(key, at)",
    "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL,"
    " expires REAL NOT NULL)",
)


def limits_path(journal: str | os.PathLike[str]) -> Path:
    """The counters' file beside a journal."""
    journal = Path(journal)
    return journal.with_name(journal.name + ".limits")


class SQLiteStorage(Storage, MovingWindowSupport):
    """A `limits` storage in a SQLite file: `storage_from_string("warroom-sqlite:///PATH")`
    or `SQLiteStorage(path=PATH)`. Fixed and moving windows; one connection a thread."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 path: str | os.PathLike[str] | None = None, **options: object) -> None:
        if path is None:
            if not uri or not uri.startswith(f"{SCHEME}://"):
                raise ValueError(f"a {SCHEME}:///PATH uri or a path is needed")
            path = uri[len(f"{SCHEME}://"):]
        self.path = Path(path)
        self._local = threading.local()
        if not self.path.exists():
            try:
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                pass   # another server made it first
        self._write(lambda conn: [conn.execute(sql) for sql in _TABLES])
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            conn.execute("PRAGMA busy_timeout = 10000")
            retry(lambda: conn.execute("PRAGMA journal_mode = WAL"), 30.0)
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
        return conn

    def _write(self, fn):
        return write_transaction(self._conn(), fn, 30.0)

    # ---------------------------------------------------------- moving window (the one used)
    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False

        def take(conn: sqlite3.Connection) -> bool:
            now = time.time()
            conn.execute("DELETE FROM hits WHERE key = ? AND at <= ?", (key, now - expiry))
            held = conn.execute("SELECT count(*) FROM hits WHERE key = ?", (key,)).fetchone()[0]
            if held + amount > limit:
                return False
            conn.executemany("INSERT INTO hits(key, at) VALUES (?, ?)", [(key, now)] * amount)
            return True

        return self._write(take)

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        since = time.time() - expiry
        oldest, count = self._conn().execute(
            "SELECT min(at), count(*) FROM hits WHERE key = ? AND at > ?",
            (key, since)).fetchone()
        return (oldest if oldest is not None else time.time()), count

    # ---------------------------------------------------------- fixed window
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        def add(conn: sqlite3.Connection) -> int:
            now = time.time()
            conn.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
            conn.execute("INSERT INTO counters(key, count, expires) VALUES (?, ?, ?)"
                         " ON CONFLICT(key) DO UPDATE SET count = count + excluded.count",
                         (key, amount, now + expiry))
            return conn.execute("SELECT count FROM counters WHERE key = ?", (key,)).fetchone()[0]

        return self._write(add)

    def get(self, key: str) -> int:
        row = self._conn().execute("SELECT count FROM counters WHERE key = ? AND expires > ?",
                                   (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._conn().execute("SELECT expires FROM counters WHERE key = ?",
                                   (key,)).fetchone()
        return row[0] if row else time.time()

    # ---------------------------------------------------------- housekeeping
    def check(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        def wipe(conn: sqlite3.Connection) -> int:
            gone = conn.execute("DELETE FROM hits").rowcount
            return gone + conn.execute("DELETE FROM counters").rowcount

        return self._write(wipe)

    def clear(self, key: str) -> None:
        self._write(lambda conn: (conn.execute("DELETE FROM hits WHERE key = ?", (key,)),
                                  conn.execute("DELETE FROM counters WHERE key = ?", (key,))))
