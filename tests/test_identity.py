"""Issue 11: the same A-number with another name or birth date is another identity: kept,
flagged and shown redacted (scan, roster, verify), never merged silently."""

from __future__ import annotations

import json

import pytest
from clirun import invoke, one_json

from warroom.artifact.roster import import_people
from warroom.artifact.scan import ScanResult, scan_file
from warroom.artifact.service import acquire_and_scan
from warroom.checklists import people
from warroom.checklists.filters import PeopleFilter
from warroom.journal import queries
from warroom.journal.verify import verify
from warroom.model import initials, redact_a_number, redact_date
from warroom.model.identity import conflicts, name_key
from warroom.model.payloads import PeopleImported

import files


def _iso(p) -> str:
    return p.birth_date.isoformat()


def test_what_is_the_same_name_and_what_is_not():
    assert name_key("PEREZ LOPEZ, Juan") == name_key("Juan Pérez-López") == name_key(
        "juan  perez lopez")
    same, other = ("GARCIA, ANA", "1990-01-02"), ("GARCIA, ANNA", "1990-01-02")
    assert not conflicts(same, ("Ana Garcia", "1990-01-02"))
    assert not conflicts(same, ("Ana Garcia", None))       # less known is not another person
    assert not conflicts(same, (None, "1990-01-02"))
    assert conflicts(same, other)
    assert conflicts(same, ("GARCIA, ANA", "1990-01-03"))


@pytest.fixture
def one_file(tmp_path):
    """A file with 40 people, then rows repeating some A-numbers: 3 with another name, 2
    with the same name in another order and case (no conflict), 1 of them twice (another
    name again: a third identity)."""
    ps = files.roster(40, seed=111)
    renamed = [ps[2], ps[9], ps[30]]
    extra = [(p, f"{p.family_name}ER, {p.given_names}") for p in renamed]
    extra += [(ps[5], f"{ps[5].given_names.lower()} {ps[5].family_name.lower()}"),
              (ps[6], f"{ps[6].given_names} {ps[6].family_name}"),
              (ps[30], f"{ps[30].family_name}ISH, {ps[30].given_names}")]
    return files.write_names_csv(tmp_path / "dup.csv", ps, extra=extra), ps, renamed


def test_scan_reports_each_conflict_redacted_and_counts_people_once(one_file):
    path, _, renamed = one_file
    result = scan_file(path)     # in the sandbox: the result comes back as JSON
    assert result.records == 40 and result.a_numbers == 40 and result.rows == 46
    assert result.conflicting == 3
    by_number = {c["a_number"]: c for c in result.conflicts}
    assert set(by_number) == {redact_a_number(p.a_number) for p in renamed}
    for p in renamed:
        c = by_number[redact_a_number(p.a_number)]
        names = [p.full_name, f"{p.family_name}ER, {p.given_names}"]
        if p is renamed[2]:
            names.append(f"{p.family_name}ISH, {p.given_names}")
        assert c["identities"] == [{"name": initials(n), "birth_date": redact_date(_iso(p))}
                                   for n in names]
        assert c["differs"] == ["name"] and c["table"] == "dup.csv"
    text = json.dumps(result.to_dict())
    for p in renamed:    # the JSON is redacted too: no name, no full A-number, no birth date
        assert p.family_name not in text and p.a_number[1:] not in text
        assert _iso(p) not in text
    assert ScanResult.from_dict(result.to_dict()) == result


def test_scan_text_and_json_say_it(one_file, tmp_path):
    path, _, renamed = one_file
    r = invoke("--db", tmp_path / "none.db", "scan", path)
    assert r.exit_code == 0, r.stderr
    assert "conflicting identities 3" in r.stdout
    for p in renamed:
        line = next(x for x in r.stdout.splitlines() if redact_a_number(p.a_number) + ":" in x)
        assert initials(p.full_name) in line and "differs: name" in line
        assert p.family_name not in r.stdout
    doc = one_json(invoke("--db", tmp_path / "none.db", "scan", path, "--json").stdout)
    assert doc["conflicting"] == 3 and len(doc["conflicts"]) == 3


def _person(conn, number: str) -> dict:
    return people.rows(conn, PeopleFilter(search=number))[0]


def test_one_file_imported_keeps_every_identity(one_file, journal, db):
    path, ps, renamed = one_file
    outcome = acquire_and_scan(journal, str(path), import_people_too=True)
    sha = outcome.artifact.sha256
    assert outcome.imported.added == 40 and outcome.imported.conflicts == 3
    conn = journal.conn
    for p in ps:
        row = _person(conn, p.a_number)
        # the roster row is the first record, whole
        assert (row["a_number"], row["full_name"], row["birth_date"], row["nationality"],
                row["facility"]) == (p.a_number, p.full_name, _iso(p),
                                     files.SHORT[p.nationality], p.facility)
        got = queries.identities(conn, row["id"])
        flags = json.loads(row["risk_flags"])
        if p not in renamed:
            assert got == [] and "identity_conflict" not in flags
            continue
        assert "identity_conflict" in flags
        names = [p.full_name, f"{p.family_name}ER, {p.given_names}"]
        if p is renamed[2]:
            names.append(f"{p.family_name}ISH, {p.given_names}")
        assert [(i["full_name"], i["birth_date"], i["nationality"], i["facility"],
                 i["source_artifact"]) for i in got] == [
            (n, _iso(p), files.SHORT[p.nationality], p.facility, sha) for n in names]
    assert verify(db).ok
    shown = people.page(conn, PeopleFilter(conflict=True))
    assert sorted(s["id"] for s in shown) == sorted(_person(conn, p.a_number)["id"]
                                                   for p in renamed)


def test_two_copies_one_after_the_other(tmp_path, journal, db):
    ps = files.roster(60, seed=112)
    copy, changed = files.other_identities(ps)
    reordered = {p.a_number for p in ps[::5]} - changed
    first = files.write_names_csv(tmp_path / "one.csv", ps)
    second = files.write_names_csv(tmp_path / "two.csv", copy, given_first=reordered)
    one = acquire_and_scan(journal, str(first), import_people_too=True)
    assert one.imported.conflicts == 0 and one.scan.conflicting == 0
    two = acquire_and_scan(journal, str(second), import_people_too=True)
    assert two.scan.conflicting == 0          # within the second copy, no conflict
    assert two.imported.added == 0 and two.imported.conflicts == len(changed) == 9
    conn = journal.conn
    originals = {p.a_number: p for p in ps}
    for p in copy:
        o = originals[p.a_number]
        row = _person(conn, p.a_number)
        assert (row["full_name"], row["birth_date"]) == (o.full_name, _iso(o))
        got = [(i["full_name"], i["birth_date"], i["source_artifact"])
               for i in queries.identities(conn, row["id"])]
        flagged = "identity_conflict" in json.loads(row["risk_flags"])
        if p.a_number in changed:
            assert flagged and got == [(o.full_name, _iso(o), one.artifact.sha256),
                                       (p.full_name, _iso(p), two.artifact.sha256)]
            assert p.full_name != o.full_name or _iso(p) != _iso(o)
        else:
            assert not flagged and got == []
    # `warroom people --conflict --json`: exactly those, each with both identities, redacted
    doc = one_json(invoke("--db", db, "people", "--conflict", "--json").stdout)
    assert doc["count"] == len(changed)
    copies = {p.a_number: p for p in copy}
    for shown in doc["people"]:
        number = people.rows(conn, PeopleFilter(ids=(shown["id"],)))[0]["a_number"]
        assert number in changed
        o, p = originals[number], copies[number]
        assert [(i["name"], i["birth_date"], i["artifact"]) for i in shown["identities"]] == [
            (initials(o.full_name), redact_date(_iso(o)), one.artifact.sha256),
            (initials(p.full_name), redact_date(_iso(p)), two.artifact.sha256)]
        # redaction may hide the difference (same initials, same year): it is said in words
        assert [i["differs"] for i in shown["identities"]] == [
            [], [w for w, d in (("name", p.full_name != o.full_name),
                                ("birth date", _iso(p) != _iso(o))) if d]]
    # the same copy again: nothing new, nothing flagged twice
    again = acquire_and_scan(journal, str(second), import_people_too=True)
    assert again.imported.already or again.imported.conflicts == 0
    assert conn.execute("SELECT count(*) FROM identities").fetchone()[0] == 18
    report = verify(db)
    assert report.ok and report.tables["identities"] == 18


def test_verify_sees_an_identity_removed_behind_its_back(tmp_path, journal, db):
    ps = files.roster(10, seed=113)
    copy, changed = files.other_identities(ps, every=3)
    import_people(journal, [{"a_number": p.a_number, "full_name": p.full_name,
                             "birth_date": _iso(p)} for p in ps + copy])
    assert len(changed) == 3 and verify(db).ok
    journal.conn.execute("DELETE FROM identities WHERE id = 2")
    journal.conn.commit()
    assert not verify(db).ok


def test_an_event_written_before_risk_flags_still_applies(journal):
    """An old `people_imported` (no risk_flags field) still applies; a second identity in
    it is kept."""
    rows = [["A900000001", "ZORA, MELI", "1990-01-02", "China", None, True],
            ["A900000001", "KAVETH, RUNO", "1990-01-02", None, "Alder Creek", False]]
    journal.record(PeopleImported(fields=["a_number", "full_name", "birth_date",
                                          "nationality", "facility", "high_risk"],
                                  people=rows, batch=1))
    row = _person(journal.conn, "A900000001")
    assert (row["full_name"], row["nationality"], row["facility"], row["high_risk"]) == (
        "ZORA, MELI", "China", "Alder Creek", 1)
    assert json.loads(row["risk_flags"]) == ["identity_conflict"]
    assert [i["full_name"] for i in queries.identities(journal.conn, row["id"])] == [
        "ZORA, MELI", "KAVETH, RUNO"]


def test_the_check_costs_little_per_row():
    """Seen once, an A-number costs one look-up and one tuple; only a repeat compares."""
    from warroom.artifact.identity import Identities

    seen = Identities()
    for i in range(1000):
        assert seen.see(f"A9{i:08d}", "ZORA, MELI", "1990-01-02", "t") is None
    assert seen.see("A900000001", "Meli Zora", None, "t") is False
    assert seen.see("A900000001", None, "1990-01-03", "t") is True
    assert seen.see("A900000001", "ZORA, MELI", None, "t") is False   # the first again
    assert seen.count == 1 and len(seen.others["A900000001"]) == 2


def test_a_file_of_one_a_number_under_many_names_stays_cheap(tmp_path):
    """Hostile: one A-number on 3,000 rows, each another name. Ten identities are kept, the
    rest said in a note (comparing each with all would grow with the square)."""
    import csv

    path = tmp_path / "flood.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "A-Number"])
        for i in range(3000):
            w.writerow([f"ZORA{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}{chr(65 + i // 676)},"
                        " MELI", "A900000001"])
    result = scan_file(path)
    assert result.records == 1 and result.conflicting == 1
    assert len(result.conflicts[0]["identities"]) == 10
    assert any("2,990 more identities" in note for note in result.notes)


def test_a_result_without_the_new_fields_still_reads(one_file):
    """A result as an older child (or a stored summary) wrote it: no conflicts, no claims."""
    path, _, _ = one_file
    doc = scan_file(path, sandbox=False).to_dict()
    for name in ("conflicts", "conflicting", "protected"):
        del doc[name]
    for table in doc["tables"]:
        del table["claims"]
    old = ScanResult.from_dict(doc)
    assert old.records == 40 and old.conflicts == [] and old.conflicting == old.protected == 0
