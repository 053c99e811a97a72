"""Tips: recorded exactly once, their URLs masked and A-numbers looked up, triaged by the state
machine, offered as locations; and the `warroom tip` commands over a real journal."""

from __future__ import annotations

import json
import re
import threading

import pytest
from clirun import invoke, one_json, one_line
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from warroom.artifact.roster import import_people
from warroom.errors import WarroomError
from warroom.incident import open_incident
from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.model import TipState, mask_url
from warroom.tips import TipConflict, TipDraft, add_locations, add_tip, submit
from warroom.tips.schema import TipFields
from warroom.tips.submit import (
    A_NUMBER_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
    check,
    clean_a_number,
    clean_urls,
)
from warroom.tips.triage import allowed, triage

from conftest import at
from files import roster

PEOPLE = roster(5, seed=7)


@pytest.fixture
def incident(journal):
    open_incident(journal, "tips test")
    import_people(journal, [{"a_number": p.a_number, "full_name": p.full_name,
                             "birth_date": p.birth_date.isoformat()} for p in PEOPLE])
    return journal


def test_a_tip_is_recorded_with_its_urls_masked_and_a_numbers_looked_up(incident, db):
    inside = PEOPLE[0].a_number
    spaced = f"A# {inside[1:4]} {inside[4:7]} {inside[7:]}"
    receipt = add_tip(incident, " Advocates ", "her name is in it; copy at"
                      " https://u:pw@mirror.example/f.csv?token=SEKRIT",
                      url="https://mirror.example/f.csv?sig=XYZ", a_numbers=[spaced, "A-111222333"],
                      contact="+1 555 0100", channel="phone", at=at("2022-11-28T13:53:00-05:00"))
    tip = queries.tip(incident.conn, receipt.tip_id)
    assert tip["source"] == "Advocates" and tip["channel"] == "phone"
    assert tip["a_numbers"] == [inside, "A111222333"]
    assert tip["in_roster"] == receipt.in_roster == [inside]
    assert tip["person_id"] is not None
    assert tip["urls"] == ["https://mirror.example/f.csv?sig=***"]
    assert "SEKRIT" not in tip["text"] and "pw@" not in tip["text"]
    assert tip["received_at"] == "2022-11-28T18:53:00.000Z" and tip["state"] == TipState.NEW
    assert receipt.receipt == tip["uid"] and receipt.receipt.startswith("T-")
    assert receipt.offers == ["https://mirror.example/f.csv?sig=***"]
    assert b"SEKRIT" not in db.read_bytes() and b"XYZ" not in db.read_bytes()
    assert verify(db).ok


@pytest.mark.parametrize("fields, said", [
    ({"source": " ", "text": "x"}, "a tip needs a source"),
    ({"source": "A", "text": "  "}, "a tip needs a text"),
    ({"source": "A", "text": "x", "a_numbers": ("12345",)}, "not an A-number"),
    ({"source": "A", "text": "x", "a_numbers": ("B123456789",)}, "not an A-number"),
    ({"source": "A", "text": "x", "a_numbers": ("A12345678X",)}, "not an A-number"),
    ({"source": "A", "text": "x", "urls": ("ftp://h/f",)}, "not an http(s) URL"),
    ({"source": "A", "text": "x", "urls": ("https://h/a b",)}, "not an http(s) URL"),
    ({"source": "A", "text": "x", "channel": "consulate"}, "unknown channel"),
    ({"source": "A", "text": "x" * 20_001}, "longer than 20,000"),
    ({"source": "A", "text": "x", "urls": tuple(f"https://h/{i}" for i in range(21))},
     "at most 20 URLs"),
])
def test_a_tip_that_does_not_hold_is_refused_and_nothing_is_written(incident, fields, said):
    before = queries.event_count(incident.conn)
    with pytest.raises(WarroomError, match=said.replace("(", r"\(").replace(")", r"\)")):
        submit(incident, TipDraft(**fields))
    assert queries.event_count(incident.conn) == before


def test_the_same_key_is_the_same_tip_and_a_different_tip_under_it_is_refused(incident):
    draft = TipDraft(source="Advocates", text="copy on a forum", key="k-1", org="Advocates")
    first = submit(incident, draft)
    again = submit(incident, draft)
    assert (again.receipt, again.tip_id, again.duplicate) == (first.receipt, first.tip_id, True)
    assert first.event is not None and again.event is None
    other_org = submit(incident, TipDraft(source="Others", text="copy on a forum", key="k-1",
                                          org="Others"))
    assert other_org.receipt != first.receipt and not other_org.duplicate
    with pytest.raises(TipConflict, match="used before for a different tip"):
        submit(incident, TipDraft(source="Advocates", text="another text", key="k-1",
                                  org="Advocates"))
    assert queries.counts(incident.conn)["tips"] == 2


def test_many_writers_with_one_key_record_one_tip(db, journal):
    open_incident(journal, "race")
    draft = TipDraft(source="Advocates", text="the same tip, sent by eight threads", key="race")
    results, errors = [], []

    def send():
        try:
            with Journal(db) as mine:
                results.append(submit(mine, draft))
        except Exception as exc:   # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.receipt for r in results}) == 1
    assert sum(not r.duplicate for r in results) == 1
    assert journal.conn.execute("SELECT count(*) FROM events WHERE kind = 'tip_received'"
                                ).fetchone()[0] == 1
    assert verify(db).ok


def test_triage_follows_the_state_machine(incident, db):
    tip = add_tip(incident, "Advocates", "a copy on a mirror")
    with pytest.raises(WarroomError, match="can go to verified or dismissed, not actioned"):
        triage(incident, tip.tip_id, "actioned")
    with pytest.raises(WarroomError, match="needs a reason"):
        triage(incident, tip.tip_id, "dismissed")
    with pytest.raises(WarroomError, match="unknown tip state"):
        triage(incident, tip.tip_id, "closed")
    with pytest.raises(WarroomError, match="no tip 99"):
        triage(incident, 99, "verified")
    moved = triage(incident, tip.receipt, "dismissed", reason="  not our file ", handled_by="rn")
    assert (moved.previous, moved.tip["state"], moved.tip["reason"], moved.tip["handled_by"]) \
        == ("new", "dismissed", "not our file", "rn")
    triage(incident, tip.tip_id, "verified")   # reopened on new evidence
    done = triage(incident, str(tip.tip_id), "actioned")
    assert done.tip["state"] == "actioned" and done.tip["triages"] == 3
    assert allowed("actioned") == []
    with pytest.raises(WarroomError, match="can go to no other state"):
        triage(incident, tip.tip_id, "verified")
    assert verify(db).ok


def test_two_responders_triaging_at_once_cannot_both_win(incident, db, monkeypatch):
    """Responder B read the tip as new; responder A verified it before B's write: B's
    dismissal, decided on a stale state, is refused instead of overwriting A's."""
    import warroom.tips.triage as module

    tip = add_tip(incident, "Advocates", "a copy on a mirror")
    stale = queries.tip(incident.conn, tip.tip_id)
    triage(incident, tip.tip_id, "verified")
    real, reads = queries.tip, []

    def first_read_stale(conn, ref):
        reads.append(ref)
        return stale if len(reads) == 1 else real(conn, ref)

    monkeypatch.setattr(module.queries, "tip", first_read_stale)
    with Journal(db) as other, pytest.raises(WarroomError, match="was just moved to verified"):
        triage(other, tip.tip_id, "dismissed", reason="dup")
    monkeypatch.undo()
    assert queries.tip(incident.conn, tip.tip_id)["state"] == "verified"
    assert verify(db).ok


def test_a_tips_urls_are_offered_and_added_as_locations_once(incident, db):
    tip = add_tip(incident, "Advocates", "two copies", urls=["https://a.example/f.csv",
                                                             "https://b.example/g.xlsx?key=K"])
    assert len(tip.offers) == 2
    added = add_locations(incident, tip.tip_id, ["https://b.example/g.xlsx?key=K"])
    assert [e.subject for e in added] == ["https://b.example/g.xlsx?key=***"]
    assert add_locations(incident, tip.receipt) and add_locations(incident, tip.tip_id) == []
    rows = queries.locations(incident.conn)
    assert {r["url"] for r in rows} == {"https://a.example/f.csv", "https://b.example/g.xlsx?key=***"}
    assert all(r["note"] == f"from tip {tip.receipt}" for r in rows)
    with pytest.raises(WarroomError, match="does not name"):
        add_locations(incident, tip.tip_id, ["https://elsewhere.example/"])
    assert verify(db).ok


# ---------------------------------------------------------------- the commands


def _init(db):
    assert invoke("--db", db, "init", "--name", "cli tips").exit_code == 0


def test_tip_add_list_and_triage_from_the_command_line(db):
    _init(db)
    added = invoke("--db", db, "tip", "add", "--source", "Advocates", "--text",
                   "copy at https://h.example/f?token=T0K", "--url", "https://h.example/f",
                   "--a-number", "A123456789", "--contact", "a@adv.example", "--channel",
                   "email", "--no-add-locations", "--json")
    assert added.exit_code == 0, added.output
    doc = one_json(added.stdout)
    assert doc["id"] == 1 and doc["receipt"].startswith("T-") and not doc["duplicate"]
    assert doc["offers"] == ["https://h.example/f"] and doc["locations_added"] == []
    secret = invoke("--db", db, "tip", "add", "--source", "Quiet Group", "--text", "a client",
                    "--confidential", "--contact", "555", "--json")
    assert secret.exit_code == 0
    listed = one_json(invoke("--db", db, "tip", "list", "--json").stdout)
    assert listed["count"] == 2
    first, second = sorted(listed["tips"], key=lambda t: t["id"])
    assert first["a_numbers"] == ["A-***-***-789"] and first["channel"] == "email"
    assert "T0K" not in json.dumps(listed)
    assert second["source"] == "(confidential)" and second["contact"] is None
    shown = one_json(invoke("--db", db, "tip", "list", "--show-confidential", "--json").stdout)
    assert {t["source"] for t in shown["tips"]} == {"Advocates", "Quiet Group"}
    moved = invoke("--db", db, "tip", "triage", doc["receipt"], "--state", "verified", "--json")
    assert one_json(moved.stdout)["previous"] == "new"
    refused = invoke("--db", db, "tip", "triage", "1", "--state", "new")
    assert refused.exit_code == 1
    assert one_line(refused.stderr).startswith("warroom: error: tip 1 is verified")
    only = one_json(invoke("--db", db, "tip", "list", "--state", "verified", "--json").stdout)
    assert [t["id"] for t in only["tips"]] == [1]
    human = invoke("--db", db, "tip", "list")
    assert "Advocates" in human.stdout and "1 (0 in roster)" in human.stdout


def test_tip_add_adds_its_urls_as_locations_when_asked(db):
    _init(db)
    done = invoke("--db", db, "tip", "add", "--source", "A", "--text", "see link", "--url",
                  "https://m.example/x", "--add-locations", "--json")
    assert one_json(done.stdout)["locations_added"] == ["https://m.example/x"]
    with Journal(db) as j:
        assert [r["url"] for r in queries.locations(j.conn)] == ["https://m.example/x"]


def test_a_tip_text_with_terminal_controls_is_shown_not_obeyed(db):
    _init(db)
    invoke("--db", db, "tip", "add", "--source", "Evil\x1b[2J", "--text", "hi\x1b]8;;x\x07")
    out = invoke("--db", db, "tip", "list").stdout
    assert "\x1b" not in out and "␛" in out


# ---------------------------------------------------------------- the schema and the service


@given(st.from_regex(A_NUMBER_PATTERN, fullmatch=True))
def test_every_a_number_the_schema_admits_the_service_reads(value):
    TipFields(text="x", a_numbers=[value])
    number = clean_a_number(value)
    assert number[0] == "A" and len(number) == 10 and number[1:].isdigit()
    assert number[-8:] == "".join(c for c in value if c.isdigit())[-8:]


@given(st.from_regex(URL_PATTERN, fullmatch=True).filter(lambda u: len(u) <= 2000))
def test_every_url_the_schema_admits_the_service_keeps(value):
    TipFields(text="x", urls=[value])
    assert clean_urls([value]) == [mask_url(value)]


def test_the_schema_refuses_as_empty_a_text_exactly_when_the_service_would():
    # Every code point: a space of any kind by Python's measure is what TEXT_PATTERN excludes.
    spaces = {c for c in map(chr, range(0x110000)) if c.isspace()}
    pattern = re.compile(TEXT_PATTERN)
    assert {c for c in map(chr, range(0x110000)) if not pattern.fullmatch(c)} == spaces
    for text in ["\r", " \t\u3000\x1c", "".join(sorted(spaces))]:   # pydantic's engine too
        with pytest.raises(ValidationError):
            TipFields(text=text)
        with pytest.raises(WarroomError, match="needs a text"):
            check(TipDraft(source="test", text=text))
    for text in ["\ufeff", " a ", "\u200b"]:
        assert TipFields(text=text).text == text
        assert check(TipDraft(source="test", text=text)).text == text.strip()
