"""Sealed evidence copies: what goes in comes out, and a wrong key, an altered byte, a moved
or a missing chunk is one clear error."""

from __future__ import annotations

import os

import pytest

from warroom.artifact.vault import CHUNK, MAGIC, SealedWriter, SealError, is_sealed, unsealed

KEY = bytes(range(32))


def _seal(path, data: bytes, key: bytes = KEY, step: int = 70_001) -> None:
    with SealedWriter(open(path, "wb"), key) as writer:
        for i in range(0, len(data), step):
            writer.write(data[i:i + step])


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5])
def test_sealed_bytes_come_back_whole(tmp_path, size):
    data = os.urandom(size)
    path = tmp_path / "copy"
    _seal(path, data)
    assert is_sealed(path)
    if size >= 64:
        assert data[:64] not in path.read_bytes()
    with unsealed(path, KEY) as plain:
        assert plain.read_bytes() == data
        assert not str(plain).startswith(str(tmp_path))      # never a plain file on disk


def _fails(path, key=KEY) -> str:
    with pytest.raises(SealError) as caught, unsealed(path, key) as plain:
        plain.read_bytes()
    return str(caught.value)


def test_wrong_key_altered_byte_moved_or_missing_chunk(tmp_path):
    data = os.urandom(3 * CHUNK + 10)        # four chunks: three full, one short and last
    path = tmp_path / "copy"
    _seal(path, data)
    raw = path.read_bytes()
    assert "wrong key" in _fails(path, bytes(32))
    head, block = len(MAGIC) + 4, CHUNK + 16
    flipped = bytearray(raw)
    flipped[head + 10] ^= 1
    path.write_bytes(bytes(flipped))
    assert "altered" in _fails(path)
    chunks = [raw[head + i * block: head + (i + 1) * block] for i in range(3)]
    rest = raw[head + 3 * block:]
    path.write_bytes(raw[:head] + chunks[1] + chunks[0] + chunks[2] + rest)   # moved
    _fails(path)
    path.write_bytes(raw[:head] + chunks[0] + chunks[1] + chunks[2])          # cut short
    _fails(path)
    path.write_bytes(b"plain,csv\n")
    assert "not a sealed" in _fails(path)
