"""The formats of a notice letter: Markdown, self-contained HTML, and PDF. Each takes letters
composed by `warroom.checklists.letters.compose` and adds no word of its own to them.

PDF: fpdf2 with text shaping (uharfbuzz, so Farsi joins and runs right to left) and the Noto
fonts kept in data/fonts/ (Latin and Cyrillic; Naskh Arabic; a Chinese subset): no system
font is needed. Each letter is two sheets, its envelope (the cover sheet for hand delivery)
and the letter itself, so a batch prints one letter a page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from warroom.checklists.letters import Letter, templates
from warroom.errors import WarroomError
from warroom.model.kinds import LetterFormat
from warroom.paths import data_dir

FONTS = {"sans": "NotoSans-{}.ttf", "naskh": "NotoNaskhArabic-{}.ttf",
         "sc": "NotoSansSC-{}-subset.otf"}
PAGE = "letter"
TITLE, HEADING, BODY, SMALL = 15.0, 11.5, 10.0, 9.0   # points
LINE = 4.9                                           # mm, a line of body text
INDENT = 5.0                                         # mm, a list item's bullet
UNSEEN = {0x200B, 0x200C, 0x200D}                    # break and joiners, not glyphs


def render(letters: list[Letter], fmt: str,
           progress: Callable[[str, int, int], None] | None = None,
           scale: dict[str, float] | None = None) -> bytes:
    """The letters in one file of the format (`scale`: see `to_pdf`)."""
    fmt = LetterFormat(fmt)
    if fmt == LetterFormat.MD:
        return "\n".join(to_markdown(x) for x in letters).encode()
    if fmt == LetterFormat.HTML:
        return to_html(letters).encode()
    return to_pdf(letters, progress, scale)


# ---------------------------------------------------------------- markdown and html

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def to_markdown(letter: Letter) -> str:
    """The letter as Markdown: the envelope, a rule, the letter. Every character from a
    template or a record that Markdown would read as markup is escaped."""
    md = lambda text: text.translate(_MD_SPECIAL)   # noqa: E731
    out = ["**Envelope**", ""]
    for _kind, content in letter.envelope:
        out += ["  \n".join(md(x) for x in content), ""]
    out += ["---", ""]
    if letter.rtl:
        out += [f'<div dir="rtl" lang="{letter.lang}">', ""]
    for kind, content in letter.body:
        if kind == "banner":
            out.append(f"> **{md(content)}**")
        elif kind in ("title", "heading"):
            out.append(("# " if kind == "title" else "## ") + md(content))
        elif kind == "list":
            out.append("\n".join(f"- {md(x)}" for x in content))
        elif kind == "fields":
            out.append("  \n".join(f"{md(k)}**{md(v)}**" for k, v in content))
        elif kind == "lines":
            out.append("  \n".join(md(x) if x else "&nbsp;" for x in content))
        else:
            out.append(md(content))
        out.append("")
    if letter.rtl:
        out += ["</div>", ""]
    return "\n".join(out)


def to_html(letters: list[Letter]) -> str:
    """One self-contained HTML page: for each letter its envelope page and its letter page
    (printing puts each on its own sheet). Every text is escaped (jinja2 autoescape)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(data_dir() / "letters"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    return env.get_template("page.html.j2").render(letters=letters)


# ---------------------------------------------------------------- pdf

SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7)   # tried in turn until a letter fits its sheet


def to_pdf(letters: list[Letter], progress: Callable[[str, int, int], None] | None = None,
           scale: dict[str, float] | None = None) -> bytes:
    """One PDF: for each letter its envelope sheet, then the letter on one sheet, its type
    at the language's `scale` (default: `scales(letters)`)."""
    for letter in letters:
        lacking = {c for text in letter.texts() for c in text
                   if not c.isspace() and ord(c) not in UNSEEN} - _covered()
        if lacking:
            raise WarroomError(f"the letter fonts lack {''.join(sorted(lacking))!r}: make"
                               " them again with data/fonts/subset.py (data/fonts/README.md)")
    scale = scale or scales(letters)
    pdf = _document({"sans", *(templates()[x.lang].font for x in letters)})
    for i, letter in enumerate(letters, 1):
        _envelope(pdf, letter)
        pdf.add_page()
        _letter(pdf, letter, scale[letter.lang])
        if progress:
            progress("letters", i, len(letters))
    return bytes(pdf.output())


def scales(letters: list[Letter]) -> dict[str, float]:
    """For each language, the scale of type at which its longest letter fits one sheet."""
    longest: dict[str, tuple[int, Letter]] = {}
    for letter in letters:
        size = sum(map(len, letter.texts()))
        if size > longest.get(letter.lang, (-1, letter))[0]:
            longest[letter.lang] = (size, letter)
    return {lang: fit(letter) for lang, (_size, letter) in longest.items()}


def fit(letter: Letter) -> float:
    """The largest scale of type at which the letter fits on one sheet (the smallest tried
    when none does: the letter then runs on to a second sheet)."""
    pdf = _document({"sans", templates()[letter.lang].font})
    bottom = pdf.h - pdf.b_margin
    pdf.set_auto_page_break(False, pdf.b_margin)
    for scale in SCALES:
        pdf.add_page()
        _letter(pdf, letter, scale)
        if pdf.get_y() <= bottom:
            return scale
    return SCALES[-1]


def _document(families: set[str]):
    """An empty PDF with the letter fonts of `families` (sans, naskh, sc) loaded: each one
    a document loads costs time, so only those its letters use."""
    from fpdf import FPDF

    pdf = FPDF(format=PAGE)
    pdf.set_margins(22, 16, 22)
    pdf.set_auto_page_break(True, 14)
    folder = data_dir() / "fonts"
    loaded = [family for family in FONTS if family in families]
    for family in loaded:
        pdf.add_font(family, "", folder / FONTS[family].format("Regular"))
        pdf.add_font(family, "B", folder / FONTS[family].format("Bold"))
    pdf.set_fallback_fonts(loaded)
    return pdf


@lru_cache(maxsize=1)
def _covered() -> frozenset[str]:
    """Every character some letter font draws."""
    from fontTools.ttLib import TTFont

    folder = data_dir() / "fonts"
    return frozenset(chr(c) for pattern in FONTS.values() for weight in ("Regular", "Bold")
                     for c in TTFont(folder / pattern.format(weight), lazy=True).getBestCmap())


def _shaping(pdf, rtl: bool) -> None:
    """Right-to-left text (Farsi) is shaped (letters joined, runs ordered) with harfbuzz;
    the left-to-right scripts here need no shaping, and are set far faster without it."""
    if rtl:
        pdf.set_text_shaping(True, direction="rtl")
    else:
        pdf.set_text_shaping(False)


_ZWSP = "\u200b"
_NO_LINE_START = set("，。、；：？！）」』》〉】…")
_NO_LINE_END = set("（「『《〈【")


def breakable(text: str) -> str:
    """Chinese text with a zero-width space wherever a line may break: beside an ideograph
    or a CJK mark, never before a closing mark or after an opening one. A Latin word, a
    number or an A-number stays whole."""
    out = []
    for here, after in zip(text, text[1:]):
        out.append(here)
        if (max(ord(here), ord(after)) >= 0x2E80 and not here.isspace()
                and not after.isspace() and after not in _NO_LINE_START
                and here not in _NO_LINE_END):
            out.append(_ZWSP)
    return "".join(out) + text[-1:]


def _envelope(pdf, letter: Letter) -> None:
    """The envelope sheet: the neutral sender top left; the addressee's name and facility
    where a window envelope shows them; the confidential notice below."""
    (_, sender), (_, notice), (_, address) = letter.envelope
    t = templates()[letter.lang]
    pdf.add_page()
    _shaping(pdf, False)
    pdf.set_font("sans", "", SMALL)
    for line in sender:
        pdf.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + 70, 80)
    pdf.set_font("sans", "B", 13)
    pdf.multi_cell(0, 6.5, address[0], new_x="LEFT", new_y="NEXT")
    pdf.set_font("sans", "", 12)
    pdf.multi_cell(0, 6, address[1], new_x="LEFT", new_y="NEXT")
    pdf.ln(8)
    for i, line in enumerate(notice):
        rtl = t.rtl and i == 0
        _shaping(pdf, rtl)
        pdf.set_font(t.font if i == 0 else "sans", "", SMALL)
        pdf.set_x(pdf.l_margin + 70)
        pdf.multi_cell(0, 4.5, line, align="R" if rtl else "L", new_x="LMARGIN", new_y="NEXT")


def _letter(pdf, letter: Letter, scale: float) -> None:
    """The letter's body on the current page, its type and spacing times `scale`."""
    t = templates()[letter.lang]
    align = "R" if t.rtl else "L"
    line = LINE * scale

    def para(text: str, size: float = BODY, style: str = "", height: float = LINE,
             after: float = 0.0, width: float = 0.0) -> None:
        pdf.set_font(t.font, style, size * scale)
        pdf.multi_cell(width, height * scale, breakable(text) if t.wrap_chars else text,
                       align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after * scale)

    for kind, content in letter.body:
        _shaping(pdf, t.rtl)
        if kind == "banner":
            _shaping(pdf, False)
            pdf.set_font("sans", "B", SMALL)
            pdf.multi_cell(0, 6, content, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3 * scale)
        elif kind == "title":
            para(content, TITLE, "B", 7, after=2.5)
        elif kind == "heading":
            pdf.ln(1.5 * scale)
            para(content, HEADING, "B", 6, after=0.3)
        elif kind == "list":
            for item in content:
                y = pdf.get_y()
                pdf.set_font("sans", "", BODY * scale)
                pdf.set_x(pdf.w - pdf.r_margin - INDENT if t.rtl else pdf.l_margin)
                pdf.cell(INDENT, line, "•", align="C")
                pdf.set_xy(pdf.l_margin + (0 if t.rtl else INDENT), y)
                para(item, width=pdf.epw - INDENT, after=0.6)
            pdf.ln(0.8 * scale)
        elif kind in ("fields", "lines"):
            for entry in content:
                if kind == "fields":
                    para(entry[0] + entry[1], style="B" if entry is content[0] else "")
                elif entry:
                    para(entry)
                else:
                    pdf.ln(line)
            pdf.ln(2 * scale)
        else:
            para(content, after=1.6)
