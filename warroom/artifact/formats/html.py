"""HTML pages: each innermost table, and the page's text without navigation and scripts.

Streamed: lxml's HTML parser calls a target (no tree is built) on each tag and run of text,
fed the file a chunk at a time; only the tables' cells and the prose are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from warroom.artifact.formats.base import SAMPLE, Document, Row, Sample, Table, lead, short
from warroom.errors import ReadError

NAMES = ("html",)
LABEL = "HTML reader (lxml)"
BINARY = False
LINE_LIMIT = False            # a page may be one long line

MAX_HTML = 256 << 20
CHUNK = 1 << 20               # characters fed to the parser at a time
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKUP = re.compile(r"(?i)<(html|table|body|!doctype)")
JUNK = frozenset({"script", "style", "nav", "noscript", "template", "header", "footer"})
CELLS = frozenset({"td", "th"})
SEP = "\x1f"                  # joins a closed row's cells: one string a row is a third the
                              # memory (cells hold no control characters: _CONTROL)


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    return (text_head is not None and lead(text_head)[:1] == "<"
            and bool(_MARKUP.search(text_head[:SAMPLE])))


def read(path: Path, sample: Sample) -> Document:
    from lxml import etree

    encoding = sample.text_encoding
    if path.stat().st_size > MAX_HTML:
        raise ReadError(f"{path.name} is larger than {MAX_HTML >> 20} MiB of HTML")
    page = _Page()
    try:
        parser = etree.HTMLParser(target=page, encoding="utf-8", no_network=True,
                                  remove_comments=True, remove_pis=True)
        with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
            while chunk := fh.read(CHUNK):
                # lxml refuses NUL and control characters
                parser.feed(_CONTROL.sub(" ", chunk).encode("utf-8", "surrogatepass"))
        parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, LookupError) as exc:
        raise ReadError(f"{path.name}: not readable as HTML ({short(exc)})") from exc
    doc = Document(path, "html", encoding=encoding)
    for name, rows in page.tables:
        doc.tables.append(Table(name, lambda rows=rows: (r.split(SEP) for r in rows)))
    text = (page.body if page.has_body else page.other).value()
    doc.text = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return doc


class _Text:
    """Runs of text, joined every few thousand into one string: a list of millions of small
    strings would take several times the memory of the text."""

    __slots__ = ("chunks", "parts")

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        parts = self.parts
        parts.append(text)
        if len(parts) >= 4096:
            self.chunks.append("".join(parts))
            parts.clear()

    def value(self) -> str:
        return "".join(self.chunks) + "".join(self.parts)


class _Table:
    __slots__ = ("caption", "caption_at", "cell", "cell_at", "open_rows", "rows", "text")

    def __init__(self) -> None:
        self.rows: list[str | Row] | None = []   # None once a table is found inside it
        self.open_rows: list[tuple[int, Row, int]] = []   # (depth, row, index in rows)
        self.cell: list[str] | None = None   # text of the open cell
        self.cell_at = (0, 1)                # its depth and colspan
        self.caption: list[str] | None = None
        self.caption_at = 0                  # depth of the open caption, or 0
        self.text = _Text()                  # all its text: prose, if it turns out to hold
                                             # a table


class _Page:
    """The parser's target: innermost tables (those with no table inside) as rows of cells,
    and the text of the body around them, without navigation, scripts and the like. Called
    for every tag and run of text of the page: kept lean."""

    def __init__(self) -> None:
        self.tables: list[tuple[str, list[str]]] = []    # name, rows of SEP-joined cells
        self.innermost = 0
        self.depth = 0                       # open elements (outside junk)
        self.junk = 0                        # open elements inside a dropped one
        self.in_body = 0
        self.has_body = False
        self.body = _Text()
        self.other = _Text()                 # text outside any body (a page with none)
        self.open: list[_Table] = []         # open tables, outermost first
        self.table: _Table | None = None     # the innermost open one, while it may be read

    def start(self, tag: str, attrib) -> None:
        if self.junk or tag in JUNK or (attrib and (attrib.get("role") == "navigation"
                                                    or attrib.get("aria-hidden") == "true")):
            self.junk += 1
            return
        self.depth = depth = self.depth + 1
        table = self.table
        if tag in CELLS:
            if table is not None and table.open_rows and table.open_rows[-1][0] == depth - 1:
                span = attrib.get("colspan", "1") if attrib else "1"
                table.cell = []
                table.cell_at = (depth, int(span) if span.isdigit() and 1 < int(span) < 100
                                 else 1)
        elif tag == "tr":
            if table is not None:
                row: Row = []
                table.open_rows.append((depth, row, len(table.rows)))
                table.rows.append(row)
        elif tag == "table":
            if table is not None:            # it holds a table: its text is prose after all
                table.rows = None
                table.open_rows.clear()
                table.cell = None
                table.caption_at = 0
                self._prose(table.text.value())
                table.text = _Text()
            self.table = _Table()
            self.open.append(self.table)
        elif tag == "caption":
            if table is not None and table.caption is None:
                table.caption, table.caption_at = [], depth
        elif tag == "body":
            self.in_body += 1
            self.has_body = True

    def end(self, tag: str) -> None:
        if self.junk:
            self.junk -= 1
            return
        depth = self.depth
        self.depth = depth - 1
        table = self.table
        if table is not None:
            if table.cell is not None and table.cell_at[0] == depth:
                value = " ".join("".join(table.cell).split())
                row = table.open_rows[-1][1]
                row.append(value)
                if table.cell_at[1] > 1:
                    row.extend([""] * (table.cell_at[1] - 1))
                table.cell = None
                return
            if table.open_rows and table.open_rows[-1][0] == depth:
                _, row, index = table.open_rows.pop()
                table.rows[index] = SEP.join(row)
                return
            if table.caption_at == depth:
                table.caption_at = 0
                return
        if tag == "table" and self.open:
            closed = self.open.pop()
            self.table = self.open[-1] if self.open and self.open[-1].rows is not None else None
            if closed.rows is not None:
                self.innermost += 1
                caption = " ".join("".join(closed.caption or ()).split())
                rows = [r if isinstance(r, str) else SEP.join(r) for r in closed.rows]
                rows = [r for r in rows if r.strip(SEP)]
                if rows:
                    self.tables.append((caption or f"table {self.innermost}", rows))
        elif tag == "body":
            self.in_body -= 1

    def data(self, text: str) -> None:
        if self.junk:
            return
        table = self.table
        if table is None:
            self._prose(text)
            return
        if table.cell is not None:
            table.cell.append(text)
        if table.caption_at:
            table.caption.append(text)
        table.text.add(text)

    def _prose(self, text: str) -> None:
        (self.body if self.in_body else self.other).add(text)

    def close(self) -> None:
        return None
