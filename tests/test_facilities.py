"""One spelling per facility: the agency's list built from its workbook, the matcher (variants
to the canonical name, look-alikes kept apart, unknown kept as written), and the scan: every
person's facility, `facilities` in `scan --json`."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from clirun import invoke, one_json, one_line

from warroom.artifact import facilities as F
from warroom.artifact.facilities import Facilities, facilities
from warroom.artifact.facilities_build import build, tsv
from warroom.artifact.scan import Scan, ScanResult, scan_file
from warroom.errors import WarroomError
from warroom.paths import data_dir
from warroom.synthetic import FACILITIES, misspell, people

from conftest import real_data

# facilities of the agency's list written as a roster might (abbreviations, case,
# punctuation, blanks, typos), each with the one spelling it must become
WRITTEN = {
    "Adams Co. Det. Ctr": "ADAMS COUNTY DET CENTER",
    "ADAMS COUNTY DETENTION CENTER": "ADAMS COUNTY DET CENTER",
    "adams  county   detention  centre": "ADAMS COUNTY DET CENTER",
    "Stewart Det Ctr": "STEWART DETENTION CENTER",
    "STEWART DETENTOIN CENTER": "STEWART DETENTION CENTER",
    "Stewart Detention Center.": "STEWART DETENTION CENTER",
    "Otay Mesa Detention Center": "OTAY MESA DETENTION CENTER (SAN DIEGO CDF)",
    "San Diego CDF": "OTAY MESA DETENTION CENTER (SAN DIEGO CDF)",
    "Northwest Det. Ctr.": "TACOMA ICE PROCESSING CENTER (NORTHWEST DET CTR)",
    "Batavia SPC": "BUFFALO (BATAVIA) SERVICE PROCESSING CENTER",
    "El Paso SPC": "EL PASO SERVICE PROCESSING CENTER",
    "El Paso Servcie Processing Ctr": "EL PASO SERVICE PROCESSING CENTER",
    "Adelanto Processing Center": "ADELANTO ICE PROCESSING CENTER",
    "adelanto ipc": "ADELANTO ICE PROCESSING CENTER",
    "St. Clair Co. Jail": "SAINT CLAIR COUNTY JAIL",
    "Baker County Sheriffs Office": "BAKER COUNTY SHERIFF'S OFFICE",
    "Johnson County Correctional Center": "JOHNSON COUNTY CORRECTIONS CENTER",
    "Holiday Inn Express and Suites": "HOLIDAY INN EXPRESS & SUITES",
    "Pulaksi County Jail": "PULASKI COUNTY JAIL",
    "Essex Co. Corr. Fac.": "ESSEX COUNTY CORRECTIONAL FACILITY",
    "Denver CDF": "DENVER CONTRACT DETENTION FACILITY",
    "Denver CDF II": "DENVER CONTRACT DETENTION FACILITY (CDF) II",
    "Joe Corley Processing Center": "JOE CORLEY PROCESSING CTR",
    "Department of Corrections Hagatna": "DEPARTMENT OF CORRECTIONS HAGATNA",
    "alder creek proc. ctr": "Alder Creek Processing Center",        # the demo's own list
}
# real pairs from the agency's list that differ by little: each keeps its own name
LOOK_ALIKES = [
    ("CLINTON COUNTY JAIL", "CLINTON COUNTY CORRECTIONAL FACILITY"),
    ("LA PALMA CORRECTIONAL CENTER", "LA PALMA CORRECTION CENTER - APSO"),
    ("DENVER CONTRACT DETENTION FACILITY", "DENVER CONTRACT DETENTION FACILITY (CDF) II"),
    ("FOLKSTON MAIN IPC", "ANNEX - FOLKSTON IPC"),
    ("HOLIDAY INN EXPRESS & SUITES", "HOLIDAY INN EXPRESS & SUITES EL PASO"),
    ("RIO GRANDE DETENTION CENTER", "RIO GRANDE COUNTY JAIL"),
    ("FLORENCE SERVICE PROCESSING CENTER", "FLORENCE STAGING FACILITY"),
    ("SOUTH TEXAS ICE PROCESSING CENTER", "SOUTH TEXAS FAMILY RESIDENTIAL CENTER"),
    ("POLK COUNTY JAIL", "PIKE COUNTY CORRECTIONAL FACILITY"),
    ("WORCESTER COUNTY JAIL", "DORCHESTER COUNTY DETENTION CENTER"),
    ("LINN COUNTY JAIL", "CLINTON COUNTY JAIL"),
    ("CLAY COUNTY JAIL", "CLINTON COUNTY JAIL"),
]
# not in the list, but one place or one kind away from a facility that is
NOT_KNOWN = ["PIKE COUNTY JAIL", "Lynn County Jail", "DORCHESTER COUNTY JAIL",
             "Clinton County Detention Center", "Polk County Correctional Facility",
             "Folkston IPC", "Denver Contract Detention Facility III", "Paris City Jail",
             "Clark County Jail", "Boone County Detention Center"]


@pytest.fixture
def fresh():
    """The process-wide list read anew (the environment may name another file)."""
    facilities.cache_clear()
    yield
    facilities.cache_clear()


def agency() -> list[str]:
    return [line.split("\t")[0] for line in
            (data_dir() / "facilities.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def test_the_agency_list_is_known_with_the_demo_list():
    known = Facilities.load()
    names = agency()
    assert len(names) == 142 and "STEWART DETENTION CENTER" in names
    assert set(names) | set(FACILITIES) == set(known.names)
    for name in [*names, *FACILITIES]:
        assert known.match(name) == name
        assert known.match(f"  {name.lower()} ") == name


@pytest.mark.parametrize(("written", "canonical"), WRITTEN.items())
def test_a_spelling_gives_the_canonical_name(written, canonical):
    assert Facilities.load().match(written) == canonical


def test_every_listed_facility_through_many_spellings():
    known, rng = Facilities.load(), random.Random(7)
    for name in known.names:
        for _ in range(8):
            written = misspell(name, rng)
            assert known.match(written) == name, written


@pytest.mark.parametrize("pair", LOOK_ALIKES, ids=lambda p: " / ".join(p))
def test_look_alikes_stay_apart(pair):
    known, rng = Facilities.load(), random.Random(3)
    for name in pair:
        assert known.match(name) == name
        for _ in range(20):
            written = misspell(name, rng)
            assert known.match(written) == name, written


def test_county_jails_of_different_counties_are_never_merged():
    """Every 'X COUNTY JAIL' of the list with a typo in X stays X's, never Y's."""
    known = Facilities.load()
    jails = [n for n in known.names if n.endswith(" COUNTY JAIL")]
    assert len(jails) > 30
    for name in jails:
        place = name.removesuffix(" COUNTY JAIL")
        for i in range(1, len(place)):               # each letter dropped in turn
            written = f"{place[:i]}{place[i + 1:]} County Jail"
            assert known.match(written) in (name, written), written


@pytest.mark.parametrize("written", NOT_KNOWN)
def test_a_facility_not_known_is_kept_as_written(written):
    assert Facilities.load().match(f" {written.replace(' ', '   ')}\t") == written


def test_blank_and_long_cells():
    known = Facilities.load()
    assert known.match("") is None and known.match(" \t ") is None
    long = "JAIL " * 100
    assert known.match(long) == long.strip()


def test_each_distinct_cell_is_worked_out_once(monkeypatch):
    known = Facilities.load()
    calls = []
    normalize = F.normalize
    monkeypatch.setattr(F, "normalize", lambda text: calls.append(text) or normalize(text))
    for _ in range(50):
        for written in WRITTEN:
            known.match(written)
    assert len(calls) == len(WRITTEN)


def test_a_responders_own_list(tmp_path, monkeypatch, fresh):
    own = tmp_path / "ours.txt"
    own.write_text("# our incident\nHarbor View Hold Room\tPORTLAND\tME\n", encoding="utf-8")
    monkeypatch.setenv(F.ENV, str(own))
    known = facilities()
    assert known.match("harbor view hold rm") == "Harbor View Hold Room"
    assert known.match("HARBOR  VIEW HOLD ROOM") == "Harbor View Hold Room"
    assert known.match("Stewart Det Ctr") == "STEWART DETENTION CENTER"
    monkeypatch.setenv(F.ENV, str(tmp_path / "missing.txt"))
    with pytest.raises(WarroomError, match="WARROOM_FACILITIES: cannot read"):
        Facilities.load()


def roster(path: Path, rows: list[list], header: list[str]) -> Path:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([header, *rows])
    else:
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(header)
        for row in rows:
            wb.active.append(row)
        wb.save(path)
    return path


def spelled_roster(tmp_path: Path, suffix: str, facility: str = "Detention Facility"
                   ) -> tuple[Path, dict[str, str]]:
    """People whose facility is written a different way on almost every row; the truth is
    each A-number's canonical facility ('' for none, the text for one not known)."""
    rng = random.Random(29)
    names = [*FACILITIES[:4], *rng.sample(agency(), 8)]
    rows, truth = [], {}
    for i, p in enumerate(people(300, seed=29)):
        if i % 25 == 0:
            written, canonical = "Harbor View Hold Room ", "Harbor View Hold Room"
        elif i % 31 == 0:
            written, canonical = "", ""
        else:
            canonical = names[i % len(names)]
            written = misspell(canonical, rng)
        rows.append([p.family_name, p.given_names, p.a_number, p.nationality, written])
        truth[p.a_number] = canonical
    header = ["Last Name", "First Name", "A-Number", "Citizenship", facility]
    return roster(tmp_path / f"spelled{suffix}", rows, header), truth


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_person_gets_the_canonical_facility(tmp_path, suffix):
    path, truth = spelled_roster(tmp_path, suffix)
    scan = Scan(path)
    got = {p["a_number"]: p.get("facility") or "" for p in scan.people()}
    assert got == truth
    assert scan.result.facilities == len({f for f in truth.values() if f}) == 13
    assert scan.result.columns["Detention Facility"] == "FACILITY"


def test_a_column_of_known_facilities_needs_no_telling_header(tmp_path):
    """'Site' says nothing; the cells are known facilities, however spelt."""
    path, truth = spelled_roster(tmp_path, ".csv", facility="Site")
    scan = Scan(path)
    assert {p["a_number"]: p.get("facility") or "" for p in scan.people()} == truth
    assert scan.result.columns["Site"] == "FACILITY"


def test_scan_json_reports_the_facilities(tmp_path):
    path, truth = spelled_roster(tmp_path, ".csv")
    r = invoke("--db", tmp_path / "none.db", "scan", path, "--json")
    assert r.exit_code == 0, r.stderr
    doc = one_json(r.stdout)
    assert doc["facilities"] == 13 and doc["records"] == len(truth)
    assert ScanResult.from_dict({k: v for k, v in doc.items() if k != "facilities"}
                                ).facilities == 0      # a result from before the field
    human = invoke("--db", tmp_path / "none.db", "scan", path)
    assert "facilities 13" in human.stdout


def test_an_unreadable_own_list_stops_the_scan_in_one_line(tmp_path, fresh):
    path, _ = spelled_roster(tmp_path, ".csv")
    r = invoke("--db", tmp_path / "none.db", "scan", path,
               env={F.ENV: str(tmp_path / "missing.txt")})
    assert r.exit_code == 1 and "WARROOM_FACILITIES" in one_line(r.stderr)


def test_the_real_workbook_builds_the_committed_list():
    workbook = real_data("FY21_detention-stats.xlsx")
    committed = (data_dir() / "facilities.tsv").read_text(encoding="utf-8")
    assert tsv(build(workbook), workbook.name) == committed


def test_the_real_workbook_still_holds_no_one():
    result = scan_file(real_data("FY21_detention-stats.xlsx"), sandbox=False)
    assert result.records == 0 and result.facilities == 0
    assert result.columns.get("Name") == "FACILITY"
