"""The review document as one self-contained HTML file: inline CSS, an inline SVG chart, no
script and no external reference (a Content-Security-Policy of `default-src 'none'` holds it
to that), so it opens in a browser with no network and calls nowhere.

Rendered by jinja2 with autoescape on; every value is first cleaned of control and bidi
characters (`warroom.render.safe.clean`). The marker is the file's first line, as a comment
before the doctype (which keeps standards mode), and the first thing on the page."""

from __future__ import annotations

from typing import BinaryIO

from warroom.export.document import Document

NAME = "html"


def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    from warroom.render.safe import clean

    def finalize(value: object) -> object:
        if isinstance(value, Markup) or not isinstance(value, str):
            return value
        return clean(value)

    return Environment(loader=PackageLoader("warroom.export", "templates"),
                       autoescape=select_autoescape(default=True), finalize=finalize), Markup


def render(doc: Document) -> str:
    from warroom.export.chart import svg

    env, markup = _environment()
    return env.get_template("review.html").render(
        doc=doc, sections=doc.sections(), chart=markup(svg(doc)),
        flag=doc.marker.split(" — ", 1)[0])


def write(doc: Document, out: BinaryIO) -> None:
    out.write(render(doc).encode("utf-8"))
