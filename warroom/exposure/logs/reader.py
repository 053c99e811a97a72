"""Reading log files fast: plain or gzip (told by the magic bytes, not the name; several gzip
members in one file, as `cat a.gz b.gz` makes, are read on), in big blocks. Only lines that
hold a needle (case aside) are cut out and decoded; every line is counted. A gzip stream cut
short is read as far as it goes and marked truncated; a last line with no newline is a line.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from warroom.exposure.logs.paths import Needle

BLOCK = 1 << 20            # plain bytes a read: a block and its lower-cased copy stay in cache
GZ_BLOCK = 1 << 20         # compressed bytes a read (each inflated BLOCK bytes at a time)
HEAD_LINES = 20
MAX_LINE = 1 << 20         # a "line" longer than this is cut (binary junk, a lost newline)
GZIP_MAGIC = b"\x1f\x8b"
PROBE = 8192               # bytes whose lines tell how to count the newlines after them
SHORT_LINE = 48            # below this length a line is counted faster by `count`
PIECE = 1 << 16            # bytes copied at a time to count their newlines


@dataclass
class Scan:
    """What reading one file found, besides its candidate lines."""

    lines: int = 0
    truncated: bool = False        # a gzip stream that ends before its end marker
    error: str | None = None


def decode(raw: bytes) -> str:
    """UTF-8, or Latin-1 for a line that is not (every byte kept, none refused)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def fingerprint(path: Path) -> str:
    """The same file however it is named: its size and the digest of its first and last MiB
    (log files differ in their first and last lines)."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
        if size > 2 << 20:
            fh.seek(-(1 << 20), os.SEEK_END)
            digest.update(fh.read())
    return digest.hexdigest()[:32]


def blocks(path: Path, scan: Scan, moved: Callable[[int], None] | None = None
           ) -> Iterator[bytes]:
    """The file's bytes, decompressed when gzip; `moved(n)` is told of each n bytes of the
    file itself that were read."""
    with path.open("rb") as fh:
        gz = fh.read(2) == GZIP_MAGIC
        fh.seek(0)
        if not gz:
            while chunk := fh.read(BLOCK):
                if moved:
                    moved(len(chunk))
                yield chunk
            return
        inflate = zlib.decompressobj(wbits=31)
        carry = b""
        while read := fh.read(GZ_BLOCK):
            if moved:
                moved(len(read))
            data, carry = carry + read, b""
            while data:
                if inflate.eof:                   # a member ended: another, or padding
                    if len(data) < len(GZIP_MAGIC):
                        carry = data
                        break
                    if not data.startswith(GZIP_MAGIC):
                        return
                    inflate = zlib.decompressobj(wbits=31)
                try:
                    out = inflate.decompress(data, BLOCK)
                except zlib.error as exc:
                    scan.error = f"gzip data is corrupt ({exc}); read as far as it goes"
                    return
                if out:
                    yield out
                data = inflate.unused_data if inflate.eof else inflate.unconsumed_tail
        if not inflate.eof:
            scan.truncated = True
            if tail := inflate.flush():
                yield tail


def head(path: Path, lines: int = HEAD_LINES) -> list[str]:
    """The file's first lines that are not empty, decoded, for sniffing a format."""
    buffer = b""
    for block in blocks(path, Scan()):
        buffer += block[:MAX_LINE]
        if buffer.count(b"\n") >= lines or len(buffer) >= MAX_LINE:
            break
    found = (decode(raw).rstrip("\r") for raw in buffer[:MAX_LINE].split(b"\n")[:lines])
    return [x for x in found if x.strip()]


def candidates(path: Path, needle: Needle | None, scan: Scan,
               moved: Callable[[int], None] | None = None) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line holding the needle, case aside (every line when
    there is none); `scan.lines` counts them all when the iterator ends."""
    return lines_of(blocks(path, scan, moved), needle, scan)


def lines_of(chunks: Iterable[bytes], needle: Needle | None, scan: Scan
             ) -> Iterator[tuple[int, str]]:
    """`candidates` of the bytes of consecutive chunks that start where a line starts. A line
    longer than MAX_LINE keeps its end, cut where a chunk ends: chunks after the first are
    BLOCK bytes from a multiple of BLOCK, as a whole file's are, so a part of the file read
    alone (parallel.py) cuts its lines as the whole file read at once does."""
    tail = b""                                # the start of a line the last block cut
    done = 0                                  # lines before the current block
    find: Finder | None = None
    for block in chain(chunks, (None,)):
        if block is None:                     # the end: a last line with no newline
            if not tail:
                break
            block = b"\n"
        first = block.find(b"\n") + 1
        if first == 0:
            tail = (tail + block)[-MAX_LINE:]
            continue
        if needle and find is None:
            find = Finder(needle, (tail + block).lower())
        if tail:                              # the line across the two blocks
            joined = tail + block[:first]
            done += yield from _lines(joined, 0, len(joined), find, done)
        else:
            first = 0
        cut = block.rfind(b"\n") + 1
        if cut > first:
            done += yield from _lines(block, first, cut, find, done)
        tail = block[cut:]
    scan.lines = done


class Finder:
    """Where a buffer may hold the needle: the places of its rarest word, case aside. Each
    pass over a big log costs about as much as grep's whole run, so there are as few as can
    be: one count of the newlines (see `newlines`) and one search for the word; a word of
    digits alone is searched in the bytes as they are, a word with letters in a lower-cased
    copy (one more pass, still ten times cheaper than a case-blind regex). The line around
    each place is then lower-cased alone and must have the needle's shape."""

    def __init__(self, needle: Needle, sample: bytes) -> None:
        word = needle.pick(sample)
        self.folds = not word.isdigit()
        # the regex engine's literal search beats bytes.find for words this short
        self.search = re.compile(re.escape(word)).search
        self.shape = needle.shape.search


def _lines(buffer: bytes, begin: int, cut: int, find: Finder | None,
           before: int) -> Generator[tuple[int, str], None, int]:
    """The lines of buffer[begin:cut] (whole lines) that hold the needle's word and have its
    shape, numbered on from `before`; returns how many lines there were (each byte is
    counted once)."""
    if find is None:
        number = before
        for number, raw in enumerate(buffer[begin:cut - 1].split(b"\n"), before + 1):
            yield number, decode(raw).rstrip("\r")
        return number - before
    hay = buffer.lower() if find.folds else buffer    # the same newlines either way
    number, position = before, begin
    found = find.search(hay, begin, cut)
    while found:
        at = found.start()
        start = hay.rfind(b"\n", begin, at) + 1 or begin
        end = hay.find(b"\n", at)
        if find.shape(buffer[start:end].lower()):
            number += newlines(hay, position, start) + 1
            position = end + 1
            yield number, decode(buffer[start:end]).rstrip("\r")
        found = find.search(hay, end, cut)
    return number - before + newlines(hay, position, cut)


def newlines(buffer: bytes, start: int, end: int) -> int:
    """`buffer.count(b"\\n", start, end)`, faster on log lines: `count` tests byte after byte,
    while `replace` of one byte jumps from one to the next with memchr (CPython's stringlib),
    which pays when lines are long; on short lines (or a file of newlines built to make it
    crawl) it is slower, so the first bytes choose. Pieces of one small size are copied
    for it, which the allocator reuses: a copy of each whole range would be fresh memory
    every time, and the page faults would cost more than `count`."""
    probe = min(end, start + PROBE)
    found = buffer.count(b"\n", start, probe)
    if probe == end or found * SHORT_LINE > probe - start:
        return found + buffer.count(b"\n", probe, end)
    for at in range(probe, end, PIECE):
        piece = buffer[at:min(end, at + PIECE)]
        found += len(piece) - len(piece.replace(b"\n", b""))
    return found
