"""Readers for office formats: spreadsheets (xlsx, xls, ods), HTML pages and PDF tables."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from warroom.artifact.read import Document, Row, Table
from warroom.errors import ReadError

MAX_UNZIPPED = 2 << 30        # all members of an office zip, uncompressed
MAX_RATIO = 150               # compression ratio of a large member before it is a bomb
MAX_MEMBERS = 20_000
MAX_PDF_PAGES = 5_000
MAX_HTML = 256 << 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------- spreadsheets


def read_spreadsheet(path: Path, head: bytes) -> Document:
    if head.startswith(b"PK"):
        fmt = _check_zip(path)
    else:
        fmt = "xls"
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except BaseException as exc:  # calamine raises many kinds, and a Rust panic is no Exception
        _reraise_fatal(exc)
        raise ReadError(f"{path.name}: not a readable {fmt} workbook ({_short(exc)})") from exc
    doc = Document(path, fmt)
    for name in names:
        doc.tables.append(Table(name, lambda name=name: _sheet_rows(path, name, fmt)))
    return doc


def _sheet_rows(path: Path, name: str, fmt: str) -> Iterator[Row]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
        for row in sheet.iter_rows():
            yield list(row)
    except ReadError:
        raise
    except BaseException as exc:
        _reraise_fatal(exc)
        raise ReadError(f"{path.name}: sheet {name!r} cannot be read ({_short(exc)})") from exc


def _reraise_fatal(exc: BaseException) -> None:
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def _check_zip(path: Path) -> str:
    """An office file is a zip: refuse bombs and archives that are no spreadsheet."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError,
            EOFError) as exc:
        raise ReadError(f"{path.name}: damaged or truncated zip/xlsx file ({_short(exc)})") from exc
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"{path.name}: {len(infos):,} parts in one workbook: refused")
    total = sum(i.file_size for i in infos)
    bomb = [i for i in infos if i.file_size > (8 << 20)
            and i.file_size > MAX_RATIO * max(i.compress_size, 1)]
    if total > MAX_UNZIPPED or bomb:
        why = f"unpacks to {total / (1 << 30):.2f} GiB"
        if bomb:
            ratio = bomb[0].file_size // max(bomb[0].compress_size, 1)
            why += f", {bomb[0].filename} compressed {ratio:,}:1"
        raise ReadError(f"{path.name} {why}: refused as a zip bomb")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    raise ReadError(f"{path.name} is a zip archive, not a spreadsheet: unpack it and scan the"
                    " files inside")


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# ---------------------------------------------------------------- HTML


def read_html(path: Path, encoding: str) -> Document:
    from lxml import etree, html

    if path.stat().st_size > MAX_HTML:
        raise ReadError(f"{path.name} is larger than {MAX_HTML >> 20} MiB of HTML")
    text = path.read_bytes().decode(encoding, errors="replace")
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)   # a declared encoding confuses lxml on str
    text = _CONTROL.sub(" ", text)                   # lxml refuses NUL and control characters
    try:
        parser = html.HTMLParser(no_network=True, remove_comments=True)
        root = html.fromstring(text, parser=parser)
    except (etree.ParserError, ValueError, LookupError) as exc:
        raise ReadError(f"{path.name}: not readable as HTML ({_short(exc)})") from exc
    for junk in root.xpath("//script|//style|//nav|//noscript|//template|//header|//footer"
                           "|//*[@role='navigation']|//*[@aria-hidden='true']"):
        junk.drop_tree()
    doc = Document(path, "html", encoding=encoding)
    for n, table in enumerate(root.xpath("//table[not(.//table)]"), start=1):
        rows = [_html_row(tr) for tr in table.xpath(".//tr")]
        rows = [r for r in rows if any(c for c in r)]
        caption = " ".join(table.xpath("string(.//caption)").split())
        if rows:
            doc.tables.append(Table(caption or f"table {n}", lambda rows=rows: iter(rows)))
        table.drop_tree()
    body = root.xpath("//body") or [root]
    text = body[0].text_content()
    doc.text = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return doc


def _html_row(tr) -> Row:
    cells: Row = []
    for cell in tr.xpath("./th|./td"):
        value = " ".join(cell.text_content().split())
        span = cell.get("colspan", "1")
        cells.append(value)
        if span.isdigit() and 1 < int(span) < 100:
            cells.extend([""] * (int(span) - 1))
    return cells


# ---------------------------------------------------------------- PDF


def read_pdf(path: Path) -> Document:
    import logging

    import pdfplumber

    for noisy in ("pdfminer", "pdfplumber"):   # damaged PDFs make them chatter on stderr
        logging.getLogger(noisy).setLevel(logging.ERROR)
    doc = Document(path, "pdf")
    merged: list[list[Row]] = []
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ReadError(f"{path.name} has {len(pdf.pages):,} pages: more than"
                                f" {MAX_PDF_PAGES:,}")
            for page in pdf.pages:
                found = page.find_tables()
                if not found:
                    found = page.find_tables({"vertical_strategy": "text",
                                              "horizontal_strategy": "text"})
                    found = [t for t in found if _looks_tabular(t.extract())]
                for table in found:
                    _merge(merged, [[c or "" for c in row] for row in table.extract()])
                boxes = [t.bbox for t in found]
                outside = page.filter(lambda obj: not any(_inside(obj, b) for b in boxes))
                text = outside.extract_text() or ""
                doc.text.extend(line.strip() for line in text.splitlines() if line.strip())
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise ReadError(f"{path.name}: damaged or unreadable PDF ({_short(exc)})") from exc
    for n, rows in enumerate(merged, start=1):
        doc.tables.append(Table(f"table {n}", lambda rows=rows: iter(rows)))
    return doc


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


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return (obj.get("x0", 0) >= x0 - 1 and obj.get("x1", 0) <= x1 + 1
            and obj.get("top", 0) >= top - 1 and obj.get("bottom", 0) <= bottom + 1)
