"""Every format a leak may come in, generated with made-up people: exact counts."""

from __future__ import annotations

import pytest

from warroom.artifact.scan import Scan, scan_file

import files


def found(path, field):
    """The values of one field over the people a scan of `path` yields."""
    return {person[field] for person in Scan(path).people()}


def births(ps):
    return {p.birth_date.isoformat() for p in ps}


def check(result, ps, **overrides):
    expected = {**files.truth(ps), **overrides}
    got = {"records": result.records, "a_numbers": result.a_numbers,
           "nationalities": dict(result.nationalities), "high_risk": result.high_risk}
    assert got == expected
    assert result.nlp.startswith("blank spaCy pipeline") or result.nlp.startswith("spaCy model")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_title_blank_and_trailer_rows(tmp_path, encoding):
    ps = files.accented(files.roster(700, seed=11))
    path = files.write_csv(tmp_path / "list.csv", ps, encoding=encoding)
    result = scan_file(path)
    check(result, ps)
    assert result.format == "csv"
    assert result.columns["Alien #"] == "A_NUMBER"
    assert "Booking No" not in result.columns        # 9 digits, but no A-number context
    assert "Gender" not in result.columns
    assert result.tables[0].header_row == 4
    if encoding == "cp1252":
        assert result.encoding.lower() in ("cp1252", "windows-1252", "latin_1", "iso-8859-1")
    names = found(path, "given_names")
    assert any("Á" in n or "Ñ" in n for n in names)  # accents decoded, not mangled


@pytest.mark.parametrize("delimiter, fmt", [("\t", "tsv"), (";", "csv"), ("|", "csv")])
def test_delimiters_are_sniffed(tmp_path, delimiter, fmt):
    ps = files.roster(300, seed=12)
    path = files.write_csv(tmp_path / "list.txt", ps, delimiter=delimiter, title=False)
    result = scan_file(path)
    assert result.format == fmt
    check(result, ps)


def test_split_name_columns_are_joined(tmp_path):
    ps = files.roster(50, seed=13)
    path = files.write_csv(tmp_path / "list.csv", ps, title=False, trailer=False)
    assert found(path, "full_name") == {p.full_name for p in ps}
    assert found(path, "birth_date") == births(ps)


def test_xlsx_sheets_title_rows_dates_and_a_number_forms(tmp_path):
    ps = files.roster(1500, seed=14)
    result = scan_file(files.write_xlsx(tmp_path / "list.xlsx", ps))
    check(result, ps)
    assert result.format == "xlsx"
    by_sheet = {t.name: t for t in result.tables}
    assert by_sheet["Summary"].records == 0
    assert by_sheet["Adults A-M"].header_row == 4
    assert by_sheet["Adults A-M"].records + by_sheet["Adults N-Z"].records == 1500
    assert result.columns["Date of Birth"] == "DATE_OF_BIRTH"
    assert "Book-In Date" not in result.columns      # a date, but not of birth


def test_xlsx_birth_dates_are_dates(tmp_path):
    ps = files.roster(20, seed=15)
    path = files.write_xlsx(tmp_path / "list.xlsx", ps)
    assert found(path, "birth_date") == births(ps)
    assert found(path, "a_number") == {p.a_number for p in ps}


def test_xls_binary_workbook(tmp_path):
    ps = files.roster(600, seed=20)
    result = scan_file(files.write_xls(tmp_path / "list.xls", ps))
    assert result.format == "xls" and result.tables[0].header_row == 3
    check(result, ps)
    assert found(tmp_path / "list.xls", "birth_date") == births(ps)


def test_html_tables_ignore_navigation_and_scripts(tmp_path):
    ps = files.roster(400, seed=16)
    result = scan_file(files.write_html(tmp_path / "page.html", ps))
    check(result, ps)
    assert result.format == "html"


@pytest.mark.parametrize("writer, fmt", [(files.write_json, "json"), (files.write_jsonl, "jsonl")])
def test_json_nested_objects_flattened(tmp_path, writer, fmt):
    ps = files.roster(350, seed=17)
    result = scan_file(writer(tmp_path / f"list.{fmt}", ps))
    assert result.format == fmt
    check(result, ps)
    assert result.columns["identifiers.alien_number"] == "A_NUMBER"
    assert result.columns["name.last"] == "PERSON"


def test_pdf_table_over_pages(tmp_path):
    ps = files.roster(120, seed=18)
    result = scan_file(files.write_pdf(tmp_path / "list.pdf", ps))
    assert result.format == "pdf"
    check(result, ps)


def test_email_quoting_part_of_the_list(tmp_path):
    ps = files.roster(40, seed=19)
    result = scan_file(files.write_email(tmp_path / "tip.eml", ps))
    assert result.format == "text"
    check(result, ps)
    assert result.entities["PHONE_NUMBER"] == 1 and result.entities["EMAIL_ADDRESS"] >= 1


def test_the_real_statistics_workbook_holds_no_one():
    from conftest import real_data

    result = scan_file(real_data("FY21_detention-stats.xlsx"))
    assert result.records == 0 and result.a_numbers == 0 and result.high_risk == 0
    assert "PERSON" not in result.columns.values()
    assert result.columns.get("Name") == "FACILITY"


def test_file_with_no_personal_data_is_not_an_error(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("Facility,Count\nAlder Creek Processing Center,120\n"
                    "North Fork County Jail,80\n")
    result = scan_file(path)
    assert result.records == 0 and result.notes


def test_combined_name_and_gender_column(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Detainee,Gender,Alien Number\n"
                    "\"PEREZ LOPEZ, JUAN CARLOS\",Male,912345678\n"
                    "\"ZORAVEN, MELIKA\",Female,912345679\n"
                    "\"KRAITH DUNAV, SORA ELIN\",Female,912345680\n")
    result = scan_file(path)
    assert result.records == 3 and result.a_numbers == 3
    assert result.columns == {"Detainee": "PERSON", "Alien Number": "A_NUMBER"}


def test_minified_json_on_one_long_line_is_read(tmp_path):
    """The line limit guards tables and text; a minified JSON export is one long line."""
    ps = files.roster(8000, seed=27)
    path = files.write_json(tmp_path / "min.json", ps)
    assert path.stat().st_size > 2 << 20 and path.read_bytes().count(b"\n") == 0
    check(scan_file(path), ps)


@pytest.mark.parametrize("writer, name", [
    (files.write_csv, "list.csv"), (files.write_xlsx, "list.xlsx"), (files.write_xls, "list.xls"),
    (files.write_html, "page.html"), (files.write_json, "list.json"),
    (files.write_jsonl, "list.jsonl"), (files.write_pdf, "list.pdf"),
    (files.write_email, "tip.eml")], ids=lambda x: x if isinstance(x, str) else "")
def test_the_sandbox_gives_the_same_result_as_a_scan_in_this_process(tmp_path, writer, name):
    path = writer(tmp_path / name, files.roster(60, seed=28))
    inside, boxed = scan_file(path, sandbox=False).to_dict(), scan_file(path).to_dict()
    assert inside.pop("seconds") >= 0 and boxed.pop("seconds") >= 0
    assert boxed == inside
