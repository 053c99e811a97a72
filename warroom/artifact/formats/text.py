"""Plain text and prose, e.g. an e-mail quoting part of the list: the reader of last resort.
Runs of three or more lines that split into the same three or more fields (tabs, aligned
spaces, pipes) are read as tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from warroom.artifact.formats.base import Document, Row, Sample, Table
from warroom.errors import ReadError

NAMES = ("text",)
LABEL = "text reader"
BINARY = False
LINE_LIMIT = True

MAX_TEXT = 256 << 20
_FIELD_SPLIT = re.compile(r"\t|\s{2,}|\s*\|\s*")
_QUOTE = re.compile(r"^(?:\s*>)+\s?")


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    """Any text that no other reader took."""
    return text_head is not None


def read(path: Path, sample: Sample) -> Document:
    encoding = sample.text_encoding
    if sample.size > MAX_TEXT:
        raise ReadError(f"{path.name} is larger than {MAX_TEXT >> 20} MiB of text: not a table"
                        " or a text to read (a CSV of any size is read as it streams)")
    doc = Document(path, "text", encoding=encoding)
    block: list[str] = []           # the lines of a run that split alike, kept as lines: a
    width = 0                       # list of fields a line would take three times the memory
    prose: list[str] = []

    def close() -> None:
        if len(block) >= 3:
            lines = list(block)
            doc.tables.append(Table(f"{path.name} lines",
                                    lambda lines=lines: (_fields(line) for line in lines)))
        else:
            prose.extend("  ".join(_fields(line)) for line in block)
        block.clear()

    for line in _lines(path, encoding):
        line = _QUOTE.sub("", line.rstrip("\r\n"))
        fields = _fields(line)
        if len(fields) >= 3 and (not block or len(fields) == width):
            width = len(fields)
            block.append(line)
            continue
        close()
        if len(fields) >= 3:
            block.append(line)
            width = len(fields)
        elif line.strip():
            prose.append(line.strip())
        elif prose and prose[-1]:
            prose.append("")        # a blank line: where one paragraph (or record) ends
    close()
    doc.text = prose
    return doc


def _fields(line: str) -> Row:
    return [f for f in _FIELD_SPLIT.split(line.strip()) if f]


def _lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines, once TextFacts has bounded their length."""
    with path.open("r", encoding=encoding, newline="") as fh:
        yield from fh
