"""Birth dates right whatever the day/month order: each column's order is decided from its
values, an ambiguous column is said so and settled by --date-order, a mixed one is noted."""

from __future__ import annotations

import random
from datetime import date

import pytest
from clirun import invoke, one_json

from warroom.artifact import dates as D
from warroom.artifact.columns import SAMPLE_ROWS
from warroom.artifact.dates import Dates, decide_order
from warroom.artifact.scan import Scan, ScanResult
from warroom.synthetic import FakePerson

import files


def with_births(ps: list[FakePerson], seed: int, *, max_day: int = 28) -> list[FakePerson]:
    """The same people born on days 1..max_day (max_day 12: every date reads both ways)."""
    rng = random.Random(seed)
    out = []
    for p in ps:
        born = date(p.birth_date.year, rng.randint(1, 12), rng.randint(1, max_day))
        out.append(FakePerson(**{**p.__dict__, "birth_date": born}))
    return out


def scanned(path, **kwargs) -> tuple[dict[str, str | None], ScanResult]:
    """Each person's birth date found, by A-number, read in this process (no sandbox)."""
    scan = Scan(path, **kwargs)
    found = {p["a_number"]: p.get("birth_date") for p in scan.people()}
    return found, scan.result


def truth(ps: list[FakePerson]) -> dict[str, str]:
    return {p.a_number: p.birth_date.isoformat() for p in ps}


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y",
                                 "%m/%d/%y", "%d-%m-%Y", "%Y/%m/%d", "%d-%b-%Y", "%B %d, %Y",
                                 "%m/%d/%Y 00:00:00"])
def test_every_birth_date_is_right_whatever_the_order(tmp_path, fmt):
    ps = files.roster(300, seed=71)
    path = files.write_csv(tmp_path / "list.csv", ps, dates=fmt)
    found, result = scanned(path)
    assert found == truth(ps)
    [column] = result.dates
    assert column["column"] == "DOB" and not column["ambiguous"] and column["by"] == "values"
    expected = ("ymd" if fmt.startswith("%Y") or "b" in fmt.lower() else
                "dmy" if fmt.startswith("%d") else "mdy")
    assert column["order"] == expected
    assert not any("birth dates" in note for note in result.notes)


def test_xlsx_date_cells_and_day_first_text(tmp_path):
    ps = files.roster(200, seed=72)
    found, result = scanned(files.write_xlsx(tmp_path / "cells.xlsx", ps))
    assert found == truth(ps)
    assert {c["order"] for c in result.dates} == {"ymd"}     # date cells: nothing in question

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "A-Number", "Date of Birth", "Country of Citizenship"])
    for p in ps:
        ws.append([p.full_name, p.a_number, p.birth_date.strftime("%d/%m/%Y"), p.nationality])
    wb.save(tmp_path / "text.xlsx")
    found, result = scanned(tmp_path / "text.xlsx")
    assert found == truth(ps) and result.dates[0]["order"] == "dmy"


def test_an_ambiguous_column_is_said_so_and_the_option_settles_it(tmp_path):
    ps = with_births(files.roster(150, seed=73), seed=1, max_day=12)
    path = files.write_csv(tmp_path / "eu.csv", ps, dates="%d/%m/%Y")
    found, result = scanned(path)
    [column] = result.dates
    assert column["ambiguous"] and column["by"] == "default" and column["order"] == "mdy"
    assert column["either"] > 0 and column["day_first"] == column["month_first"] == 0
    assert any("ambiguous" in n and "--date-order dmy|mdy" in n for n in result.notes)
    differ = [p for p in ps if p.birth_date.day != p.birth_date.month]
    # read month-first by default, as flagged: wrong for this file, and that is why it says so
    assert all(found[p.a_number] != p.birth_date.isoformat() for p in differ)

    found, result = scanned(path, date_order="dmy")
    assert found == truth(ps)
    [column] = result.dates
    assert column["ambiguous"] and column["by"] == "option" and column["order"] == "dmy"
    assert any("as --date-order says" in n for n in result.notes)

    us = files.write_csv(tmp_path / "us.csv", ps)
    found, result = scanned(us)
    assert found == truth(ps) and result.dates[0]["ambiguous"]


def test_an_ambiguous_dotted_column_is_read_day_first_by_default(tmp_path):
    from rich.console import Console

    from warroom.render.scan import scan_report

    ps = with_births(files.roster(60, seed=82), seed=11, max_day=12)
    found, result = scanned(files.write_csv(tmp_path / "de.csv", ps, dates="%d.%m.%Y"))
    assert found == truth(ps)
    [column] = result.dates
    assert column["ambiguous"] and column["by"] == "default" and column["order"] == "dmy"
    assert any("written with dots" in n for n in result.notes)
    console = Console(record=True, width=200)
    console.print(scan_report(result.as_json()))
    shown = console.export_text()
    assert "AMBIGUOUS, read day first (dd/mm) by default" in shown
    assert "if the file is month first, scan again with --date-order mdy" in shown


def test_a_proven_order_beats_the_option(tmp_path):
    ps = files.roster(100, seed=74)
    path = files.write_csv(tmp_path / "eu.csv", ps, dates="%d/%m/%Y")
    found, result = scanned(path, date_order="mdy")
    assert found == truth(ps)
    [column] = result.dates
    assert column["order"] == "dmy" and column["by"] == "values" and not column["ambiguous"]
    assert any("prove day-first" in n and "--date-order mdy does not apply" in n
               for n in result.notes)


def test_conflicting_values_are_noted_not_mixed(tmp_path):
    ps = with_births(files.roster(120, seed=75), seed=2)
    odd = next(i for i, p in enumerate(ps) if p.birth_date.day > 12)
    path = tmp_path / "mixed.csv"
    files.write_csv(path, ps, dates="%d/%m/%Y")
    odd_text = ps[odd].birth_date.strftime("%d/%m/%Y")
    us_text = ps[odd].birth_date.strftime("%m/%d/%Y")
    text = path.read_text()
    assert text.count(odd_text) == 1
    path.write_text(text.replace(odd_text, us_text))
    found, result = scanned(path)
    assert found[ps[odd].a_number] is None          # only month-first: not read day-first
    assert {k: v for k, v in found.items() if k != ps[odd].a_number} == {
        p.a_number: p.birth_date.isoformat() for i, p in enumerate(ps) if i != odd}
    [column] = result.dates
    assert column["order"] == "dmy" and column["month_first"] == 1 and column["unread"] == 1
    assert any("mix orders" in n and "1 left without a birth date" in n for n in result.notes)


def test_a_late_proof_settles_the_rows_held_before_it(tmp_path):
    """The sample (the first rows) reads both ways; the proof comes after it."""
    ps = files.roster(SAMPLE_ROWS + 150, seed=76)
    ps = (with_births(ps[:SAMPLE_ROWS + 100], seed=3, max_day=12)
          + with_births(ps[SAMPLE_ROWS + 100:], seed=4))
    assert any(p.birth_date.day > 12 for p in ps[SAMPLE_ROWS + 100:])
    found, result = scanned(files.write_csv(tmp_path / "late.csv", ps, dates="%d.%m.%Y"))
    assert found == truth(ps)
    assert result.dates[0]["order"] == "dmy" and result.dates[0]["by"] == "values"


def test_too_many_held_are_read_with_the_fallback_and_said_so(tmp_path, monkeypatch):
    monkeypatch.setattr(D, "MAX_HELD", 50)
    ps = files.roster(SAMPLE_ROWS + 150, seed=77)
    ps = (with_births(ps[:SAMPLE_ROWS + 100], seed=5, max_day=12)
          + with_births(ps[SAMPLE_ROWS + 100:], seed=6))
    found, result = scanned(files.write_csv(tmp_path / "late.csv", ps, dates="%d/%m/%Y"))
    assert len(found) == len(ps)
    assert any("were read month-first (mdy) before a value proved day-first" in n
               for n in result.notes)
    assert result.dates[0]["ambiguous"] and result.dates[0]["order"] == "mdy"


def test_prose_dates_follow_the_same_rules(tmp_path):
    ps = with_births(files.roster(6, seed=78), seed=7, max_day=12)
    lines = [f"- {p.full_name}, A# {p.a_number[1:4]} {p.a_number[4:7]} {p.a_number[7:]}, born"
             f" {p.birth_date.strftime('%d/%m/%Y')}." for p in ps]
    path = tmp_path / "mail.txt"
    path.write_text("Our clients are on your list:\n" + "\n".join(lines) + "\n")
    found, result = scanned(path)
    assert set(found) == {p.a_number for p in ps}
    prose = [c for c in result.dates if c["table"] == "prose"]
    assert prose and prose[0]["ambiguous"] and prose[0]["by"] == "default"
    found, result = scanned(path, date_order="dmy")
    assert found == truth(ps)

    late = date(1980, 3, 25)        # one date proves the writer's order for the others
    path.write_text(path.read_text() + "- ZOLAN, MIREK, A# 987 654 321, born"
                    f" {late.strftime('%d/%m/%Y')}.\n")
    found, result = scanned(path)
    assert found == {**truth(ps), "A987654321": late.isoformat()}
    assert [c["order"] for c in result.dates if c["table"] == "prose"] == ["dmy"]


def test_scan_result_round_trips_with_its_dates(tmp_path):
    ps = with_births(files.roster(20, seed=79), seed=8, max_day=12)
    _, result = scanned(files.write_csv(tmp_path / "l.csv", ps, dates="%d/%m/%Y"))
    again = ScanResult.from_dict(result.to_dict())
    assert again.dates == result.dates and again.dates[0]["ambiguous"]
    old = result.to_dict()
    del old["dates"]                     # a result written before the field existed
    assert ScanResult.from_dict(old).dates == []


def test_the_cli_option_reaches_the_sandboxed_scan(tmp_path):
    ps = with_births(files.roster(80, seed=80), seed=9, max_day=12)
    path = files.write_csv(tmp_path / "eu.csv", ps, dates="%d/%m/%Y")
    none = tmp_path / "none.db"
    r = invoke("--db", none, "scan", path)
    assert r.exit_code == 0, r.stderr
    assert "AMBIGUOUS" in r.stdout and "--date-order dmy" in r.stdout
    r = invoke("--db", none, "scan", path, "--json", "--date-order", "DMY")
    assert r.exit_code == 0, r.stderr
    [column] = one_json(r.stdout)["dates"]
    assert column["by"] == "option" and column["order"] == "dmy"

    r = invoke("--db", none, "scan", path, "--date-order", "ymd")
    assert r.exit_code == 2
    assert r.stderr.startswith("warroom: error: invalid value for '--date-order': 'ymd' is not"
                               " one of 'dmy', 'mdy'.\nUsage: warroom scan")


def test_the_import_takes_the_option(tmp_path):
    from warroom.journal import Journal, queries

    db = tmp_path / "j.db"
    assert invoke("--db", db, "init", "--name", "t").exit_code == 0
    ps = with_births(files.roster(60, seed=81), seed=10, max_day=12)
    path = files.write_csv(tmp_path / "eu.csv", ps, dates="%d/%m/%Y")
    r = invoke("--db", db, "scan", path, "--import", "--json", "--date-order", "dmy")
    assert r.exit_code == 0, r.stderr
    with Journal(db) as journal:
        roster = {p["a_number"]: p["birth_date"] for p in queries.people_full(journal.conn)}
    assert roster == truth(ps)


def test_the_order_is_checked_before_any_scan():
    with pytest.raises(Exception, match="give dmy"):
        D.check_order("ydm")
    with pytest.raises(ValueError):
        Dates("dym")


@pytest.mark.parametrize(("values", "order"), [
    ([], "ymd"),                                       # nothing in question
    (["05/05/1990"], "ymd"),                           # same day and month: reads one way
    (["1990-01-02", "1990/3/4", "19900102"], "ymd"),
    (["12 Mar 1990", "March 4, 1990", 33000.0, date(1990, 1, 2)], "ymd"),
    (["05/06/1990"], None),
    (["05/06/1990", "1990-01-02"], None),             # ISO does not settle the others
    (["05/06/1990", "13/01/1990"], "dmy"),
    (["05/06/1990", "01/13/1990"], "mdy"),
    (["13/01/90", "3/4/55"], "dmy"),                  # two-digit years
    (["1/13/90"], "mdy"),
    (["13.01.1990"], "dmy"),
    (["13-01-1990"], "dmy"),
    (["13/01/1990 00:00:00"], "dmy"),                 # a spreadsheet's time of day
    (["13/01/1990", "01/13/1990"], None),             # a tie: nothing proven
    (["13/01/1990", "14/01/1990", "01/13/1990"], "dmy"),   # the majority
    (["31/02/1990", "02/31/1990"], "ymd"),            # no date either way: no bearing
    (["29/02/1991"], "ymd"),
    (["29/02/1992"], "dmy"),                          # a leap day proves it
    (["13/01.1990", "01/13-1990"], "ymd"),            # mixed separators are no dates
    (["32/01/1990", "00/13/1990"], "ymd"),
])
def test_decide_order(values, order):
    assert decide_order(values) == order


def test_a_column_decided_from_its_distinct_values_at_once():
    column = D.DateColumn("Sheet1", "DOB", "dmy")
    column.prime(["05/06/1990", "07/08/1991", "1990-01-01", None])
    column.commit()
    assert [column.dates(v) for v in ("05/06/1990", "1990-01-01")] == ["1990-06-05",
                                                                       "1990-01-01"]
    report = column.report()
    assert report["ambiguous"] and report["by"] == "option" and report["either"] == 2

    column = D.DateColumn("Sheet1", "DOB", "mdy")
    column.prime(["13/01/1990", "14/02/1990", "01/13/1990", "05/06/1990"])
    column.commit()
    assert column.dates("05/06/1990") == "1990-06-05" and column.dates("01/13/1990") is None
    report = column.report()
    assert (report["order"], report["by"], report["unread"]) == ("dmy", "values", 1)
    notes = column.notes()
    assert len(notes) == 2 and "--date-order mdy does not apply" in notes[0]
    assert "mix orders (2 distinct values only day-first, 1 only month-first)" in notes[1]


def test_the_default_for_the_ambiguous():
    assert D.Evidence.of(["05/06/1990", "07-08-1990"]).default == "mdy"
    assert D.Evidence.of(["05.06.1990", "07.08.1990", "09/10/1990"]).default == "dmy"
    assert D.Evidence.of(["05.06.1990", "07/08/1990"]).default == "mdy"


def test_the_converter_reads_each_order():
    assert Dates("dmy")("04/07/1990") == "1990-07-04"
    assert Dates("mdy")("04/07/1990") == "1990-04-07"
    assert Dates("dmy")("11/19/1990") is None          # never mixed into a dmy column
    assert Dates("dmy")("04/07/55") == "1955-07-04"
    assert Dates("mdy")("1990-11-19T00:00:00") == "1990-11-19"
    assert Dates("dmy")(33000) == "1990-05-07"         # an Excel serial
    assert Dates("dmy")("19-Nov-1990") == "1990-11-19"
    assert Dates("dmy")("not a date") is None
