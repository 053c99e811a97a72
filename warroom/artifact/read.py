"""Reading a leaked file in whatever format it came: what it is, and its tables and prose.

Every reader has limits and raises ReadError (one clear line) for anything it cannot read:
truncated or corrupt files, binary junk under a text name, zip bombs, endless lines.
Readers yield raw rows; finding the header row is the scanner's job (tables.py).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warroom.errors import ReadError

MAX_LINE = 1 << 20            # one line of text: 1 MiB
MAX_JSON = 512 << 20          # a JSON document is parsed whole
SAMPLE = 1 << 20              # bytes looked at to tell format and encoding
csv.field_size_limit(MAX_LINE)

Row = list[Any]


@dataclass
class Table:
    name: str
    rows: Callable[[], Iterator[Row]]   # every row, title rows included, re-readable
    header: list[str] | None = None     # known (JSON keys); else found by the scanner


@dataclass
class Document:
    path: Path
    format: str                          # csv, tsv, xlsx, xls, ods, html, json, jsonl, pdf, text
    tables: list[Table] = field(default_factory=list)
    text: list[str] = field(default_factory=list)   # prose, line by line
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def read(path: str | Path, filename: str | None = None) -> Document:
    """Open a file as the format its bytes show (the name only breaks ties)."""
    path = Path(path)
    name = (filename or path.name).lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(SAMPLE)
    except OSError as exc:
        raise ReadError(f"cannot read {path}: {exc.strerror}") from exc
    if size == 0:
        raise ReadError(f"{path.name} is empty")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        from warroom.artifact.read_office import read_spreadsheet

        return read_spreadsheet(path, head)
    if head.startswith(b"%PDF-"):
        from warroom.artifact.read_office import read_pdf

        return read_pdf(path)
    if head[:2] in (b"\x1f\x8b", b"BZ") or head.startswith(b"7z\xbc\xaf"):
        raise ReadError(f"{path.name} is a compressed archive: unpack it and scan the file inside")
    refuse_binary(path, head)
    facts = TextFacts.of(path, head)
    encoding = detect_encoding(path, head, facts.utf8)
    text_head = head.decode(encoding, errors="replace")
    stripped = text_head.lstrip("\ufeff \t\r\n")
    if stripped[:1] in "[{" and (name.endswith((".json", ".jsonl", ".ndjson")) or _jsonish(stripped)):
        return read_json(path, encoding, size)
    if stripped[:1] == "<" and re.search(r"(?i)<(html|table|body|!doctype)", text_head[:SAMPLE]):
        from warroom.artifact.read_office import read_html

        return read_html(path, encoding)
    facts.refuse_long_lines(path)  # minified JSON and HTML may be one line; tables may not
    return read_delimited(path, encoding, text_head, name)


def _jsonish(text: str) -> bool:
    return bool(re.match(r'[\[{]\s*(["{\[\]}]|$)', text))


# ---------------------------------------------------------------- text and encodings


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _bom(head: bytes) -> str | None:
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


def refuse_binary(path: Path, head: bytes) -> None:
    if _bom(head):
        return
    sample = head[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) // 50:
        raise ReadError(f"{path.name} is binary data, not text: it is no CSV, JSON, HTML or"
                        " text file (is it an image, an archive or a damaged spreadsheet?)")


@dataclass(frozen=True)
class TextFacts:
    """What one pass over a text file's bytes learns: is it valid UTF-8, and how long is its
    longest line (counting stops at the first line over the limit)."""

    utf8: bool
    longest: int
    near_line: int

    @classmethod
    def of(cls, path: Path, head: bytes) -> TextFacts:
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8 = _bom(head) in (None, "utf-8-sig")
        longest = lines = carry = 0
        with path.open("rb") as fh:
            while chunk := fh.read(16 << 20):
                if utf8:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8 = False
                if longest <= MAX_LINE:
                    parts = chunk.split(b"\n")
                    if len(parts) > 1:
                        longest = max(longest, carry + len(parts[0]), *map(len, parts[1:-1]))
                        carry = len(parts[-1])
                        lines += len(parts) - 1
                    else:
                        carry += len(parts[0])
                    longest = max(longest, carry)
                elif not utf8:
                    break   # both known: nothing more to learn
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
        return cls(utf8, longest, lines + 1)

    def refuse_long_lines(self, path: Path) -> None:
        if self.longest > MAX_LINE:
            raise ReadError(f"{path.name}: a line is longer than {MAX_LINE >> 20} MiB (near line"
                            f" {self.near_line:,}): this is not a table or a text")


def detect_encoding(path: Path, head: bytes, utf8: bool | None = None) -> str:
    """utf-8 (with or without BOM), utf-16/32 by BOM, else what charset-normalizer finds
    (typically cp1252 for exports from Windows)."""
    bom = _bom(head)
    if bom:
        return bom
    if utf8 if utf8 is not None else TextFacts.of(path, head).utf8:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(_non_ascii_lines(path)).best()
    guess = best.encoding if best else "cp1252"
    # Single-byte Western encodings are hard to tell apart on names alone, and a roster
    # exported on Windows in the Americas is cp1252: prefer it over a Baltic or Central
    # European guess when it decodes every byte. Cyrillic, Greek, CJK guesses stand.
    if guess in _WESTERN or guess in ("ascii", "utf_8"):
        guess = "cp1252"
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(16 << 20):
                chunk.decode(guess)
    except (UnicodeDecodeError, LookupError):
        guess = "latin-1"  # decodes every byte; said in the output, never silent
    return guess


_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "cp1257", "cp1254", "iso8859_2",
            "iso8859_4", "iso8859_9", "iso8859_13", "mac_roman", "mac_latin2", "cp850", "cp437",
            "cp1258", "iso8859_3", "iso8859_10", "iso8859_14", "iso8859_16"}


def _non_ascii_lines(path: Path, limit: int = 1 << 20) -> bytes:
    """The lines that carry non-ASCII bytes (up to 1 MiB of them): what tells encodings
    apart, even when the first of them sits far into a large file."""
    out = bytearray()
    with path.open("rb") as fh:
        for line in fh:
            if not line.isascii():
                out += line
                if len(out) >= limit:
                    break
    return bytes(out)


def _lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines, once TextFacts has bounded their length."""
    with path.open("r", encoding=encoding, newline="") as fh:
        yield from fh


# ---------------------------------------------------------------- CSV, TSV and plain text


def read_delimited(path: Path, encoding: str, head: str, name: str) -> Document:
    sample = head[:65536]
    dialect = _sniff(sample, name)
    if dialect is None:
        return read_text(path, encoding)
    fmt = "tsv" if dialect.delimiter == "\t" else "csv"

    def rows() -> Iterator[Row]:
        with path.open("r", encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, dialect)
            try:
                yield from reader
            except csv.Error as exc:
                raise ReadError(f"{path.name}: not readable as {fmt.upper()} at line"
                                f" {reader.line_num:,}: {exc}") from exc

    return Document(path, fmt, [Table(path.name, rows)], encoding=encoding)


def _sniff(sample: str, name: str):
    lines = [l for l in sample.splitlines()[:50] if l.strip()]
    if not lines:
        return None
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",\t;|")
    except csv.Error:
        dialect = None
    if dialect is not None:
        counts = [l.count(dialect.delimiter) for l in lines]
        # a delimiter must split most lines the same way, or this is prose with commas
        common = max(set(counts), key=counts.count)
        if common >= 1 and counts.count(common) >= max(2, len(lines) * 0.6):
            return dialect
    if name.endswith((".csv", ".tsv", ".tab")):
        return csv.excel_tab if name.endswith((".tsv", ".tab")) else csv.excel
    return None


_FIELD_SPLIT = re.compile(r"\t|\s{2,}|\s*\|\s*")
_QUOTE = re.compile(r"^(?:\s*>)+\s?")


def read_text(path: Path, encoding: str) -> Document:
    """Prose, e.g. an e-mail quoting part of the list. Runs of three or more lines that split
    into the same three or more fields (tabs, aligned spaces, pipes) are read as tables."""
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


# ---------------------------------------------------------------- JSON and JSON Lines


def read_json(path: Path, encoding: str, size: int) -> Document:
    if size > MAX_JSON:
        raise ReadError(f"{path.name} is larger than {MAX_JSON >> 20} MiB of JSON")
    text = path.read_text(encoding=encoding)
    try:
        data = json.loads(text)
        fmt = "json"
    except json.JSONDecodeError as whole:
        data, fmt = _json_lines(path, text, whole), "jsonl"
    records = _records(data)
    if records is None:
        raise ReadError(f"{path.name}: JSON holds no list of records (objects) to read")
    flat = [flatten(r) if isinstance(r, dict) else {"value": r} for r in records]
    header: list[str] = list(dict.fromkeys(k for r in flat for k in r))
    rows = [[r.get(k) for k in header] for r in flat]
    return Document(path, fmt, [Table(path.name, lambda: iter(rows), header)], encoding=encoding)


def _json_lines(path: Path, text: str, whole: json.JSONDecodeError) -> list:
    lines = [l for l in text.splitlines() if l.strip()]
    if len(lines) < 2:
        raise ReadError(f"{path.name}: not valid JSON ({whole.msg} at line {whole.lineno})")
    out = []
    for number, line in enumerate(lines, start=1):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ReadError(f"{path.name}: JSON Lines record {number:,} is broken ({exc.msg});"
                            " the file may be truncated. Nothing was read.") from exc
    return out


def _records(data: Any, depth: int = 0) -> list | None:
    """The largest list of objects in the document (a list, or a list under some key)."""
    if isinstance(data, list) and data and any(isinstance(x, dict) for x in data[:100]):
        return data
    if isinstance(data, dict) and depth < 4:
        found = [r for v in data.values() if (r := _records(v, depth + 1))]
        if found:
            return max(found, key=len)
        return [data] if depth == 0 else None
    return None


def flatten(obj: dict, prefix: str = "") -> dict[str, Any]:
    """{'name': {'last': 'X'}} -> {'name.last': 'X'}; lists of scalars joined with '; '."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                out[name] = "; ".join("" if v is None else str(v) for v in value)
            else:
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        out.update(flatten(item, f"{name}.{i}."))
                    else:
                        out[f"{name}.{i}"] = json.dumps(item)
        else:
            out[name] = value
    return out
