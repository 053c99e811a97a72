"""Opening the journal file: pragmas, read-only journals, and encrypted ones.

A plain journal opens with the standard `sqlite3`; an encrypted one (`warroom init --encrypt`:
the file does not start with SQLite's header) with SQLCipher, keyed by `keys`. Both give the
same DB-API, so everything above speaks to either; their exceptions are different classes,
so code that catches a database error names it through this module (`connection.Operational`
and the like), which knows both once SQLCipher is loaded."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from warroom.errors import JournalBusy, JournalError, JournalReadOnly
from warroom.journal import keys

T = TypeVar("T")

# The database errors of every driver loaded so far (SQLCipher's join on first use).
Error: tuple[type[Exception], ...] = (sqlite3.Error,)
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
Operational: tuple[type[Exception], ...] = (sqlite3.OperationalError,)
Integrity: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
Programming: tuple[type[Exception], ...] = (sqlite3.ProgrammingError,)


class Connection(sqlite3.Connection):
    """sqlite3's connection, knowing whether it may write: `read_only` says why not."""

    read_only: str | None = None
    encrypted: bool = False


_cipher = None


def _cipher_driver():
    """SQLCipher's module and its Connection class with the same attributes (loaded once)."""
    global _cipher, Error, DatabaseError, Operational, Integrity, Programming
    if _cipher is None:
        try:
            from sqlcipher3 import dbapi2
        except ImportError as exc:   # pragma: no cover - a dependency of the package
            raise JournalError("this journal is encrypted and SQLCipher is not installed"
                               " (pip install sqlcipher3-wheels)") from exc

        class CipherConnection(dbapi2.Connection):
            read_only: str | None = None
            encrypted = True

        _cipher = (dbapi2, CipherConnection)
        Error = (sqlite3.Error, dbapi2.Error)
        DatabaseError = (sqlite3.DatabaseError, dbapi2.DatabaseError)
        Operational = (sqlite3.OperationalError, dbapi2.OperationalError)
        Integrity = (sqlite3.IntegrityError, dbapi2.IntegrityError)
        Programming = (sqlite3.ProgrammingError, dbapi2.ProgrammingError)
    return _cipher


def is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def read_only_reason(path: Path) -> str | None:
    """Why an existing journal cannot be written, or None. Root passes permission checks,
    but not an immutable file or a read-only mount, and `os.access` says so."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(path.parent, os.W_OK):   # WAL needs its -wal and -shm files beside it
        return "its folder is not writable"
    return None


def read_only_message(path: Path, reason: str) -> str:
    return (f"{path} is read-only ({reason}): it can be read (`warroom verify`, the console)"
            " but nothing can be recorded in it; copy it to a writable folder to work on it")


def read_only_error(exc: Exception) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or \
        "readonly database" in str(exc)


def connect(path: Path, *, create: bool = False, readonly: bool | None = None,
            encrypt: bool = False, key: bytes | None = None) -> Connection:
    """A connection with the journal's pragmas; creates the file 0600 when asked (encrypted
    with `encrypt`, keyed by `key` or the process's key).

    An existing journal that cannot be written (read-only file, folder or file system) opens
    read-only, and `conn.read_only` says why; `readonly=False` (and `create`) refuses it
    with `JournalReadOnly` instead, `readonly=True` always opens read-only."""
    if path.exists() and path.is_dir():
        raise JournalError(f"{path} is a directory, not a journal file")
    fresh = False
    if not path.exists():
        if not create:
            raise JournalError(
                f"no journal at {path}: create one with `warroom init --name NAME`"
                " or point --db / WARROOM_DB at an existing one"
            )
        if not path.parent.exists():
            raise JournalError(f"cannot create {path}: folder {path.parent} does not exist")
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            fresh = True
        except FileExistsError:
            pass  # another process created it first
        except OSError as exc:
            raise JournalError(f"cannot create {path}: {exc.strerror}") from exc
    lock = _lock(path, key, encrypt and fresh)
    reason = "opened read-only" if readonly else read_only_reason(path)
    if reason and (create or readonly is False):
        raise JournalReadOnly(read_only_message(path, reason))
    try:
        if reason:
            return _open_read_only(path, reason, lock)
        try:
            return _open(path, lock)
        except Operational as exc:
            if not read_only_error(exc) or create or readonly is False:
                raise
            return _open_read_only(path, str(exc), lock)   # the checks above could not tell
    except DatabaseError as exc:
        if read_only_error(exc):
            raise JournalError(f"cannot open {path} ({exc})") from exc
        if lock and "not a database" in str(exc):
            raise keys.WrongKey(f"the key does not open {path}: a wrong key, or the file is"
                                " damaged") from exc
        raise JournalError(f"{path} is not a Warroom journal ({exc})") from exc


def _lock(path: Path, key: bytes | None, new: bool) -> str | None:
    """The `PRAGMA key` statement for an encrypted journal (a new one gets a new salt), or
    None for a plain one."""
    if not new and not keys.is_encrypted(path):
        return None
    secret = key if key is not None else keys.current()
    if not secret:
        raise keys.KeyMissing(f"{path} is encrypted: give its key in $WARROOM_KEY, with"
                              " --key-file FILE, or at the prompt")
    salt = keys.new_salt() if new else keys.file_salt(path)
    return keys.pragma("key", secret, salt)


def _connect(target: str, lock: str | None, **kwargs) -> Connection:
    if lock is None:
        return sqlite3.connect(target, isolation_level=None, factory=Connection, **kwargs)
    module, factory = _cipher_driver()
    conn = module.connect(target, isolation_level=None, factory=factory, **kwargs)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(lock)
    return conn


def _open(path: Path, lock: str | None) -> Connection:
    conn = _connect(str(path), lock, timeout=5.0)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        retry(lambda: conn.execute("PRAGMA journal_mode = WAL"), 30.0)
        conn.execute("PRAGMA synchronous = NORMAL")
        _check(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_read_only(path: Path, reason: str, lock: str | None) -> Connection:
    """mode=ro reads beside writers; a WAL journal whose -shm file cannot be created (a
    read-only folder or mount, where no writer can be) needs immutable=1."""
    uri = path.absolute().as_uri()
    conn = _connect(f"{uri}?mode=ro", lock, uri=True, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        _check(conn)
    except Operational as exc:
        conn.close()
        if not read_only_error(exc):
            raise
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise JournalReadOnly(
                f"{path} is read-only ({reason}) and its last writes are still in {wal.name}:"
                " copy the journal with its -wal and -shm files to a writable folder") from exc
        conn = _connect(f"{uri}?mode=ro&immutable=1", lock, uri=True, check_same_thread=False)
        _check(conn)
    conn.read_only = reason
    return conn


def _check(conn) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def retry(fn: Callable[[], T], timeout: float) -> T:
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        try:
            return fn()
        except Operational as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                if is_busy(exc):
                    raise JournalBusy(
                        f"the journal stayed busy for {timeout:.0f}s (other writers); try again"
                    ) from exc
                raise
            attempt += 1
            time.sleep(random.uniform(0, min(0.02 * 2**attempt, 0.5)))


def write_transaction(conn, fn: Callable[[Any], T], timeout: float) -> T:
    """fn(conn) inside one `BEGIN IMMEDIATE` transaction, committed, or rolled back when it
    raises; retried while other writers hold the file (`JournalBusy` after `timeout`)."""

    def attempt() -> T:
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    return retry(attempt, timeout)


def rekey(conn, path: Path, new_secret: bytes) -> None:
    """Change an encrypted journal's key (a new salt too)."""
    if not getattr(conn, "encrypted", False):
        raise JournalError(f"{path} is not encrypted: `warroom rekey` changes the key of an"
                           " encrypted journal (create one with `warroom init --encrypt`)")
    conn.execute(keys.pragma("rekey", new_secret, keys.new_salt()))
