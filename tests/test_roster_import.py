"""Bulk import: batches, dedupe, and verify rebuilding the roster."""

from __future__ import annotations

from warroom.artifact.roster import import_people
from warroom.journal.verify import verify


def test_batches_dedupe_by_a_number_then_name_and_birth(journal, db):
    people = [
        {"a_number": "A900000001", "full_name": "ZORA, MELI", "nationality": "China",
         "high_risk": True},
        {"a_number": "a-900-000-001", "full_name": "ZORA, MELI", "facility": "Alder Creek"},
        {"full_name": "Kaveth, Runo", "birth_date": "1990-02-03"},
        {"full_name": "KAVETH,  RUNO", "birth_date": "1990-02-03"},
        {"full_name": "KAVETH, RUNO", "birth_date": "1991-02-03"},
    ]
    result = import_people(journal, people, batch=2)
    assert result.batches == 3 and result.people == 5 and result.added == 3
    row = journal.conn.execute(
        "SELECT a_number, nationality, facility, high_risk, sources FROM people"
        " WHERE person_key = 'A:900000001'").fetchone()
    assert row == ("A900000001", "China", "Alder Creek", 1, 2)
    assert verify(db).ok


def test_reimport_adds_no_one(journal, db):
    people = [{"a_number": f"A9{i:08d}", "full_name": f"P{i}, Q"} for i in range(50)]
    assert import_people(journal, people, batch=7).added == 50
    assert import_people(journal, people, batch=7).added == 0
    report = verify(db)
    assert report.ok and report.tables["people"] == 50
