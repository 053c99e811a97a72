"""The roster on the command line: filters, redaction, a reveal journaled first, bulk actions
that state their count and ask, the consular refusal with exit 2, downloader contact, and
two responders writing the same people at once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from clirun import installed, invoke, one_json, one_line
from test_checklists import opened
from test_cli_readonly import read_only

from warroom.checklists import contact
from warroom.checklists.filters import DownloaderFilter
from warroom.errors import RefusedAction
from warroom.incident import record
from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.model import ContactState, Kind


@pytest.fixture
def filled(db):
    with Journal(db, create=True) as j:
        fake = opened(j, n=40, seed=5)
    return db, fake


def people_json(db, *args) -> dict:
    result = invoke("people", *args, "--json", "--db", db)
    assert result.exit_code == 0, result.stderr
    return one_json(result.stdout)


def test_people_json_is_the_contract_and_redacted(filled):
    db, fake = filled
    doc = people_json(db)
    assert doc["count"] == 40 and [p["id"] for p in doc["people"]] == list(range(1, 41))
    first = doc["people"][0]
    assert set(first) >= {"id", "a_number", "family_name", "given_names", "birth_date",
                          "nationality", "facility", "high_risk", "notification", "hold"}
    assert first["notification"]["state"] == "pending" and first["hold"]["state"] == "none"
    assert first["a_number"] == "A-***-***-" + fake[0].a_number[-3:]
    assert first["birth_date"] == f"{fake[0].birth_date.year}-**-**"
    assert first["family_name"] == "".join(w[0] + "." for w in fake[0].family_name.split())
    text = invoke("people", "--json", "--db", db).stdout + invoke("people", "--db", db).stdout
    for p in fake:                       # no full name, A-number or birth date anywhere
        assert p.a_number not in text and p.a_number[1:] not in text
        assert p.family_name not in text and str(p.birth_date) not in text


def test_filters_select_and_count(filled):
    db, fake = filled
    facility = fake[0].facility
    by_facility = people_json(db, "--facility", facility.split()[0].lower())
    assert by_facility["count"] == sum(p.facility == facility for p in fake)
    assert {p["facility"] for p in by_facility["people"]} == {facility}
    risky = people_json(db, "--high-risk")
    assert risky["count"] == sum(p.nationality in ("IRAN", "RUSSIA", "CHINA, PEOPLES REPUBLIC OF")
                                 for p in fake) > 0
    found = people_json(db, "--search", fake[7].a_number[1:])      # an A-number: exact
    assert [p["id"] for p in found["people"]] == [8]
    assert people_json(db, "--search", fake[7].full_name.split(",")[0])["count"] >= 1
    nation = people_json(db, "--nationality", "mexico")
    assert nation["count"] == sum(p.nationality == "MEXICO" for p in fake)
    with Journal(db) as j:
        facets = queries.roster_facets(j.conn)
    assert sum(n for _, n in facets["facility"]) == sum(n for _, n in facets["nationality"]) == 40
    assert (facility, by_facility["count"]) in facets["facility"]
    page = people_json(db, "--limit", "5", "--offset", "10")
    assert page["count"] == 40 and [p["id"] for p in page["people"]] == [11, 12, 13, 14, 15]


def test_reveal_needs_a_reason_and_is_journaled_first(filled):
    db, fake = filled
    no_why = invoke("people", "3", "--reveal", "--db", db)
    assert no_why.exit_code == 2 and "--why" in no_why.stderr
    shown = people_json(db, "3", "--reveal", "--why", "counsel asked for the notice copy")
    person = shown["people"][0]
    assert (person["a_number"], person["redacted"]) == (fake[2].a_number, False)
    assert person["birth_date"] == str(fake[2].birth_date)
    with Journal(db) as j:
        reveals = [e for e in queries.timeline(j.conn, 0, -1) if e.kind == Kind.PERSON_REVEALED]
    assert len(reveals) == 1
    assert (reveals[0].actor, reveals[0].data["why"]) == ("tester",
                                                          "counsel asked for the notice copy")
    assert reveals[0].data["person"] == "A:" + fake[2].a_number[1:]


def test_revealing_many_asks_and_a_no_reveals_nothing(filled):
    db, _ = filled
    declined = invoke("people", "--facility", "a", "--reveal", "--why", "audit", "--db", db)
    assert declined.exit_code == 1 and "reveal" in declined.stderr
    with Journal(db) as j:
        assert queries.counts(j.conn)["events"] == _events(db)
        assert not [e for e in queries.timeline(j.conn, 0, -1) if e.kind == Kind.PERSON_REVEALED]
    yes = people_json(db, "1", "2", "--reveal", "--why", "audit", "--yes")
    assert len(yes["people"]) == 2 and not yes["people"][0]["redacted"]


def test_a_read_only_journal_never_reveals(filled):
    db, _ = filled
    with read_only(db):
        assert people_json(db, "1")["people"][0]["redacted"]
        refused = invoke("people", "1", "--reveal", "--why", "x", "--db", db)
        assert refused.exit_code == 1 and "read-only" in one_line(refused.stderr)
        assert refused.stdout == ""


def _events(db) -> int:
    with Journal(db) as j:
        return queries.event_count(j.conn)


def test_a_consular_channel_is_refused_with_exit_2_and_one_line(filled):
    db, _ = filled
    before = _events(db)
    for args in (["--channel", "consulate"], ["--channel", "Embassy of Honduras"],
                 ["--channel", "counsel", "--counsel", "Consulado de Guatemala"]):
        result = invoke("notify", "1", "--state", "delivered", *args, "--db", db)
        assert result.exit_code == 2
        line = one_line(result.stderr)
        assert line.startswith("warroom: refused:") and "never a notification channel" in line
    assert _events(db) == before


def test_a_refused_move_exits_2_with_its_reason(filled):
    db, _ = filled
    assert invoke("notify", "4", "--state", "delivered", "--channel", "mail", "--db",
                  db).exit_code == 0
    back = invoke("notify", "4", "--state", "pending", "--db", db)
    assert back.exit_code == 2 and "delivered → pending goes backwards" in one_line(back.stderr)
    fixed = invoke("notify", "4", "--state", "pending", "--correct", "wrong envelope",
                   "--json", "--db", db)
    assert fixed.exit_code == 0 and one_json(fixed.stdout)["changed"] == 1


def test_a_bulk_action_over_filters_states_its_count_and_asks(filled):
    db, fake = filled
    facility = fake[0].facility
    n = sum(p.facility == facility for p in fake)
    before = _events(db)
    declined = invoke("hold", "--facility", facility, "--state", "placed", "--db", db)
    assert declined.exit_code == 1
    assert f"hold → placed: {n:,} of {n:,} selected" in declined.stderr
    assert _events(db) == before
    from click.testing import CliRunner

    from warroom.cli import cli

    agreed = CliRunner().invoke(cli, ["hold", "--facility", facility, "--state", "placed",
                                      "--json", "--db", str(db)], input="y\n")
    assert agreed.exit_code == 0, agreed.stderr
    doc = json.loads(agreed.stdout)
    assert (doc["changed"], doc["events"]) == (n, n)
    assert _events(db) == before + n
    placed = people_json(db, "--hold", "placed")
    assert placed["count"] == n and {p["hold"]["placed_by"] for p in placed["people"]} == \
        {"tester"}


def test_a_bulk_action_needs_ids_filters_or_all(filled):
    db, _ = filled
    nobody = invoke("hold", "--state", "placed", "--db", db)
    assert nobody.exit_code == 2 and "--all" in nobody.stderr
    everyone = invoke("hold", "--all", "--state", "requested", "--yes", "--json", "--db", db)
    assert one_json(everyone.stdout)["changed"] == 40


def test_downloader_contact_on_the_command_line(filled):
    db, _ = filled
    with Journal(db) as j:
        record(j, Kind.DOWNLOADED, "198.51.100.23", {"client": "198.51.100.23",
                                                     "complete": True})
        record(j, Kind.DOWNLOADED, "66.249.66.1", {"client": "66.249.66.1", "bot": True})
    steps = [["--state", "attributed", "--organisation", "Example Research Lab"],
             ["--state", "clawback_sent", "--contact", "legal@research.example"],
             ["--state", "no_response"], ["--state", "chased"],
             ["--state", "deletion_attested", "--note", "signed attestation received"]]
    for args in steps:
        result = invoke("downloader", "198.51.100.23", *args, "--db", db)
        assert result.exit_code == 0, result.stderr
    listed = one_json(invoke("downloader", "--json", "--db", db).stdout)
    person = next(d for d in listed["downloaders"] if d["client"] == "198.51.100.23")
    assert person["contact_state"] == "deletion_attested" and person["attested_at"]
    assert person["organisation"] == "Example Research Lab" and person["touched_by"] == "tester"
    assert person["clawback_at"] and person["chased_at"]
    bot = invoke("downloader", "66.249.66.1", "--state", "attributed", "--organisation", "G",
                 "--db", db)
    assert bot.exit_code == 2 and "crawler" in one_line(bot.stderr)
    back = invoke("downloader", "198.51.100.23", "--state", "attributed", "--db", db)
    assert back.exit_code == 2 and "goes backwards" in back.stderr
    assert verify(db).ok


def test_contact_moves_refused_in_the_service(filled):
    db, _ = filled
    with Journal(db) as j:
        record(j, Kind.DOWNLOADED, "203.0.113.9", {"client": "203.0.113.9"})
        flt = DownloaderFilter(clients=("203.0.113.9",))
        for state, reason in ((ContactState.CLAWBACK_SENT, "attribute the address first"),
                              (ContactState.ATTRIBUTED, "--organisation")):
            with pytest.raises(RefusedAction, match=reason):
                contact.contact(j, flt, contact.ContactChange(state=state))
        contact.contact(j, flt, contact.ContactChange(state=ContactState.LEGAL_PROCESS))
        contact.contact(j, flt, contact.ContactChange(state=ContactState.ATTRIBUTED,
                                                      organisation="A subscriber"))
        assert queries.contact_rows(j.conn, clients=["203.0.113.9"])[0]["contact_state"] == \
            "attributed"


WORKER = """
import sys
from warroom.checklists import notify
from warroom.checklists.filters import PeopleFilter
from warroom.journal import Journal
actor, mode, db = sys.argv[1], sys.argv[2], sys.argv[3]
with Journal(db, actor=actor) as j:
    for pid in range(1, 41):
        change = (notify.NotifyChange(language="es") if mode == "language"
                  else notify.NotifyChange(state="prepared"))
        notify.notify(j, PeopleFilter(ids=(pid,)), change)
"""


def test_two_responders_on_the_same_people_both_land_in_order(filled):
    db, _ = filled
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, actor, mode, str(db)],
                              stderr=subprocess.PIPE, text=True)
             for actor, mode in (("alice", "language"), ("bob", "state"))]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    doc = people_json(db)
    assert {(p["notification"]["state"], p["notification"]["language"])
            for p in doc["people"]} == {("prepared", "es")}
    with Journal(db) as j:
        moves = [e for e in queries.timeline(j.conn, 0, -1) if e.kind == Kind.NOTIFY_STATE]
    assert sorted(e.actor for e in moves) == ["alice"] * 40 + ["bob"] * 40
    state: dict[str, str] = {}
    for e in sorted(moves, key=lambda e: e.id):     # each decided from the state it found
        assert e.data["was"] == state.get(e.data["person"], "pending")
        state[e.data["person"]] = e.data["state"]
    assert {e.data["was"] for e in moves if e.actor == "bob"} == {"pending"}
    assert verify(db).ok


def test_the_installed_command_exits_2_on_a_consular_channel(filled):
    db, _ = filled
    done = installed("notify", "2", "--state", "delivered", "--channel", "home government",
                     "--db", db)
    assert done.returncode == 2 and done.stdout == ""
    assert "never a notification channel" in one_line(done.stderr)
