"""The review document as Markdown (GitHub-flavoured tables).

Text from outside is cleaned (`warroom.render.safe.clean`: controls and bidi characters become
visible marks, a newline a mark too, so a cell stays one line) and every character Markdown
gives a meaning to is backslash-escaped, so a tip text cannot become a link, an image, HTML,
emphasis or a table column."""

from __future__ import annotations

import re
from typing import BinaryIO

from warroom.export.document import Document, Table
from warroom.render.safe import clean

NAME = "md"

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&$])")   # anywhere
_LEADING = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|(?=[-=]))")   # a list or a rule at the start


def escape(text: object) -> str:
    """Outside text as literal Markdown: shown as written, never interpreted."""
    s = _SPECIAL.sub(r"\\\1", clean(text))
    return _LEADING.sub(r"\1\\", s)


def _table(table: Table) -> list[str]:
    lines = [f"### {escape(table.title)}", ""] if table.title else []
    lines.append("| " + " | ".join(escape(h) for h in table.headers) + " |")
    lines.append("|" + "---|" * len(table.headers))
    for i, row in enumerate(table.rows):
        cells = [escape(c) for c in row]
        if i in table.strong:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def render(doc: Document) -> str:
    lines = [doc.marker, "", f"# Post-incident review: {escape(doc.incident)}", ""]
    for section in doc.sections():
        lines += [f"## {escape(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [escape(paragraph), ""]
        for table in section.tables:
            lines += _table(table)
    return "\n".join(lines)


def write(doc: Document, out: BinaryIO) -> None:
    out.write(render(doc).encode("utf-8"))
