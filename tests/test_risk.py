"""Issue 11: a claim for protection on the record (asylum, withholding, the torture
convention, a credible- or reasonable-fear interview) marks the person protected by
8 CFR 208.6 and high-risk, whatever their nationality."""

from __future__ import annotations

import csv
import json

import pytest

from warroom import synthetic
from warroom.artifact.risk import (
    claim_flags,
    column_rule,
    credible_fear_flags,
    header_rule,
    reasonable_fear_flags,
)
from warroom.artifact.scan import scan_file
from warroom.artifact.service import acquire_and_scan
from warroom.checklists import people
from warroom.checklists.filters import PeopleFilter
from warroom.journal.verify import verify

import files


@pytest.mark.parametrize("value, flags", [
    ("Asylum Pending", {"asylum"}), ("asylum DENIED", {"asylum"}), ("I-589 filed", {"asylum"}),
    ("Form I 589", {"asylum"}), ("Asilo", {"asylum"}),
    ("Withholding of Removal Granted", {"withholding"}), ("CAT Deferral", {"cat"}),
    ("Convention Against Torture", {"cat"}),
    ("Asylum / Withholding / CAT", {"asylum", "withholding", "cat"}),
    ("Credible Fear – Negative", {"credible_fear"}), ("RFI scheduled", {"reasonable_fear"}),
    ("Reasonable fear found", {"reasonable_fear"}), ("Refugee", {"refugee"}),
    ("Final Order", set()), ("Released", set()), ("Pending", set()), ("Removed", set()),
    ("Not Applicable", set()), ("None", set()), ("N/A", set()), ("No asylum claim", set()),
    ("", set()), ("Catalog", set()), ("Category B", set()),
])
def test_claim_values(value, flags):
    assert claim_flags(value) == flags


@pytest.mark.parametrize("value, flags", [
    ("Positive", {"credible_fear"}), ("Negative", {"credible_fear"}),
    ("Pending", {"credible_fear"}), ("Referred for asylum", {"credible_fear", "asylum"}),
    ("Not Applicable", set()), ("None", set()), ("N/A", set()), ("No", set()), ("", set()),
    ("Unknown", set()),
])
def test_fear_interview_values(value, flags):
    assert credible_fear_flags(value) == flags
    expected = {"reasonable_fear" if f == "credible_fear" else f for f in flags}
    assert reasonable_fear_flags(value) == expected


@pytest.mark.parametrize("header, rule", [
    ("Fear Interview Result", credible_fear_flags), ("CFI", credible_fear_flags),
    ("Credible Fear", credible_fear_flags), ("RFI Outcome", reasonable_fear_flags),
    ("Reasonable Fear Decision", reasonable_fear_flags), ("Case Status", claim_flags),
    ("Relief Sought", claim_flags), ("Application", claim_flags), ("Claim", claim_flags),
    ("Form I-589", claim_flags), ("Name", None), ("Facility", None), ("Book-In Date", None),
])
def test_headers(header, rule):
    assert header_rule(header) is rule


def test_a_column_is_known_by_its_values_when_its_header_says_nothing():
    values = ["Final Order", "Asylum Pending", "Released"] * 20
    assert column_rule("Code 7", values) is claim_flags
    assert column_rule("Code 7", ["Final Order", "Released"] * 30) is None
    # prose is no categorical column: a note that names asylum names no claim of this person
    notes = [f"Call {i} about the asylum office visit hours and the parking rules, again"
             for i in range(80)]
    assert column_rule("Notes", notes) is None


def _flags_by_number(journal) -> dict[str, tuple[list[str], bool]]:
    return {r["a_number"]: (json.loads(r["risk_flags"]), bool(r["high_risk"]))
            for r in people.rows(journal.conn, PeopleFilter())}


def _expected(ps) -> dict[str, tuple[list[str], bool]]:
    return {p.a_number: (sorted(files.expected_flags(p)), bool(files.expected_flags(p))
                         or files.SHORT[p.nationality] in files.HIGH_RISK) for p in ps}


def test_the_workbook_columns_mark_exactly_the_claimants(tmp_path, journal, db):
    ps = synthetic.people_with_claims(300, seed=2208)
    path = tmp_path / "claims.xlsx"
    synthetic.write_xlsx(path, ps, title="Detained population")
    expected = _expected(ps)
    protected = {n for n, (flags, _) in expected.items() if flags}
    assert 100 < len(protected) < 300          # the sample mixes claims and none
    outcome = acquire_and_scan(journal, str(path), import_people_too=True)
    assert [c for t in outcome.scan.tables for c in t.claims] == [
        "Case Status: the claims its values name",
        "Fear Interview Result: any result is a credible-fear interview"]
    assert outcome.scan.protected == len(protected)
    assert outcome.scan.high_risk == sum(high for _, high in expected.values())
    assert _flags_by_number(journal) == expected
    # every other field as the file has it
    for p in ps:
        row = people.rows(journal.conn, PeopleFilter(search=p.a_number))[0]
        assert (row["full_name"], row["birth_date"], row["nationality"], row["facility"]) == (
            p.full_name, p.birth_date.isoformat(), files.SHORT[p.nationality], p.facility)
    assert verify(db).ok
    shown = people.page(journal.conn, PeopleFilter(high_risk=True), limit=-1)
    assert {s["id"] for s in shown if "protected_208_6" in s["risk_flags"]} == {
        s["id"] for s in shown if s["risk_flags"]}


def test_other_headers_in_a_csv(tmp_path, journal):
    ps = synthetic.people_with_claims(120, seed=31)
    path = files.write_claims_csv(tmp_path / "claims.csv", ps)
    result = scan_file(path)
    assert result.protected == sum(1 for p in ps if files.expected_flags(p))
    acquire_and_scan(journal, str(path), import_people_too=True)
    assert _flags_by_number(journal) == _expected(ps)


def test_no_claim_column_no_flags(tmp_path, journal):
    ps = files.roster(80, seed=32)
    path = files.write_xlsx(tmp_path / "plain.xlsx", ps)      # a 'Case Status' of no claims
    outcome = acquire_and_scan(journal, str(path), import_people_too=True)
    assert outcome.scan.protected == 0
    assert _flags_by_number(journal) == {
        p.a_number: ([], files.SHORT[p.nationality] in files.HIGH_RISK) for p in ps}


def test_a_fear_column_of_not_applicable_marks_no_one(tmp_path):
    ps = files.roster(30, seed=33)
    path = tmp_path / "na.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "A-Number", "Fear Interview Result", "Case Status"])
        for i, p in enumerate(ps):
            w.writerow([p.full_name, p.a_number, ["Not Applicable", "None", "N/A", ""][i % 4],
                        ["Final Order", "Released", "Pending"][i % 3]])
    result = scan_file(path)
    assert result.records == 30 and result.protected == 0


def test_a_claim_on_a_repeated_record_reaches_the_roster(tmp_path, journal):
    """The same person twice (same identity), the claim only on the second row: counted
    once, and the roster has the claim (no conflict: one identity)."""
    ps = files.roster(3, seed=34)
    path = tmp_path / "twice.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "A-Number", "Case Status"])
        for p in ps:
            w.writerow([p.full_name, p.a_number, "Pending"])
        w.writerow([ps[1].full_name, ps[1].a_number, "Asylum Pending"])
    outcome = acquire_and_scan(journal, str(path), import_people_too=True)
    assert outcome.scan.records == 3 and outcome.scan.conflicting == 0
    assert _flags_by_number(journal) == {
        ps[0].a_number: ([], False), ps[1].a_number: (["asylum", "protected_208_6"], True),
        ps[2].a_number: ([], False)}
