"""Issue 11: settling an ambiguous date order (`--date-order`) re-reads the birth dates an
earlier import of the same file took the other way round: corrected in the roster, never
taken for another identity; a real second identity stays one (verify rebuilds it all)."""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from clirun import invoke, one_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_dates import truth, with_births

from warroom.artifact.roster import import_people
from warroom.artifact.scan import Scan
from warroom.journal import Journal, queries
from warroom.journal.identity_projections import swapped
from warroom.journal.verify import verify
from warroom.model.payloads import ArtifactAcquired
from warroom.render.text import summary

import files


def _import(db, path, *order: str) -> dict:
    r = invoke("--db", db, "scan", path, "--import", "--json", *(
        ("--date-order", order[0]) if order else ()))
    assert r.exit_code == 0, r.stderr
    return one_json(r.stdout)["imported"]


def _roster(db) -> tuple[dict[str, str], dict[str, list], set[str]]:
    """Birth date by A-number; each person's identities' birth dates; who is flagged."""
    with Journal(db) as journal:
        conn = journal.conn
        rows = [dict(zip(("id", "a_number", "birth_date", "risk_flags"), r)) for r in
                conn.execute("SELECT id, a_number, birth_date, risk_flags FROM people")]
        births = {p["a_number"]: p["birth_date"] for p in rows}
        ids = {p["a_number"]: [i["birth_date"] for i in queries.identities(conn, p["id"])]
               for p in rows}
        flagged = {p["a_number"] for p in rows
                   if "identity_conflict" in json.loads(p["risk_flags"] or "[]")}
    return births, {k: v for k, v in ids.items() if v}, flagged


def _mdy_reading(ps) -> dict[str, str]:
    """What a month-first reading of a day-first file gives."""
    return {p.a_number: date(p.birth_date.year, p.birth_date.day,
                             p.birth_date.month).isoformat() for p in ps}


def test_settling_the_order_corrects_the_earlier_import_of_the_same_file(tmp_path):
    db = tmp_path / "j.db"
    assert invoke("--db", db, "init", "--name", "t").exit_code == 0
    ps = with_births(files.roster(80, seed=91), seed=4, max_day=12)
    differ = {p.a_number for p in ps if p.birth_date.day != p.birth_date.month}
    path = files.write_csv(tmp_path / "eu.csv", ps, dates="%d/%m/%Y")

    first = _import(db, path)                   # ambiguous: read month-first, and flagged
    assert first["added"] == 80 and first["conflicts"] == 0 and not first["corrected"]
    assert _roster(db)[0] == _mdy_reading(ps) != truth(ps)

    settled = _import(db, path, "dmy")
    assert settled["added"] == 0 and settled["conflicts"] == 0
    assert settled["corrected"] == len(differ) > 40
    births, identities, flagged = _roster(db)
    assert births == truth(ps) and identities == {} and flagged == set()
    assert verify(db).ok

    again = _import(db, path)                   # unsettled again: the settled reading stands
    assert again["conflicts"] == 0 and not again["corrected"]
    assert _roster(db) == (truth(ps), {}, set())

    back = _import(db, path, "mdy")             # the responder changes their mind: heard
    assert back["corrected"] == len(differ) and back["conflicts"] == 0
    assert _roster(db) == (_mdy_reading(ps), {}, set())
    assert verify(db).ok
    text = invoke("--db", db, "scan", path, "--import", "--date-order", "dmy").stdout
    assert f"{len(differ)} people corrected from an earlier import of this file" in text
    with Journal(db) as journal:        # the timeline says which import settled the order
        said = [summary(e) for e in queries.timeline(journal.conn, 0, 100)
                if e.kind == "import_started"]
    assert said[0] == ("roster import began: 80 people in 1 batch; birth dates that read both"
                       " ways taken day first, as settled: those an earlier import read the"
                       " other way round are corrected")
    assert said[-1] == "roster import began: 80 people in 1 batch"


def test_a_settled_reading_undoes_the_conflicts_its_first_reading_made(tmp_path):
    db = tmp_path / "j.db"
    assert invoke("--db", db, "init", "--name", "t").exit_code == 0
    ps = with_births(files.roster(60, seed=92), seed=5, max_day=12)
    differ = {p.a_number for p in ps if p.birth_date.day != p.birth_date.month}
    iso = files.write_csv(tmp_path / "agency.csv", ps, dates="%Y-%m-%d")   # unambiguous
    eu = files.write_csv(tmp_path / "mirror.csv", ps, dates="%d/%m/%Y")

    assert _import(db, iso)["added"] == 60
    assert _import(db, eu)["conflicts"] == len(differ)     # read month-first: 2 people each
    births, identities, flagged = _roster(db)
    assert births == truth(ps) and flagged == differ == set(identities)

    settled = _import(db, eu, "dmy")
    assert settled["corrected"] == len(differ) and settled["conflicts"] == 0
    assert _roster(db) == (truth(ps), {}, set())
    assert verify(db).ok
    r = invoke("--db", db, "people", "--conflict", "--json")
    assert r.exit_code == 0 and one_json(r.stdout)["people"] == []


def test_two_rows_of_one_file_with_swapped_dates_stay_two_identities(tmp_path):
    """One A-number twice in one file, born 03/04 and 04/03: two people as far as anyone
    knows. Settling the order swaps both readings; it merges neither."""
    db = tmp_path / "j.db"
    assert invoke("--db", db, "init", "--name", "t").exit_code == 0
    ps = with_births(files.roster(30, seed=93), seed=6, max_day=12)
    twin = next(p for p in ps if p.birth_date.day != p.birth_date.month)
    path = files.write_csv(tmp_path / "eu.csv", ps, dates="%d/%m/%Y", trailer=False)
    other = date(twin.birth_date.year, twin.birth_date.day, twin.birth_date.month)
    with path.open("a", newline="") as fh:      # the same A-number, the swapped date
        csv.writer(fh).writerow([twin.family_name, twin.given_names, twin.a_number[1:],
                                 other.strftime("%d/%m/%Y"), twin.gender, twin.nationality,
                                 twin.facility, "799999999"])
    assert _import(db, path)["conflicts"] == 1
    before = _roster(db)[1][twin.a_number]
    settled = _import(db, path, "dmy")
    births, identities, flagged = _roster(db)
    assert flagged == {twin.a_number} and set(identities) == {twin.a_number}
    assert identities[twin.a_number] == [twin.birth_date.isoformat(), other.isoformat()]
    assert sorted(identities[twin.a_number]) == sorted(before)
    assert births[twin.a_number] == twin.birth_date.isoformat()
    assert settled["corrected"] == len({p.a_number for p in ps
                                        if p.birth_date.day != p.birth_date.month})
    assert verify(db).ok


def test_what_is_a_swap():
    assert swapped("1990-03-04", "1990-04-03")
    assert not swapped("1990-03-04", "1990-03-04")          # the same date
    assert not swapped("1990-03-04", "1991-04-03")          # another year
    assert not swapped("1990-03-04", "1990-04-05")
    assert not swapped(None, "1990-04-03") and not swapped("1990-03-04", "")


def test_a_journal_from_before_identities_is_rebuilt_as_it_opens(tmp_path):
    """A journal written before identities were kept merged the second identity away. The
    upgrade rebuilds its tables from its events, so its roster says what a new one would
    (and verify agrees) instead of failing verify until someone rebuilds it by hand."""
    import sqlite3

    from warroom.artifact.service import acquire_and_scan
    from warroom.journal.schema import IDENTITIES, MIGRATIONS

    db = tmp_path / "old.db"
    ps = files.roster(30, seed=114)
    copy, changed = files.other_identities(ps, every=4)
    with Journal(db, create=True) as journal:
        for name, people in (("one.csv", ps), ("two.csv", copy)):
            acquire_and_scan(journal, str(files.write_names_csv(tmp_path / name, people)),
                             import_people_too=True)
        want = journal.conn.execute("SELECT * FROM identities ORDER BY id").fetchall()
        flagged = {r[0] for r in journal.conn.execute(
            "SELECT a_number FROM people WHERE risk_flags LIKE '%identity_conflict%'")}
    assert flagged == changed and len(want) == 2 * len(changed)
    old = sqlite3.connect(db)           # what the program before IDENTITIES left behind
    old.executescript(f"""
        DROP TABLE identities;
        ALTER TABLE imports DROP COLUMN date_order;
        ALTER TABLE imports DROP COLUMN corrected;
        UPDATE people SET risk_flags = '[]';
        PRAGMA user_version = {MIGRATIONS.index(IDENTITIES)};""")
    old.close()
    with Journal(db) as journal:        # opening it upgrades it
        conn = journal.conn
        assert conn.execute("SELECT * FROM identities ORDER BY id").fetchall() == want
        assert {r[0] for r in conn.execute("SELECT a_number FROM people WHERE risk_flags"
                                           " LIKE '%identity_conflict%'")} == changed
    assert verify(db).ok


_PS = with_births(files.roster(25, seed=95), seed=8, max_day=12)


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    """One day-first file whose every date reads both ways, and its people as read with no
    order given (month-first, flagged), day-first and month-first."""
    path = files.write_csv(tmp_path_factory.mktemp("eu") / "eu.csv", _PS, dates="%d/%m/%Y")
    return path, {order: list(Scan(path, date_order=order).people())
                  for order in (None, "dmy", "mdy")}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([None, "dmy", "mdy"]), min_size=1, max_size=6))
def test_any_sequence_of_imports_leaves_the_last_settled_reading(readings, orders):
    """Imports of one file in any orders: the roster holds the last settled reading (the
    first reading when none was settled), never a conflicting identity; verify agrees."""
    path, people = readings
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "j.db"
        with Journal(db, create=True) as journal:
            sha = "f" * 64
            journal.record(ArtifactAcquired(sha256=sha, filename="eu.csv", size=1,
                                            source=str(path), path=str(path)), sha)
            want = None
            for order in orders:
                import_people(journal, people[order], artifact=sha, date_order=order, batch=7)
                if order or want is None:
                    want = {p["a_number"]: p["birth_date"] for p in people[order]}
                conn = journal.conn
                assert dict(conn.execute("SELECT a_number, birth_date FROM people")) == want
                assert conn.execute("SELECT count(*) FROM identities").fetchone()[0] == 0
        assert verify(db).ok


def test_an_order_given_for_a_file_that_proves_its_own_writes_nothing_twice(tmp_path):
    db = tmp_path / "j.db"
    assert invoke("--db", db, "init", "--name", "t").exit_code == 0
    path = files.write_csv(tmp_path / "us.csv", files.roster(40, seed=96))
    assert _import(db, path)["added"] == 40
    with Journal(db) as journal:
        before = queries.max_event_id(journal.conn)
    again = _import(db, path, "dmy")        # its values prove month-first: nothing to settle
    assert again["added"] == 0 and again["batches"] == 0 and not again["corrected"]
    with Journal(db) as journal:            # acquired and scanned again, imported once
        kinds = [e.kind for e in queries.timeline(journal.conn, 0, 10)
                 if e.id > before]
    assert "people_imported" not in kinds and "import_started" not in kinds
