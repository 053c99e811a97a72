"""Encryption at rest: the journal as a SQLCipher database, its key, and its salt.

A passphrase (from `WARROOM_KEY`, a key file, or a prompt) is stretched once per process with
PBKDF2-HMAC-SHA512 over the salt SQLCipher keeps in the file's first 16 bytes, and handed to
SQLCipher as a raw key (`x'KEY SALT'`), so every further connection of the process (the
console opens one per thread) opens at no extra cost. A key file may instead hold a raw key:
64 hex digits, used as it is.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

from warroom.errors import JournalError, KeyMissing, WrongKey

SQLITE_HEADER = b"SQLite format 3\x00"
ITERATIONS = 256_000
_RAW = re.compile(r"^(?:x')?([0-9a-fA-F]{64})'?$")

_lock = threading.Lock()
_process_key: bytes | None = None
_derived: dict[tuple[bytes, bytes], bytes] = {}


__all__ = ["KeyMissing", "WrongKey", "current", "is_encrypted", "pragma", "raw_key", "use"]


def is_encrypted(path: Path) -> bool:
    """A journal file that looks like SQLCipher's: not SQLite's header, whole pages (a
    multiple of 512 bytes), and a first 16 bytes (the salt) that do not read as text. What
    fails these is no journal at all, and says so; what passes them and no key opens is
    named as a wrong key or a damaged file."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    if len(head) < 16 or head == SQLITE_HEADER or size % 512:
        return False
    return not all(32 <= b < 127 or b in (9, 10, 13) for b in head)


def use(key: str | bytes | None) -> None:
    """Set the key this process opens journals with (the command line sets it once)."""
    global _process_key
    _process_key = key.encode("utf-8") if isinstance(key, str) else key


def read_key_file(path: str | os.PathLike[str]) -> bytes:
    try:
        text = Path(path).read_bytes().strip()
    except OSError as exc:
        raise JournalError(f"cannot read the key file {path}: {exc.strerror}") from exc
    if not text:
        raise JournalError(f"the key file {path} is empty")
    return text


def current() -> bytes | None:
    """The process's key: set by `use`, else `WARROOM_KEY`, else `WARROOM_KEY_FILE`."""
    if _process_key is not None:
        return _process_key
    if os.environ.get("WARROOM_KEY"):
        return os.environ["WARROOM_KEY"].encode("utf-8")
    if os.environ.get("WARROOM_KEY_FILE"):
        return read_key_file(os.environ["WARROOM_KEY_FILE"])
    return None


def raw_key(secret: bytes, salt: bytes) -> bytes:
    """32 key bytes: a raw key as given, or the passphrase stretched over the salt (cached)."""
    raw = _RAW.match(secret.decode("utf-8", "replace").strip())
    if raw:
        return bytes.fromhex(raw.group(1))
    with _lock:
        cached = _derived.get((secret, salt))
        if cached is None:
            cached = hashlib.pbkdf2_hmac("sha512", secret, salt, ITERATIONS, dklen=32)
            _derived[(secret, salt)] = cached
        return cached


def pragma(statement: str, secret: bytes, salt: bytes) -> str:
    """`PRAGMA key` (or `rekey`) with the raw key and the salt SQLCipher is to use."""
    return f"PRAGMA {statement} = \"x'{raw_key(secret, salt).hex()}{salt.hex()}'\""


def file_salt(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(16)


def new_salt() -> bytes:
    return os.urandom(16)
