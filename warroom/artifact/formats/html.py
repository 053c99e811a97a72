"""HTML pages: each innermost table, and the page's text without navigation and scripts."""

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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKUP = re.compile(r"(?i)<(html|table|body|!doctype)")


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    return (text_head is not None and lead(text_head)[:1] == "<"
            and bool(_MARKUP.search(text_head[:SAMPLE])))


def read(path: Path, sample: Sample) -> Document:
    from lxml import etree, html

    encoding = sample.text_encoding
    if path.stat().st_size > MAX_HTML:
        raise ReadError(f"{path.name} is larger than {MAX_HTML >> 20} MiB of HTML")
    text = path.read_bytes().decode(encoding, errors="replace")
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)   # a declared encoding confuses lxml on str
    text = _CONTROL.sub(" ", text)                   # lxml refuses NUL and control characters
    try:
        parser = html.HTMLParser(no_network=True, remove_comments=True)
        root = html.fromstring(text, parser=parser)
    except (etree.ParserError, ValueError, LookupError) as exc:
        raise ReadError(f"{path.name}: not readable as HTML ({short(exc)})") from exc
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
