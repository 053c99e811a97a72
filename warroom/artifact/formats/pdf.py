"""PDF: tables found by pdfplumber (ruled, else text-aligned), merged over page breaks, and
the prose around them."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from warroom.artifact.formats.base import Document, Row, Sample, Table, short
from warroom.errors import ReadError

NAMES = ("pdf",)
LABEL = "PDF reader (pdfplumber)"
BINARY = True
LINE_LIMIT = False

MAX_PDF_PAGES = 5_000


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    return head.startswith(b"%PDF-")


def read(path: Path, sample: Sample) -> Document:
    import logging

    import pdfplumber

    for noisy in ("pdfminer", "pdfplumber"):   # damaged PDFs make them chatter on stderr
        logging.getLogger(noisy).setLevel(logging.ERROR)
    doc = Document(path, "pdf")
    merged: list[list[Row]] = []
    try:
        _refuse_many_pages(path)    # before pdfplumber, whose close() parses every page
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                found = page.find_tables()
                if not found:
                    found = page.find_tables({"vertical_strategy": "text",
                                              "horizontal_strategy": "text"})
                    found = [t for t in found if _looks_tabular(t.extract())]
                for table in found:
                    _merge(merged, [[c or "" for c in row] for row in table.extract()])
                boxes = [t.bbox for t in found]
                outside = page.filter(partial(_outside, boxes))
                text = outside.extract_text() or ""
                doc.text.extend(line.strip() for line in text.splitlines() if line.strip())
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise ReadError(f"{path.name}: damaged or unreadable PDF ({short(exc)})") from exc
    for n, rows in enumerate(merged, start=1):
        doc.tables.append(Table(f"table {n}", lambda rows=rows: iter(rows)))
    return doc


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


def _looks_tabular(rows: list[list]) -> bool:
    """Text-aligned 'tables' on a page of prose: keep only those with three or more filled
    columns in most rows."""
    filled = [sum(1 for c in r if c and str(c).strip()) for r in rows]
    return len(rows) >= 2 and sum(1 for f in filled if f >= 3) >= len(rows) * 0.6


def _merge(merged: list[list[Row]], rows: list[Row]) -> None:
    """A table that goes on over the next page: same width, and its first row repeats the
    header or is data, not a header of its own."""
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        return
    if merged and len(merged[-1][0]) == len(rows[0]):
        last = merged[-1]
        if [str(c).strip() for c in rows[0]] == [str(c).strip() for c in last[0]]:
            last.extend(rows[1:])
            return
        if re.search(r"\d", " ".join(str(c) for c in rows[0])):
            last.extend(rows)
            return
    merged.append(rows)


def _outside(boxes: list[tuple], obj: dict) -> bool:
    return not any(_inside(obj, b) for b in boxes)


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return (obj.get("x0", 0) >= x0 - 1 and obj.get("x1", 0) <= x1 + 1
            and obj.get("top", 0) >= top - 1 and obj.get("bottom", 0) <= bottom + 1)
