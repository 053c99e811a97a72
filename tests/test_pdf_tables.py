"""PDF tables drawn without ruling lines (columns aligned by position only) are read as
tables, header and all, over every page: every field of every person as written."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from warroom.artifact.formats import read
from warroom.artifact.scan import Scan

import files

PEOPLE = files.roster(400, seed=31)


ROLES = {"Name": "full_name", "A-Number": "a_number", "DOB": "birth_date", "Gender": None,
         "Country of Citizenship": "nationality", "Facility": "facility"}


def roles(report) -> dict:
    return {c["header"]: c["role"] for c in report.columns}


def scan(path) -> tuple[Scan, list[dict]]:
    s = Scan(path)
    return s, list(s.people())


@pytest.mark.parametrize("header", ["every", "first"])
@pytest.mark.parametrize("wrap", [False, True])
def test_unruled_table_over_pages_every_field_of_every_person(tmp_path, header, wrap):
    path = files.write_unruled_pdf(tmp_path / "list.pdf", PEOPLE, header=header, wrap=wrap)
    s, found = scan(path)
    files.assert_people(found, PEOPLE)
    assert [t.name for t in s.doc.tables] == ["table 1"]
    report = s.result.tables[0]
    assert report.header_row == 1 and report.rows == len(PEOPLE)
    assert roles(report) == ROLES
    # the title and the page numbers are prose, never rows
    assert "Page 1 of" in " ".join(s.doc.text)
    assert s.result.records == len(PEOPLE)


def test_wrapped_facility_names_are_joined_into_one_cell(tmp_path):
    path = files.write_unruled_pdf(tmp_path / "list.pdf", PEOPLE[:60], wrap=True)
    rows = list(read(path).tables[0].rows())
    assert rows[0] == files.UNRULED
    assert [r[-1] for r in rows[1:]] == [p.facility for p in PEOPLE[:60]]
    assert any(" " in p.facility and len(p.facility) > 30 for p in PEOPLE[:60])


def test_ruled_table_still_read_whole(tmp_path):
    s, found = scan(files.write_pdf(tmp_path / "ruled.pdf", PEOPLE))
    files.assert_people(found, PEOPLE)
    assert len(s.doc.tables) == 1


def test_a_page_of_prose_is_no_table(tmp_path):
    """Lines of a letter do not line up in columns: they stay prose, and the A-number in
    them is still found there."""
    from fpdf import FPDF

    p = PEOPLE[0]
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Dear colleague, we write about the list published on your site last "
                   "week. It names our client " + p.full_name + ", A# " + p.a_number[1:]
                   + ", and many others. " * 3 + "Please take it down today.\n\nRegards,\n"
                   "Intake team    (202) 555-0143")
    pdf.output(str(tmp_path / "letter.pdf"))
    s, found = scan(tmp_path / "letter.pdf")
    assert s.doc.tables == []
    assert [f["a_number"] for f in found] == [p.a_number]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("centered", [False, True])
def test_a_borderless_html_table_printed_by_chromium(tmp_path, centered):
    """Not our own generator: a browser's print of a table without borders, with the
    browser's own date, title, address and "1/6" around each page, the header repeated."""
    rows = "\n".join(
        f"<tr><td>{p.full_name}</td><td>{p.a_number}</td><td>{files._us(p.birth_date)}</td>"
        f"<td>{p.gender}</td><td>{p.nationality}</td><td>{p.facility}</td></tr>"
        for p in PEOPLE)
    align = "" if centered else "th { text-align: left }"
    html = tmp_path / "list.html"
    html.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>Detained</title><style>"
        f"body {{ font-family: sans-serif; font-size: 10px }} td, th {{ padding: 1px 6px;"
        f" white-space: nowrap }} {align}</style></head><body>"
        "<h1>Detained population (fictitious)</h1><p>As of 11/19/2022.</p><table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in files.UNRULED)
        + f"</tr></thead><tbody>{rows}</tbody></table></body></html>", encoding="utf-8")
    out = tmp_path / "list.pdf"
    try:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--print-to-pdf={out}", html.as_uri()], capture_output=True,
                       timeout=120, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"chromium could not print: {exc}")
    if not out.exists():
        pytest.skip("chromium printed nothing")
    s, found = scan(out)
    files.assert_people(found, PEOPLE)
    # the browser's own top line (date, page title) may stand above the header as a title
    assert len(s.doc.tables) == 1 and roles(s.result.tables[0]) == ROLES


def test_more_pages_than_the_furniture_is_learned_from(tmp_path):
    """Page furniture is learned from the first pages (pdf.FURNITURE_PAGES); the pages after
    them are read with what was learned."""
    from warroom.artifact.formats import pdf

    many = files.roster(30 * pdf.FURNITURE_PAGES, seed=32)
    path = files.write_unruled_pdf(tmp_path / "long.pdf", many, header="every")
    s, found = scan(path)
    files.assert_people(found, many)
    assert len(s.doc.tables) == 1 and s.result.tables[0].rows == len(many)
