"""What an export must never carry: people unless asked (in any format, the pdf's text
included), a confidential tip's source (even when asked), a formula a spreadsheet would run,
markup a page would obey, a control character a terminal would obey."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from test_export import CONFIDENTIAL, FORMATS, HOSTILE_NOTE, build_case, exported, pdf_text

from warroom.export.csvfmt import HEADER, cell
from warroom.model import redact_a_number


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    return build_case(tmp_path_factory.mktemp("export"))


def text_of(db, fmt: str, include_pii: bool = False) -> str:
    """The export's text as a reader sees it (the pdf's text; Markdown's escapes undone)."""
    data = exported(db, fmt, include_pii=include_pii)
    if fmt == "pdf":
        return pdf_text(data)
    text = data.decode("utf-8")
    return re.sub(r"\\(.)", r"\1", text) if fmt == "md" else text


def flat(text: str) -> str:
    """The pdf wraps long cells: compare without line breaks."""
    return "".join(text.split())


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_personal_data_unless_asked(case, fmt):
    db, people = case
    text = flat(text_of(db, fmt))
    for p in people:
        for value in (p.a_number, p.a_number[1:], p.family_name, p.given_names,
                      p.birth_date.isoformat()):
            assert flat(value) not in text, (fmt, value)
    held = people[1].a_number
    assert flat(redact_a_number(held)) in text            # the hold's subject, redacted
    assert flat(redact_a_number(people[0].a_number)) in text   # the A-number in a tip's text
    assert flat(CONFIDENTIAL) not in text


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_the_roster_when_asked_and_still_no_confidential_source(case, fmt):
    db, people = case
    text = flat(text_of(db, fmt, include_pii=True))
    for p in people:
        assert flat(p.a_number) in text and flat(p.family_name) in text, (fmt, p)
    assert flat(CONFIDENTIAL) not in text
    assert "Ourclientfoundhername" not in text       # its text can name the source's client


@pytest.mark.parametrize("fmt", ["csv", "timesketch"])
def test_event_formats_when_asked_name_the_person_and_say_so(case, fmt):
    db, people = case
    text = text_of(db, fmt, include_pii=True)
    assert f"A:{people[1].a_number[1:]}" in text and people[0].a_number in text
    assert CONFIDENTIAL not in text
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))[2:]
        assert {r[0] for r in rows} == {"CONTAINS PERSONAL DATA"}
    else:
        assert {json.loads(x)["personal_data"] for x in text.splitlines()} == \
            {"CONTAINS PERSONAL DATA"}


def test_csv_cells_from_outside_never_run_as_formulas(case):
    db, _ = case
    rows = list(csv.reader(io.StringIO(text_of(db, "csv"), newline="")))
    body = [dict(zip(HEADER, r)) for r in rows[2:]]
    note = next(r for r in body if r["kind"] == "note")
    assert note["actor"] == "'=cmd|' /C calc'"
    for r in body:
        for column in ("actor", "what", "subject"):
            assert not r[column].startswith(("=", "+", "-", "@", "\t", "\r")), r
    assert [cell(x) for x in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "plain", None)] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "' =1", "plain", ""]


def test_html_shows_hostile_text_and_obeys_none_of_it(case):
    from lxml import html

    db, _ = case
    text = text_of(db, "html")
    assert "<script>alert" not in text and "\x1b" not in text
    page = html.fromstring(text)
    assert not page.xpath("//script | //a")
    cells = [td.text_content() for td in page.xpath("//section[@id='timeline']//td")]
    assert "note: " + HOSTILE_NOTE.replace("\x1b", "␛") in cells


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_control_character_reaches_any_format(case, fmt):
    data = exported(case[0], fmt)
    if fmt == "pdf":
        data = pdf_text(data).encode("utf-8")
    assert b"\x1b" not in data
