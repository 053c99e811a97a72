"""What every reader shares: the Document it returns, the sample the registry looked at, the
limits, and the checks on text (binary junk, encodings, endless lines).

Format modules import this module only: never each other, never the package.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from warroom.errors import ReadError

MAX_LINE = 1 << 20            # one line of text: 1 MiB
SAMPLE = 1 << 20              # bytes looked at to tell format and encoding
MAX_COLUMNS = 1000            # columns of a table that are read (a roster has a few dozen)

Row = list[Any]


@dataclass
class Table:
    name: str
    rows: Callable[[], Iterator[Row]]   # every row, title rows included, re-readable
    header: list[str] | None = None     # known (JSON keys); else found by the scanner
    dialect: Any = None                 # delimited text: the csv dialect rows() reads with


@dataclass
class Document:
    path: Path
    format: str                          # csv, tsv, xlsx, xls, ods, html, json, jsonl, pdf, text
    tables: list[Table] = field(default_factory=list)
    text: list[str] = field(default_factory=list)   # prose, line by line
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Sample:
    """What the registry learned before it chose a reader."""

    name: str                    # file name, lower case (the name only breaks ties)
    size: int
    head: bytes                  # the first SAMPLE bytes
    encoding: str | None = None  # text formats only: what the whole file is in
    text: str | None = None      # text formats only: head, decoded

    @property
    def text_encoding(self) -> str:
        """The encoding a text reader reads with (set before any text format is sniffed)."""
        if self.encoding is None:
            raise ValueError("the sample was not decoded as text")
        return self.encoding


class Reader(Protocol):
    """A format module."""

    NAMES: tuple[str, ...]       # the Document.format values it gives
    LABEL: str                   # what it is called in an error ("spreadsheet reader (calamine)")
    BINARY: bool                 # sniffed on raw bytes, before the text checks
    LINE_LIMIT: bool             # refuses lines over MAX_LINE (minified JSON and HTML may not)

    def sniff(self, head: bytes, text_head: str | None, name: str) -> bool: ...

    def read(self, path: Path, sample: Sample) -> Document: ...


def lead(text_head: str) -> str:
    """The text where content starts: after a BOM and blank space."""
    return text_head.lstrip("\ufeff \t\r\n")


def short(exc: BaseException) -> str:
    """An exception's first line, for a one-line error."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# ---------------------------------------------------------------- text and encodings


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _bom(head: bytes) -> str | None:
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


def refuse_archive(path: Path, head: bytes) -> None:
    if head[:2] in (b"\x1f\x8b", b"BZ") or head.startswith(b"7z\xbc\xaf"):
        raise ReadError(f"{path.name} is a compressed archive: unpack it and scan the file inside")


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
    """What one pass over a text file's bytes learns: is it valid UTF-8, and which line, if
    any, is the first longer than MAX_LINE (1-based)."""

    utf8: bool
    long_line: int | None

    @classmethod
    def of(cls, path: Path, head: bytes) -> TextFacts:
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8 = _bom(head) in (None, "utf-8-sig")
        long_line, lines, carry = None, 0, 0    # carry: bytes of the line the chunk goes on
        with path.open("rb") as fh:
            while chunk := fh.read(16 << 20):
                # ASCII is UTF-8 (unless a character began in the chunk before): a test
                # many times faster than decoding
                if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8 = False
                if long_line is None:
                    at, carry = _long_line(chunk, carry)
                    if at is not None:
                        long_line = lines + chunk.count(b"\n", 0, at) + 1
                    lines += chunk.count(b"\n")
                elif not utf8:
                    break   # both known: nothing more to learn
        if long_line is None and carry > MAX_LINE:
            long_line = lines + 1
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
        return cls(utf8, long_line)

    def refuse_long_lines(self, path: Path) -> None:
        if self.long_line is not None:
            raise ReadError(f"{path.name}: a line is longer than {MAX_LINE >> 20} MiB (line"
                            f" {self.long_line:,}): this is not a table or a text")


def _long_line(chunk: bytes, carry: int) -> tuple[int | None, int]:
    """Where in `chunk` a line longer than MAX_LINE starts (0 for the line carried in), and
    the bytes of the line left open at its end. Jumps from the last newline of each MAX_LINE
    window to the next: a few steps a chunk, not one a line."""
    last = -1 - carry                       # where the last newline was, before the chunk
    while last + 2 + MAX_LINE <= len(chunk):
        found = chunk.rfind(b"\n", max(last + 1, 0), last + 2 + MAX_LINE)
        if found < 0:
            return max(last + 1, 0), 0
        last = found
    newline = chunk.rfind(b"\n")       # the lines after `last` are shorter than a window
    return None, len(chunk) - 1 - (newline if newline >= 0 else last)


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
