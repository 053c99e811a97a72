"""PDF: tables found by pdfplumber (ruled), else by the position of their words (unruled,
pdf_layout.py), merged over page breaks, and the prose around them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from warroom.artifact.formats.base import Document, Row, Sample, Table, short
from warroom.artifact.formats.pdf_layout import Line, furniture, lines_of, norm, page_table
from warroom.errors import ReadError

NAMES = ("pdf",)
LABEL = "PDF reader (pdfplumber)"
BINARY = True
LINE_LIMIT = False

MAX_PDF_PAGES = 5_000
FURNITURE_PAGES = 20    # pages that tell what recurs on every page (title, footer, header)

# a page read: ruled tables' rows and the text around them, or the page's lines of words
Page = tuple[list[list[Row]], list[str]] | list[Line]


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    return head.startswith(b"%PDF-")


def read(path: Path, sample: Sample) -> Document:
    import logging

    import pdfplumber

    for noisy in ("pdfminer", "pdfplumber"):   # damaged PDFs make them chatter on stderr
        logging.getLogger(noisy).setLevel(logging.ERROR)
    doc = Document(path, "pdf")
    merged: list[_Open] = []
    try:
        _refuse_many_pages(path)    # before pdfplumber, whose close() parses every page
        with pdfplumber.open(path) as pdf:
            ahead: list[Page] = []      # pages read before the page furniture is known
            repeated: set[str] | None = None
            for page in pdf.pages:
                ahead.append(_page(page))
                page.close()            # its parsed objects are no longer needed
                if repeated is None and len(ahead) < FURNITURE_PAGES:
                    continue
                if repeated is None:
                    repeated = furniture([p for p in ahead if isinstance(p, list)])
                for read_page in ahead:
                    _place(read_page, repeated, merged, doc.text)
                ahead.clear()
            if repeated is None:        # a document of fewer pages than FURNITURE_PAGES
                repeated = furniture([p for p in ahead if isinstance(p, list)])
            for read_page in ahead:
                _place(read_page, repeated, merged, doc.text)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise ReadError(f"{path.name}: damaged or unreadable PDF ({short(exc)})") from exc
    for n, table in enumerate(merged, start=1):
        doc.tables.append(Table(f"table {n}", lambda rows=table.rows: iter(rows)))
    return doc


def _place(page: Page, repeated: set[str], merged: list[_Open], text: list[str]) -> None:
    """A read page's tables into `merged` (going on from the last page's when they do), the
    rest of its lines into `text`."""
    if isinstance(page, list):
        unruled = page_table(page, repeated)
        if unruled is not None:
            _merge(merged, unruled.rows, unruled.columns)
            lines = unruled.prose
        else:
            lines = [line.text for line in page]
    else:
        for rows in page[0]:
            _merge(merged, rows)
        lines = page[1]
    text.extend(line.strip() for line in lines if line.strip())


def _page(page) -> Page:
    """A page with tables drawn with ruling lines: their rows as pdfplumber finds them, and
    the text around them. Any other page: its lines of words, whose positions tell the
    columns once the page furniture is known."""
    found = page.find_tables()
    if not found:
        return lines_of(page.extract_words(x_tolerance=1.5))
    tables = [[[c or "" for c in row] for row in table.extract()] for table in found]
    outside = page.filter(partial(_outside, [t.bbox for t in found]))
    return tables, (outside.extract_text() or "").splitlines()


def _refuse_many_pages(path: Path) -> None:
    """Refuse a PDF of more than MAX_PDF_PAGES pages before any page is parsed: by the count
    its page tree announces, then by walking the tree no further than the limit (a count may
    lie)."""
    from itertools import islice

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with path.open("rb") as fh:
        document = PDFDocument(PDFParser(fh))
        tree = resolve1(document.catalog.get("Pages"))
        declared = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
        if isinstance(declared, int) and declared > MAX_PDF_PAGES:
            raise ReadError(f"{path.name} has {declared:,} pages: more than {MAX_PDF_PAGES:,}")
        pages = islice(PDFPage.create_pages(document), MAX_PDF_PAGES + 1)
        if sum(1 for _ in pages) > MAX_PDF_PAGES:
            raise ReadError(f"{path.name} has more than {MAX_PDF_PAGES:,} pages")


@dataclass
class _Open:
    """A table that may go on over the next page."""

    rows: list[Row]
    columns: list[tuple[float, float]] | None     # where its columns sit, when unruled
    head: set[str] = field(default_factory=set)   # its first rows: title and header


def _merge(merged: list[_Open], rows: list[Row],
           columns: list[tuple[float, float]] | None = None) -> None:
    """A table that goes on over the next page: its columns line up with the last one's (or,
    ruled, it has as many), and its first rows repeat that table's title and header, or are
    data, not a header of its own. Rows repeated from the first page's top (the header, a
    title set out in columns) are dropped."""
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        return
    last = merged[-1] if merged else None
    if last is not None and (columns is None) == (last.columns is None):
        mapped = (_remap(rows, columns, last.columns) if columns is not None and last.columns
                  else rows if len(last.rows[0]) == len(rows[0]) else None)
        if mapped is not None:
            top = 0
            while top < min(5, len(mapped)) and _norm(mapped[top]) in last.head:
                top += 1
            if top or re.search(r"\d", " ".join(str(c) for c in mapped[0])):
                last.rows.extend(mapped[top:])
                return
    merged.append(_Open(rows, columns, {_norm(r) for r in rows[:5]}))


def _remap(rows: list[Row], columns: list[tuple[float, float]],
           before: list[tuple[float, float]]) -> list[Row] | None:
    """This page's rows in the columns of the table before, when each of its columns falls
    in one column of that table and no two in the same (a column may be empty on a page)."""
    target = []
    for a, b in columns:
        hits = [i for i, (c, d) in enumerate(before) if min(b, d) - max(a, c) > 0]
        if len(hits) != 1 or hits[0] in target:
            return None
        target.append(hits[0])
    out = []
    for row in rows:
        cells = [""] * len(before)
        for i, value in zip(target, row):
            cells[i] = value
        out.append(cells)
    return out


def _norm(row: Row) -> str:
    return norm(" | ".join(str(c) for c in row))


def _outside(boxes: list[tuple], obj: dict) -> bool:
    return not any(_inside(obj, b) for b in boxes)


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return (obj.get("x0", 0) >= x0 - 1 and obj.get("x1", 0) <= x1 + 1
            and obj.get("top", 0) >= top - 1 and obj.get("bottom", 0) <= bottom + 1)
