"""CSV and TSV (and semicolon- or pipe-separated): the delimiter is sniffed from the first
lines; the name only decides when the lines do not."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from warroom.artifact.formats.base import MAX_LINE, Document, Row, Sample, Table
from warroom.errors import ReadError

NAMES = ("csv", "tsv")
LABEL = "CSV reader"
BINARY = False
LINE_LIMIT = True

csv.field_size_limit(MAX_LINE)


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    return text_head is not None and _dialect(text_head, name) is not None


def read(path: Path, sample: Sample) -> Document:
    encoding = sample.text_encoding
    dialect = _dialect(sample.text or "", sample.name)
    if dialect is None:
        raise ReadError(f"{path.name}: no delimiter splits its lines the same way")
    fmt = "tsv" if dialect.delimiter == "\t" else "csv"

    def rows() -> Iterator[Row]:
        with path.open("r", encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, dialect)
            try:
                yield from reader
            except csv.Error as exc:
                raise ReadError(f"{path.name}: not readable as {fmt.upper()} at line"
                                f" {reader.line_num:,}: {exc}") from exc

    return Document(path, fmt, [Table(path.name, rows, dialect=dialect)], encoding=encoding)


def _dialect(text_head: str, name: str):
    lines = [line for line in text_head[:65536].splitlines()[:50] if line.strip()]
    if not lines:
        return None
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",\t;|")
    except csv.Error:
        dialect = None
    if dialect is not None:
        counts = [line.count(dialect.delimiter) for line in lines]
        # a delimiter must split most lines the same way, or this is prose with commas
        common = max(set(counts), key=counts.count)
        if common >= 1 and counts.count(common) >= max(2, len(lines) * 0.6):
            return dialect
    if name.endswith((".csv", ".tsv", ".tab")):
        return csv.excel_tab if name.endswith((".tsv", ".tab")) else csv.excel
    return None
