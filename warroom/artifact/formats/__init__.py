"""Reading a leaked file in whatever format it came: what it is, and its tables and prose.

One module a format, each with NAMES, sniff() and read(); READERS below is the one registry,
in the order the bytes are tried. Every reader has limits and raises ReadError (one clear
line) for anything it cannot read: truncated or corrupt files, binary junk under a text name,
zip bombs, endless lines. Readers yield raw rows; finding the header row is the scanner's job
(columns.py). Heavy parsers (calamine, pdfplumber, lxml) are imported inside the readers.
"""

from __future__ import annotations

from pathlib import Path

from warroom.artifact.formats import base, delimited, html, jsonfmt, pdf, spreadsheet, text
from warroom.artifact.formats.base import Document, Reader, Row, Sample, Table
from warroom.errors import ReadError

__all__ = ["READERS", "Document", "Row", "Table", "choose", "read"]

# Binary formats first (by magic bytes), then text ones; plain text takes whatever is left.
READERS: tuple[Reader, ...] = (spreadsheet, pdf, jsonfmt, html, delimited, text)


def read(path: str | Path, filename: str | None = None) -> Document:
    """Open a file as the format its bytes show (the name only breaks ties)."""
    path = Path(path)
    reader, sample = choose(path, filename)
    return reader.read(path, sample)


def choose(path: str | Path, filename: str | None = None) -> tuple[Reader, Sample]:
    """The reader for a file, and what was learned choosing it; refuses what no reader takes:
    empty files, compressed archives, binary junk, endless lines in a table or a text."""
    path = Path(path)
    name = (filename or path.name).lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(base.SAMPLE)
    except OSError as exc:
        raise ReadError(f"cannot read {path}: {exc.strerror}") from exc
    if size == 0:
        raise ReadError(f"{path.name} is empty")
    sample = Sample(name, size, head)
    for reader in READERS:
        if reader.BINARY and reader.sniff(head, None, name):
            return reader, sample
    base.refuse_archive(path, head)
    base.refuse_binary(path, head)
    facts = base.TextFacts.of(path, head)
    sample.encoding = base.detect_encoding(path, head, facts.utf8)
    sample.text = head.decode(sample.encoding, errors="replace")
    for reader in READERS:
        if reader.BINARY:
            continue
        if reader.LINE_LIMIT:
            facts.refuse_long_lines(path)
        if reader.sniff(head, sample.text, name):
            return reader, sample
    raise AssertionError("the text reader takes any text")
