"""Plain text and prose, e.g. an e-mail quoting part of the list: the reader of last resort.
Runs of three or more lines that split into the same three or more fields (tabs, aligned
spaces, pipes) are read as tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from warroom.artifact.formats.base import Document, Row, Sample, Table

NAMES = ("text",)
LABEL = "text reader"
BINARY = False
LINE_LIMIT = True

_FIELD_SPLIT = re.compile(r"\t|\s{2,}|\s*\|\s*")
_QUOTE = re.compile(r"^(?:\s*>)+\s?")


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    """Any text that no other reader took."""
    return text_head is not None


def read(path: Path, sample: Sample) -> Document:
    encoding = sample.text_encoding
    doc = Document(path, "text", encoding=encoding)
    block: list[Row] = []
    prose: list[str] = []

    def close() -> None:
        if len(block) >= 3:
            rows = list(block)
            doc.tables.append(Table(f"{path.name} lines", lambda rows=rows: iter(rows)))
        else:
            prose.extend("  ".join(r) for r in block)
        block.clear()

    for line in _lines(path, encoding):
        line = _QUOTE.sub("", line.rstrip("\r\n"))
        fields = [f for f in _FIELD_SPLIT.split(line.strip()) if f]
        if len(fields) >= 3 and (not block or len(fields) == len(block[0])):
            block.append(fields)
            continue
        close()
        if len(fields) >= 3:
            block.append(fields)
        elif line.strip():
            prose.append(line.strip())
    close()
    doc.text = prose
    return doc


def _lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines, once TextFacts has bounded their length."""
    with path.open("r", encoding=encoding, newline="") as fh:
        yield from fh
