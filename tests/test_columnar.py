"""The columnar engine (columnar.py) finds what the row path finds: the same ScanResult and the
same people in the same order, on every delimited shape a leak comes in; where polars might
split a file otherwise, the row path reads it."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warroom.artifact import columnar
from warroom.artifact.extract import a_number, person_name
from warroom.artifact.scan import Scan
from warroom.model.people import normalize_name
from warroom.synthetic import FACILITIES, FakePerson, misspell, people_with_claims

import files

ROOT = Path(__file__).resolve().parent.parent


def both(path: Path, *, columnar_read: bool | None = True) -> tuple[dict, list]:
    """Scan `path` with the columnar engine and with the row path; assert they agree (and
    that the columnar engine did, or did not, read the table; None: either). The result and
    people."""
    fast = Scan(path)
    fast_people = list(fast.people())
    slow = Scan(path, columnar=False)
    slow_people = list(slow.people())
    assert columnar_read is None or fast.read_columnar == int(columnar_read)
    assert slow.read_columnar == 0
    got, want = fast.result.to_dict(), slow.result.to_dict()
    assert got.pop("seconds") >= 0 and want.pop("seconds") >= 0
    assert got == want
    fast.result.seconds = slow.result.seconds = 0
    assert json.dumps(fast.result.as_json()) == json.dumps(slow.result.as_json())  # orders too
    assert fast_people == slow_people
    assert [list(p) for p in fast_people] == [list(p) for p in slow_people]  # keys' order
    counted = Scan(path).run().to_dict()           # run() makes no people, counts the same
    assert counted.pop("seconds") >= 0 and counted == want
    return want, slow_people


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_titles_blank_rows_trailer_accents_and_split_names(tmp_path, encoding):
    ps = files.accented(files.roster(700, seed=11))
    result, people = both(files.write_csv(tmp_path / "list.csv", ps, encoding=encoding))
    assert result["records"] == 700 and result["tables"][0]["header_row"] == 4
    assert any("Á" in p["given_names"] for p in people)


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_other_delimiters(tmp_path, delimiter):
    ps = files.roster(300, seed=12)
    result, _ = both(files.write_csv(tmp_path / "list.txt", ps, delimiter=delimiter,
                                     title=False))
    assert result["records"] == 300


def _write(path: Path, rows: list[list[str]], newline: str = "\r\n") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def _people_rows(n: int, seed: int) -> list[list[str]]:
    return [[p.full_name, p.a_number, p.birth_date.strftime("%m/%d/%Y"), p.nationality,
             p.facility] for p in files.roster(n, seed=seed)]


HEADER = ["Detainee Name", "A-Number", "Date of Birth", "Citizenship", "Facility"]


def test_duplicates_by_a_number_and_by_name_and_birth(tmp_path):
    rows = _people_rows(200, seed=41)
    nameless = [["", *r[1:]] for r in rows[:20]]                 # A-number only
    numberless = [[r[0], "", *r[2:]] for r in rows[20:60]]       # name and birth only
    again = [[r[0].lower(), "", *r[2:]] for r in rows[20:40]]     # the same people, cased
    accents = [["Núñez, José", "", "01/02/1980", "MEXICO", ""],
               ["NÚÑEZ,  JOSÉ", "", "01/02/1980", "Mexico", ""],
               ["O’Brien, Siobhán", "", "", "", ""], ["o’brien, SIOBHÁN", "", "", "", ""]]
    result, people = both(_write(tmp_path / "dups.csv", [
        HEADER, *rows, *rows[:50], *nameless, *numberless, *again, *accents]))
    assert result["records"] == 200 + 40 + 2
    assert len(people) == result["records"]


def test_duplicates_when_everyone_has_an_a_number(tmp_path):
    rows = _people_rows(300, seed=48)
    rows[7][1] = rows[7][1].lower()                            # the same number, written low
    result, _ = both(_write(tmp_path / "dups.csv", [HEADER, *rows, *rows[100:150], rows[7]]))
    assert result["records"] == 300


def test_ragged_rows_quoted_newlines_and_odd_cells(tmp_path):
    rows = _people_rows(300, seed=42)
    rows[3] = rows[3][:2]                                      # short rows
    rows[4] = [*rows[4], "extra", "cells"]                     # a longer one, early
    rows[5][0] = rows[5][0].replace(", ", ",\n")               # a newline in a quoted name
    rows[6][0] = "  " + rows[6][0] + "\t"                      # spaces around
    rows[7][0] = rows[7][0].replace(" ", "  ")                 # doubled spaces
    rows[8][0] = "TOTAL"                                       # no names
    rows[9][0] = "Harbor County Jail"
    rows[10][0] = "N/A"
    rows[11][0] = "Smith-Jones, Mary-Ann O'Neil Jr."
    rows[12][0] = "St. Clair, J."
    rows[13][0] = "X"                                          # too short
    rows[14][0] = "A" * 121                                    # too long
    rows[15][0] = "Ørsted, Åsa"
    rows[16][0] = "Ｆｕｌｌ, Ｗｉｄｔｈ"
    rows[17][0] = "Center, Detention"
    rows[18][0] = "Ice, Vanilla"
    rows[19][0] = 'He said ""hi"", ok'
    for i, form in enumerate(["123456789", "12345678", "A-123-456-780", "A# 123 456 781",
                              " A123456782 ", "a123456783", "1234567", "A12345678X", "B123456784",
                              "A١٢٣٤٥٦٧٨٩", "123-456-785", "0", "A 12345678"]):
        rows[20 + i][1] = form
    rows[40] = ["", "", "", "", ""]
    rows[41] = [" ", "", "", "", ""]                           # whitespace is no blank row
    result, people = both(_write(tmp_path / "odd.csv", [HEADER, *rows]))
    assert result["rows"] == 299
    assert any(p["full_name"] == "Ørsted, Åsa" for p in people)


def test_middle_names_and_split_columns_without_a_full_name(tmp_path):
    ps = files.roster(120, seed=43)
    rows = [["Apellido", "First Name", "Middle Name", "DOB", "Country"]]
    rows += [[p.family_name, p.given_names.split()[0], " ".join(p.given_names.split()[1:]),
              p.birth_date.strftime("%d-%b-%Y"), p.nationality] for p in ps]
    rows[5][1] = ""                                            # a family name alone
    rows[6][0] = ""                                            # a given name alone
    result, people = both(_write(tmp_path / "split.csv", rows, newline="\n"))
    assert result["records"] > 100 and all(p["full_name"] for p in people)


def test_tables_of_no_one_go_the_row_path(tmp_path):
    """A table of no people sends its rows with an A-number to prose: the row path's work."""
    both(_write(tmp_path / "counts.csv", [
        ["Facility", "Count"], ["Alder Creek Processing Center", "120"],
        ["North Fork County Jail", "80"]]), columnar_read=False)
    rows = [["Email", "Phone", "Nationality"]]
    rows += [["", "", "MEXICO"], ["", "(202) 555-0143", ""]]
    rows += [[f"person{i}@example.org", f"(202) 555-01{i % 90 + 10}", "GUATEMALA"]
             for i in range(60)]
    result, _ = both(_write(tmp_path / "contacts.csv", rows), columnar_read=False)
    assert result["records"] == 0 and result["entities"]


def test_people_with_contact_columns_count_both(tmp_path):
    rows = [["Name", "A-Number", "Email", "Phone"]]
    for i, r in enumerate(_people_rows(80, seed=44)):
        rows.append([r[0], r[1], "" if i < 3 else f"p{i}@example.org",
                     f"(202) 555-01{i % 90 + 10}"])
    result, _ = both(_write(tmp_path / "contacts.csv", rows))
    assert result["records"] == 80


def test_combined_name_and_gender_column(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Detainee,Gender,Alien Number\n"
                    "\"PEREZ LOPEZ, JUAN CARLOS\",Male,912345678\n"
                    "\"ZORAVEN, MELIKA\",Female,912345679\n"
                    "\"KRAITH DUNAV, SORA ELIN\",Female,912345680\n")
    assert both(path)[0]["records"] == 3


@pytest.mark.parametrize("tail", [
    b'Smith, J"o"hn,A123456789\n',           # a quote inside an unquoted field
    b'"Smith, John"x,A123456789\n',          # text after a closing quote
    b'"Smith, John,A123456789\n',            # a quote never closed
    b"Smith John,A123456789\rDoe Jane,A123456788\n",   # a carriage return alone
])
def test_what_polars_might_read_otherwise_goes_the_row_path(tmp_path, tail):
    path = _write(tmp_path / "odd.csv", [HEADER[:2], *[r[:2] for r in _people_rows(50, 45)]])
    path.write_bytes(path.read_bytes() + tail)
    both(path, columnar_read=False)


def test_a_wider_row_after_the_sample_goes_the_row_path(tmp_path):
    rows = [HEADER, *_people_rows(2100, seed=46)]
    rows[2080] = [*rows[2080], "", "late"]
    both(_write(tmp_path / "late.csv", rows), columnar_read=False)


# ---------------------------------------------------------------- main's semantics


def _ambiguous(ps: list) -> list:
    """The people with birth dates that read both ways (day and month both 1 to 12, apart),
    but every eleventh, whose day and month are the same (no bearing on the order)."""
    out = []
    for i, p in enumerate(ps):
        month = p.birth_date.month
        day = month if i % 11 == 0 else (month % 12) + 1
        out.append(FakePerson(**{**p.__dict__, "birth_date": p.birth_date.replace(day=day)}))
    return out


@pytest.mark.parametrize("dates", ["%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d-%b-%Y"])
def test_birth_dates_in_either_order(tmp_path, dates):
    ps = files.roster(900, seed=51)
    result, people = both(files.write_csv(tmp_path / "list.csv", ps, dates=dates))
    assert {p["a_number"]: p["birth_date"] for p in people} == {
        p.a_number: p.birth_date.isoformat() for p in ps}
    assert len(result["dates"]) == 1 and not result["dates"][0]["ambiguous"]


@pytest.mark.parametrize(("dates", "order", "option"), [
    ("%m/%d/%Y", "mdy", None), ("%d.%m.%Y", "dmy", None), ("%m/%d/%Y", "dmy", "dmy")])
def test_an_ambiguous_column_holds_the_same_people_back(tmp_path, dates, order, option):
    """No value proves the order: the row path holds back those whose dates read both ways
    and yields them at the end; the columnar engine gives the same people in the same order
    (the same first record of a repeated A-number, too, so the same conflicts)."""
    ps = _ambiguous(files.roster(600, seed=52))
    copy, changed = files.other_identities(ps[:300])
    path = files.write_csv(tmp_path / "list.csv", [*ps, *copy], dates=dates)
    fast = Scan(path, date_order=option)
    fast_people = list(fast.people())
    slow = Scan(path, columnar=False, date_order=option)
    assert fast.read_columnar == 1
    assert fast_people == list(slow.people())
    fast.result.seconds = slow.result.seconds = 0
    assert fast.result.as_json() == slow.result.as_json()
    report = fast.result.dates[0]
    assert report["ambiguous"] and report["order"] == order and report["either"] > 100
    numbers = [p["a_number"] for p in fast_people]
    assert numbers[:10] == [p.a_number for p in ps if p.birth_date.day == p.birth_date.month
                            ][:10]                   # the others wait for the end
    assert fast.result.conflicting == len(changed) > 0


def test_an_order_proven_after_the_sample_goes_the_row_path(tmp_path):
    """The row path releases the people it held at the row that proves the order: rare (a
    real sample proves it), and left to the row path."""
    ps = _ambiguous(files.roster(2300, seed=53))
    late = ps[2200]
    ps[2200] = FakePerson(**{**late.__dict__, "birth_date": late.birth_date.replace(day=25)})
    result, people = both(files.write_csv(tmp_path / "list.csv", ps), columnar_read=False)
    assert result["dates"][0]["order"] == "mdy" and not result["dates"][0]["ambiguous"]
    # the dates that read both ways were held, then released at the proving row
    assert [p["a_number"] for p in people[:2]] == [ps[0].a_number, ps[11].a_number]


def test_past_the_row_paths_limits_the_row_path_reads(tmp_path, monkeypatch):
    """More people held back than DateColumn holds (it then commits mid-file), or more
    distinct birth dates than its caches keep: the row path reads the table."""
    from warroom.artifact import columnar_people, dates

    path = files.write_csv(tmp_path / "list.csv", _ambiguous(files.roster(400, seed=60)))
    monkeypatch.setattr(dates, "MAX_HELD", 50)
    monkeypatch.setattr(columnar_people, "MAX_HELD", 50)
    result, _ = both(path, columnar_read=False)
    assert "before a value proved" not in " ".join(result["notes"])   # none proves it
    monkeypatch.undo()
    monkeypatch.setattr(columnar_people, "MAX_DATES", 20)
    both(path, columnar_read=False)


def test_facilities_spelled_many_ways(tmp_path):
    rng = random.Random(54)
    ps = files.roster(800, seed=54)
    ps = [FakePerson(**{**p.__dict__, "facility": misspell(FACILITIES[i % 6], rng)
                        if i % 9 else p.facility}) for i, p in enumerate(ps)]
    result, people = both(files.write_csv(tmp_path / "list.csv", ps))
    assert 6 <= result["facilities"] < len({p.facility for p in ps})
    assert {p["facility"] for p in people} >= set(FACILITIES[:6])


def test_conflicting_identities_within_a_file(tmp_path):
    ps = files.roster(700, seed=55)
    copy, changed = files.other_identities(ps, every=5)
    given_first = {p.a_number for p in ps[::3]}
    extra = [(p, f"{p.given_names.title()} {p.family_name.title()}") for p in copy]
    # one A-number under many names: the note past ten identities
    extra += [(ps[0], f"{ps[0].family_name}, Other{chr(65 + i)}") for i in range(14)]
    path = files.write_names_csv(tmp_path / "names.csv", ps, given_first=given_first,
                                 extra=extra)
    result, people = both(path)
    assert result["conflicting"] == len(changed) + 1 and result["records"] == 700
    assert len(people) == 700 + len(changed) + 9 and result["notes"]


def test_claims_of_protection(tmp_path):
    ps = people_with_claims(900, seed=56)
    again = [p for p in ps[:200] if files.expected_flags(p)]      # kept for the roster
    result, people = both(files.write_claims_csv(tmp_path / "claims.csv", [*ps, *again]))
    assert result["protected"] == sum(1 for p in ps if files.expected_flags(p)) > 0
    assert len(people) == 900 + len(again)
    assert result["tables"][0]["claims"]
    flags = {p["a_number"]: list(p.get("risk_flags", ())) for p in people[:900]}
    assert flags == {p.a_number: files.expected_flags(p) for p in ps}


def test_a_headerless_csv_under_a_title(tmp_path):
    rows = [["Detained population"], [], *[[p.full_name, p.a_number,
             p.birth_date.strftime("%m/%d/%Y"), p.gender, p.nationality, p.facility]
             for p in files.roster(500, seed=57)]]
    result, people = both(_write(tmp_path / "list.csv", rows))
    assert result["tables"][0]["header_row"] is None and len(people) == 500


def test_a_table_of_no_people_column_reads_its_notes_as_prose(tmp_path):
    rows = [["Date", "Office", "Notes"]]
    rows += [[f"11/{i % 28 + 1}/2022", "Field office", f"Call about {p.full_name}, "
              f"{p.a_number}, held at {p.facility}" if i % 2 else "no one named"]
             for i, p in enumerate(files.roster(60, seed=58))]
    result, people = both(_write(tmp_path / "log.csv", rows), columnar_read=False)
    assert result["records"] == len(people) == 30


CLAIMS = people_with_claims(60, seed=59)
EDITS = st.sampled_from(["same", "name", "birth", "claim", "blank", "nameless", "numberless"])


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 60), dates=st.sampled_from(["%m/%d/%Y", "%d/%m/%Y", "%d.%m.%y"]),
       ambiguous=st.booleans(), option=st.sampled_from([None, "dmy", "mdy"]),
       repeats=st.lists(st.tuples(st.integers(0, 59), EDITS), max_size=25))
def test_random_rosters_read_alike(tmp_path_factory, n, dates, ambiguous, option, repeats):
    """Rosters of repeated records (the same, another name, another birth date, a claim, blank
    cells), birth dates proven or ambiguous: the same result and people either way."""
    ps = _ambiguous(CLAIMS[:n]) if ambiguous else CLAIMS[:n]
    rows = [["A-Number", "Last Name", "First Name", "DOB", "Citizenship", "Facility",
             "Relief Sought", "CFI Result"]]

    def row(p) -> list[str]:
        return [p.a_number, p.family_name, p.given_names, p.birth_date.strftime(dates),
                p.nationality, p.facility, p.case_status, p.fear_result]

    rows += [row(p) for p in ps]
    for i, edit in repeats:
        r = row(ps[i % n])
        if edit == "name":
            r[1] += "OV"
        elif edit == "birth":
            r[3] = ps[(i + 1) % n].birth_date.strftime(dates)
        elif edit == "claim":
            r[6] = "Asylum Pending"
        elif edit == "blank":
            r[3] = r[4] = r[7] = ""
        elif edit == "nameless":
            r[1] = r[2] = ""
        elif edit == "numberless":
            r[0] = ""
        rows.append(r)
    path = _write(tmp_path_factory.mktemp("random") / "list.csv", rows)
    fast = Scan(path, date_order=option)
    fast_people = list(fast.people())
    slow = Scan(path, columnar=False, date_order=option)
    assert fast_people == list(slow.people())
    fast.result.seconds = slow.result.seconds = 0
    assert fast.result.as_json() == slow.result.as_json()


# ---------------------------------------------------------------- cells and text, generated


CELL = st.text(st.sampled_from("AaZz ,.-'’\t\n0123456789#ÁñſKØ/") | st.characters(
    blacklist_categories=("Cs",)), max_size=130)


@given(st.lists(CELL | st.sampled_from(["TOTAL", "Unknown", "Doe, Jane", "Harbor Jail, X",
                                        "O'Neil-Smith, J.", "A123456789", "12345678"]),
                max_size=40))
def test_names_and_a_numbers_as_the_row_path_reads_them(cells):
    series = pl.Series(cells, dtype=pl.String)
    assert columnar._names(series).to_list() == [person_name(c) for c in cells]
    assert columnar._a_numbers(series).to_list() == [a_number(c) for c in cells]
    named = pl.DataFrame({"a_number": [None] * len(cells), "full_name": cells},
                         schema={"a_number": pl.String, "full_name": pl.String})
    keys = columnar._keys(named).to_list()
    assert keys == [f"N:{normalize_name(c)}|" for c in cells]


TEXT = st.lists(st.sampled_from(["a", "b", ",", '"', "\n", "\r\n", "\r", " ", "é", '""']),
                max_size=40).map("".join)


ROWS = st.lists(st.lists(st.text(st.sampled_from('ab ,"\n\ré'), max_size=6), max_size=4),
                max_size=8)


@given(text=TEXT | st.tuples(ROWS, st.sampled_from(["\n", "\r\n"])).map(
    lambda rows: (lambda out: csv.writer(out, lineterminator=rows[1]).writerows(rows[0])
                  or out.getvalue())(io.StringIO())))
def test_polars_splits_as_csv_reader_or_declines(text, tmp_path_factory):
    """Random text, and rows csv.writer quoted: read as csv.reader reads them, or not at
    all (then the row path reads them)."""
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(text.encode())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    width = max(map(len, rows), default=0)
    frame = columnar.frame(path, "utf-8", csv.excel, width, len(rows[0]) if rows else 0, 0)
    if frame is None:
        return
    filled = [r + [""] * (width - len(r)) for r in rows if any(r)]
    assert [[c or "" for c in r] for r in frame.rows()] == filled


# ---------------------------------------------------------------- the whole command


@pytest.mark.parametrize("memory", ["", "12"])
def test_the_command_gives_what_the_row_path_gives(tmp_path, memory):
    """`warroom scan` as a responder runs it (a fresh process: the child reads with polars and
    builds presidio in a thread meanwhile) says what the row path says in this process; so
    does it when the file is too large to hold whole under the memory limit (12 MiB for a
    4 MB file: the row path streams it)."""
    ps = files.accented(files.roster(30_000 if memory else 3000, seed=47))
    path = files.write_csv(tmp_path / "list.csv", ps)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WARROOM_SCAN_MEMORY": memory}
    out = subprocess.run([sys.executable, "-m", "warroom", "--db", str(tmp_path / "none.db"),
                          "scan", str(path), "--json"], capture_output=True, text=True,
                         check=True, cwd=tmp_path, env=env)
    got = json.loads(out.stdout)
    slow = Scan(path, columnar=False).run()
    slow.file = str(path)
    want = slow.as_json()
    assert got.pop("seconds") >= 0 and want.pop("seconds") >= 0
    assert got == want


@given(chunks=st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\0", b"")), max_size=8),
       limit=st.integers(1, 12))
def test_a_long_line_is_found_by_jumps_as_by_splitting(chunks, limit, tmp_path_factory):
    """TextFacts finds the first line over the limit a window at a time; the lines, split,
    say the same (a small limit and 7-byte reads, so lines cross chunks)."""
    from warroom.artifact.formats import base

    data = b"\n".join(chunks)
    path = tmp_path_factory.mktemp("lines") / "t.txt"
    path.write_bytes(data)
    long = [i for i, line in enumerate(data.split(b"\n"), 1) if len(line) > limit]
    real_open = Path.open

    def small_reads(self, *args, **kwargs):
        fh = real_open(self, *args, **kwargs)
        read = fh.read
        fh.read = lambda n=-1: read(7)
        return fh

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "MAX_LINE", limit)
        patch.setattr(Path, "open", small_reads)
        found = base.TextFacts.of(path, data[:100]).long_line
    assert found == (long[0] if long else None)


def test_a_columnar_read_shows_its_progress_a_column_at_a_time(tmp_path):
    """Long work shows progress: the total as soon as polars has read the rows, then each
    stage, never backwards, ending at every row."""
    path = files.write_csv(tmp_path / "r.csv", files.roster(500, seed=77))
    seen: list[tuple[int, int | None]] = []
    scan = Scan(path, progress=lambda done, total: seen.append((done, total)))
    result = scan.run()
    assert result.records == 500 and scan.read_columnar == 1
    rows = result.rows                          # the people and the file's trailer rows
    assert rows >= 500 and seen[0] == (0, rows) and seen[-1] == (rows, rows)
    assert len({done for done, _ in seen}) >= 4           # 0, stages, every row
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert all(total == rows for _, total in seen)
