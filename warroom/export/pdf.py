"""The review document as PDF, for the record: the same sections, paragraphs and tables as
the md and html exports, and the same chart, in one Unicode font (DejaVu Sans, shipped in
data/fonts/). The marker is the first line of the first page and the document's subject;
the head hash is in its keywords and on every page's footer."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from warroom.export.document import Document, Table
from warroom.paths import data_dir
from warroom.render.safe import clean

NAME = "pdf"

FONT = "DejaVuSans.ttf"
_FAMILY = "DejaVu"
_SYSTEM_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)
_STRONG = (253, 236, 234)
_HEADING = (235, 235, 235)
_PII = (183, 28, 28)
_PAD, _LINE = 0.8, 3.4   # mm: cell padding, line height in tables


def font_path() -> Path:
    for candidate in (data_dir() / "fonts" / FONT, *map(Path, _SYSTEM_FONTS)):
        if candidate.is_file():
            return candidate
    from warroom.errors import WarroomError

    raise WarroomError(f"the PDF export needs the font {FONT} in warroom's data/fonts/:"
                       " reinstall warroom")


def _widths(pdf, table: Table) -> list[float]:
    """Column widths across the page, in proportion to what the columns hold (sampled,
    capped, so one long URL does not starve the rest)."""
    sample = [table.headers, *table.rows[:200]]
    weights = [min(max(max(len(str(row[i])) for row in sample), 6), 60) + 4
               for i in range(len(table.headers))]
    return [pdf.epw * w / sum(weights) for w in weights]


def _row(pdf, widths: list[float], cells: list[str], fill: tuple[int, int, int] | None,
         header: list[str] | None) -> None:
    """One table row: a cell that fits is one line, a longer one wraps; a row never splits
    across pages, and a new page repeats the header."""
    lines = [1 if pdf.get_string_width(c) <= w - 2 * _PAD else
             len(pdf.multi_cell(w - 2 * _PAD, _LINE, c, dry_run=True, output="LINES"))
             for c, w in zip(cells, widths)]
    height = max(lines) * _LINE + 2 * _PAD
    if header is not None and pdf.will_page_break(height):
        pdf.add_page()
        _row(pdf, widths, header, _HEADING, None)
    x, y = pdf.l_margin, pdf.get_y()
    if fill:
        pdf.set_fill_color(*fill)
    for c, w, n in zip(cells, widths, lines):
        pdf.rect(x, y, w, height, style="DF" if fill else "D")
        pdf.set_xy(x + _PAD, y + _PAD)
        if n == 1:
            pdf.cell(w - 2 * _PAD, _LINE, c)
        else:
            pdf.multi_cell(w - 2 * _PAD, _LINE, c, align="L")
        x += w
    pdf.set_xy(pdf.l_margin, y + height)


def _table(pdf, table: Table) -> None:
    if table.title:
        _heading(pdf, table.title, 11)
    pdf.set_font(size=7.5)
    pdf.set_draw_color(200, 200, 200)
    widths = _widths(pdf, table)
    header = list(table.headers)
    _row(pdf, widths, header, _HEADING, None)
    for i, row in enumerate(table.rows):
        _row(pdf, widths, [clean(c) for c in row], _STRONG if i in table.strong else None,
             header)
    pdf.set_font(size=9.5)
    pdf.ln(3)


def _heading(pdf, text: str, size: float) -> None:
    pdf.set_font(size=size)
    pdf.multi_cell(0, size * 0.55, clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(size=9.5)


def _chart(pdf, doc: Document) -> None:
    from warroom.export.chart import svg

    try:
        drawing = svg(doc, font=_FAMILY, titles=False)
        pdf.image(io.BytesIO(drawing.encode("utf-8")), w=pdf.epw)
    except Exception as exc:   # fpdf2 draws a subset of SVG: the tables hold every value
        pdf.multi_cell(0, 5, f"(the chart could not be drawn here: {type(exc).__name__}; the"
                             " html export has it)", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def render(doc: Document) -> bytes:
    from fpdf import FPDF

    class Review(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(size=7)
            self.cell(0, 5, f"{doc.marker.split(' — ', 1)[0]} · journal head"
                            f" {doc.head or 'none'} · {doc.events:,} events · page"
                            f" {self.page_no()}/{{nb}}", align="C")

    pdf = Review(orientation="L", format="A4")
    pdf.add_font(_FAMILY, "", str(font_path()))
    pdf.set_font(_FAMILY, size=9.5)
    pdf.set_title(clean(f"Post-incident review: {doc.incident}"))
    pdf.set_subject(doc.marker)
    pdf.set_keywords(f"warroom journal head {doc.head} events {doc.events}")
    pdf.set_creator(f"warroom {doc.version}")
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    if doc.include_pii:
        pdf.set_text_color(*_PII)
    pdf.multi_cell(0, 5, doc.marker, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    _heading(pdf, f"Post-incident review: {doc.incident}", 16)
    for section in doc.sections():
        _heading(pdf, section.title, 13)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 4.8, clean(paragraph), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        if section.key == "window":
            _chart(pdf, doc)
        for table in section.tables:
            _table(pdf, table)
    return bytes(pdf.output())


def write(doc: Document, out: BinaryIO) -> None:
    out.write(render(doc))
