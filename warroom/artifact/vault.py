"""Sealed evidence: the copies of an encrypted journal's artifacts are encrypted too.

AES-256-GCM in chunks of 1 MiB, each with its own nonce and its index (and whether it is the
last) as associated data, so a chunk cannot be altered, moved, dropped or the file cut short
without the reading failing. The data key is random, kept inside the encrypted journal.
A sealed copy is read by unsealing it into an anonymous memory file (`memfd`): the plain bytes
never touch the disk."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warroom.errors import WarroomError

MAGIC = b"WARROOM-SEALED1\n"
CHUNK = 1 << 20
TAG = 16


class SealError(WarroomError):
    """A sealed evidence copy cannot be opened: wrong key, damaged or cut short."""


def is_sealed(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">Q?", index, last)


class SealedWriter:
    """A write-only file object that seals what is written to `raw` (a binary file)."""

    def __init__(self, raw, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.raw, self.aead = raw, AESGCM(key)
        self.prefix = os.urandom(4)
        self.index = 0
        self.buffer = bytearray()
        raw.write(MAGIC + self.prefix)

    def _emit(self, data: bytes, last: bool) -> None:
        nonce = self.prefix + struct.pack(">Q", self.index)
        self.raw.write(self.aead.encrypt(nonce, data, _aad(self.index, last)))
        self.index += 1

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), False)
            del self.buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        self._emit(bytes(self.buffer), True)
        self.buffer.clear()
        self.raw.close()

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unseal_chunks(path: Path, key: bytes) -> Iterator[bytes]:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    with open(path, "rb") as fh:
        head = fh.read(len(MAGIC) + 4)
        if head[:len(MAGIC)] != MAGIC:
            raise SealError(f"{path.name} is not a sealed evidence copy")
        prefix = head[len(MAGIC):]
        index = 0
        block = fh.read(CHUNK + TAG)
        while True:
            following = fh.read(CHUNK + TAG) if len(block) == CHUNK + TAG else b""
            last = not following
            nonce = prefix + struct.pack(">Q", index)
            try:
                yield aead.decrypt(nonce, block, _aad(index, last))
            except InvalidTag as exc:
                raise SealError(f"the sealed evidence copy {path.name} cannot be opened: wrong"
                                " key, or the file was altered or cut short") from exc
            if last:
                return
            block, index = following, index + 1


@contextmanager
def unsealed(path: Path, key: bytes) -> Iterator[Path]:
    """The plain bytes of a sealed copy as a path readers can open (an anonymous memory
    file, gone when the block ends)."""
    fd = os.memfd_create(f"warroom-{path.name[:16]}", 0)
    try:
        with os.fdopen(os.dup(fd), "wb") as out:
            for chunk in unseal_chunks(path, key):
                out.write(chunk)
        yield Path(f"/proc/{os.getpid()}/fd/{fd}")
    finally:
        os.close(fd)
