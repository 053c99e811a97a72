"""Tables without a header are read by their values: no data row is taken for a header,
the first row is a person like any other, and each column is still known by what it holds."""

from __future__ import annotations

import csv

import pytest

from warroom.artifact.columns import find_header
from warroom.artifact.scan import Scan

import files

PEOPLE = files.roster(400, seed=47)
FULL = ["full_name", "a_number", "birth_date", None, "nationality", "facility"]


def full_row(p) -> list:
    return [p.full_name, p.a_number, files._us(p.birth_date), p.gender, p.nationality,
            p.facility]


def scan(path) -> tuple[Scan, list[dict]]:
    s = Scan(path)
    return s, list(s.people())


def write_csv(path, rows: list[list]):
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path, rows: list[list]):
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_headerless_csv_every_person_every_field(tmp_path):
    s, found = scan(write_csv(tmp_path / "list.csv", [full_row(p) for p in PEOPLE]))
    files.assert_people(found, PEOPLE)
    report = s.result.tables[0]
    assert report.header_row is None and report.rows == len(PEOPLE)
    assert [c["role"] for c in report.columns] == FULL


def test_headerless_xlsx_with_real_dates(tmp_path):
    rows = [[p.full_name, p.a_number, p.birth_date, p.gender, p.nationality, p.facility]
            for p in PEOPLE]
    s, found = scan(write_xlsx(tmp_path / "list.xlsx", rows))
    files.assert_people(found, PEOPLE)
    assert s.result.tables[0].header_row is None
    assert [c["role"] for c in s.result.tables[0].columns] == FULL


def test_headerless_pdf_without_ruling_lines(tmp_path):
    s, found = scan(files.write_unruled_pdf(tmp_path / "list.pdf", PEOPLE, header=None))
    files.assert_people(found, PEOPLE)
    assert s.result.tables[0].header_row is None
    assert [c["role"] for c in s.result.tables[0].columns] == FULL


def test_rows_of_text_only_are_people_not_a_header(tmp_path):
    """No A-number, no date: every cell of every row is text (name, gender, country,
    facility), yet the first row is a person and no row names the columns."""
    rows = [[p.full_name, p.gender, p.nationality, p.facility] for p in PEOPLE]
    s, found = scan(write_csv(tmp_path / "list.csv", rows))
    files.assert_people(found, PEOPLE, birth=False, number=False)
    assert s.result.tables[0].header_row is None
    assert [c["role"] for c in s.result.tables[0].columns] == [
        "full_name", None, "nationality", "facility"]


def test_a_person_without_number_or_birth_date_is_not_taken_for_the_header(tmp_path):
    """The old rule took the first row of labels only: here row 6 lacks its A-number and
    birth date, and everyone above it was lost."""
    rows = [full_row(p) for p in PEOPLE]
    rows[5][1] = rows[5][2] = ""
    s, found = scan(write_csv(tmp_path / "list.csv", [["Detained population"], [], *rows]))
    assert len(found) == len(PEOPLE)
    by_name = {f["full_name"]: f for f in found}
    assert by_name[PEOPLE[5].full_name]["a_number"] is None
    files.assert_people([f for f in found if f["a_number"]], PEOPLE[:5] + PEOPLE[6:])
    assert s.result.tables[0].header_row is None


@pytest.mark.parametrize("header", [
    ["Name", "Gender", "Country of Citizenship", "Facility"],
    ["NAME", "SEX", "COUNTRY", "FACILITY"],
    ["Detainee Name", "Gender", "Citizenship", "Detention Facility"],
    ["Nombre", "Sexo", "País", "Centro"],
])
def test_a_header_of_labels_is_found_under_title_rows(header):
    data = [[p.full_name, p.gender, p.nationality, p.facility] for p in PEOPLE[:60]]
    rows = [["Detained population (fictitious)"], ["as of 11/19/2022", ""], [], header, *data]
    assert find_header(rows) == 3
    assert find_header(data) is None
    # a header repeated down the file is still the header
    assert find_header([header, *data[:20], header, *data[20:]]) == 0


def test_header_over_rows_of_text_keeps_every_person(tmp_path):
    rows = [["Name", "Gender", "Country of Citizenship", "Facility"]] + [
        [p.full_name, p.gender, p.nationality, p.facility] for p in PEOPLE]
    s, found = scan(write_csv(tmp_path / "list.csv", rows))
    files.assert_people(found, PEOPLE, birth=False, number=False)
    assert s.result.tables[0].header_row == 1


def test_a_headerless_list_of_places_holds_no_one(tmp_path):
    """Two words of letters look like a name; without any other field of a roster beside
    them (a number, a birth date, a country, a facility) they are not taken for people."""
    places = [f"{a} {b}" for a in ("San", "Santa", "Port", "Lake", "Fort") for b in (
        "Antonio", "Isabel", "Rosa", "Cruz", "Marcos", "Pedro", "Luis", "Clara", "Elena", "Rio")]
    rows = [[place, f"{(n * 37) % 900 + 10}", f"{n % 7}.{n % 10}%"] for n, place in
            enumerate(places)]
    s, found = scan(write_csv(tmp_path / "places.csv", rows))
    assert found == [] and s.result.records == 0
    assert [c["role"] for c in s.result.tables[0].columns] == [None, None, None]
