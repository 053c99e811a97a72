"""The advocate lookup against the real server: one client, both the A-number and the birth
date must match, a wrong birth date indistinguishable from an absent client, every lookup
journaled (never the birth date asked), a rate limit per token, and no way to more than one
person."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import httpx
import pytest

from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.tips.lookup import lookup

from intakeserve import bearer, prepared, serving

ANSWER_KEYS = {"in_file", "notification_state", "hold_state", "receipt"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    setup = prepared(tmp_path_factory.mktemp("lookup") / "journal.db", people=12)
    with serving(setup.db, lookup_rate="100000/hour") as url:
        yield setup, url


def ask(url: str, token: str, **body) -> httpx.Response:
    return httpx.post(f"{url}/lookup", json=body, headers=bearer(token), timeout=30)


def answer(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == ANSWER_KEYS and body["receipt"] == response.headers["x-receipt"]
    return body


def test_a_client_in_the_file_is_found_when_both_fields_match(site):
    setup, url = site
    person = setup.people[3]
    number = person.a_number
    found = answer(ask(url, setup.token, a_number=f"A-{number[1:4]}-{number[4:7]}-{number[7:]}",
                       birth_date=person.birth_date.isoformat()))
    assert found["in_file"] is True and found["receipt"].startswith("L-")
    assert (found["notification_state"], found["hold_state"]) == ("pending", "none")


def test_the_answer_reads_the_roster_as_it_stands(tmp_path):
    setup = prepared(tmp_path / "journal.db", people=3)
    person = setup.people[0]
    with Journal(setup.db) as j:   # as the notify and holds services will have set them
        j.conn.execute("UPDATE people SET notify_state = 'delivered', hold_state = 'placed'"
                       " WHERE a_number = ?", (person.a_number,))
    with serving(setup.db) as url:
        found = answer(ask(url, setup.token, a_number=person.a_number,
                           birth_date=person.birth_date.isoformat()))
    assert (found["notification_state"], found["hold_state"]) == ("delivered", "placed")


def test_a_wrong_birth_date_answers_exactly_as_an_absent_client(site):
    setup, url = site
    person = setup.people[5]
    wrong = (person.birth_date + timedelta(days=1)).isoformat()
    replies = [ask(url, setup.token, a_number=person.a_number, birth_date=wrong),
               ask(url, setup.token, a_number="A100000001", birth_date=wrong)]
    mismatch, absent = (answer(r) for r in replies)
    assert mismatch.pop("receipt") != absent.pop("receipt")
    assert mismatch == absent == {"in_file": False, "notification_state": None,
                                  "hold_state": None}
    assert [r.status_code for r in replies] == [200, 200]
    assert {k for k in replies[0].headers} == {k for k in replies[1].headers}
    assert len(replies[0].content) == len(replies[1].content)
    pages = [httpx.post(f"{url}/page/lookup", data={"token": setup.token, "a_number": n,
                                                    "birth_date": wrong})
             for n in (person.a_number, "A100000001")]
    texts = [re.sub(r'name="form_key" value="[^"]*"', "KEY", p.text.replace(
        p.headers["x-receipt"], "RECEIPT")) for p in pages]
    assert texts[0] == texts[1] and "We found no client" in texts[0]


def test_every_lookup_is_journaled_without_the_birth_date_asked(tmp_path):
    setup = prepared(tmp_path / "journal.db", people=4)
    person = setup.people[1]
    wrong = "1901-02-03"
    with serving(setup.db) as url:
        for number, born in [(person.a_number, person.birth_date.isoformat()),
                             ("A100000002", wrong), (person.a_number, wrong)]:
            answer(ask(url, setup.token, a_number=number, birth_date=born))
    with Journal(setup.db) as j:
        events = list(reversed(queries.lookups(j.conn)))
        person_id = j.conn.execute("SELECT id FROM people WHERE a_number = ?",
                                   (person.a_number,)).fetchone()[0]
    assert [e.data["result"] for e in events] == ["in_file", "absent", "mismatch"]
    assert {e.data["org"] for e in events} == {"Legal Aid (fictitious)"}
    assert {e.actor for e in events} == {"intake:Legal Aid (fictitious)"}
    assert [e.data.get("person_id") for e in events] == [person_id, None, None]
    assert events[0].data["a_number"] == "A-***-***-" + person.a_number[-3:]
    for event in events:
        text = json.dumps(event.data)
        assert person.birth_date.isoformat() not in text and wrong not in text
        assert person.a_number not in text
    assert wrong.encode() not in setup.db.read_bytes()
    assert verify(setup.db).ok


def test_lookups_are_rate_limited_per_token_and_refusals_are_not_lookups(tmp_path):
    setup = prepared(tmp_path / "journal.db", people=2)
    person = setup.people[0]
    with serving(setup.db, lookup_rate="3/hour") as url:
        codes = [ask(url, setup.token, a_number=person.a_number,
                     birth_date=f"1950-01-{day:02d}").status_code for day in range(1, 7)]
        limited = ask(url, setup.token, a_number=person.a_number,
                      birth_date=person.birth_date.isoformat())
    assert codes == [200, 200, 200, 429, 429, 429]
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert set(limited.json()) == {"error", "receipt", "problems"}   # no answer in it
    with Journal(setup.db) as j:
        assert len(queries.lookups(j.conn)) == 3


@pytest.mark.parametrize("body", [
    [{"a_number": "A100000001", "birth_date": "1990-01-01"}],
    {"a_number": ["A100000001", "A100000002"], "birth_date": "1990-01-01"},
    {"a_numbers": ["A100000001"], "birth_date": "1990-01-01"},
    {"a_number": "A100000001", "birth_date": "1990-01-01", "limit": 100},
    {"a_number": "A12345", "birth_date": "1990-01-01"},
    {"a_number": "A1000000*", "birth_date": "1990-01-01"},
    {"a_number": "A100000001", "birth_date": "1990"},
    {"a_number": "A100000001", "birth_date": "1990-02-30"},
    {"a_number": "A100000001"},
    {"prefix": "5e884"},
], ids=["list", "many-numbers", "numbers-field", "limit", "partial", "wildcard", "year",
        "no-such-day", "no-birth-date", "hash-prefix"])
def test_no_request_answers_for_more_than_one_person(site, body):
    setup, url = site
    before = _lookups(setup.db)
    response = httpx.post(f"{url}/lookup", json=body, headers=bearer(setup.token))
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"error", "receipt", "problems"}
    assert _lookups(setup.db) == before


def test_there_is_no_other_way_in(site):
    setup, url = site
    doc = httpx.get(f"{url}/openapi.json").json()
    assert set(doc["paths"]) == {"/health", "/tips", "/lookup"}
    assert set(doc["paths"]["/lookup"]) == {"post"}
    assert httpx.get(f"{url}/lookup", headers=bearer(setup.token)).status_code == 405
    for path in ("/lookup/A100000001", "/people", "/range/5e8", "/lookup?prefix=5e8"):
        assert httpx.get(f"{url}{path}", headers=bearer(setup.token)).status_code in (404, 405)
    assert answer(ask(url, setup.token, a_number=setup.people[0].a_number,
                      birth_date=setup.people[0].birth_date.isoformat()))["in_file"]


def test_a_client_on_file_without_a_birth_date_cannot_be_confirmed(journal, db):
    from warroom.artifact.roster import import_people
    from warroom.incident import open_incident

    open_incident(journal, "no birth dates")
    import_people(journal, [{"a_number": "A200000001", "full_name": "DOE, JANE"}])
    said = lookup(journal, "Org", "t1", "A200000001", "1990-01-01")
    assert not said.in_file and said.notification_state is None
    assert queries.lookups(journal.conn)[0].data["result"] == "unverifiable"


def test_a_malformed_question_is_refused_the_same_whoever_it_names(journal):
    from warroom.artifact.roster import import_people
    from warroom.incident import open_incident

    open_incident(journal, "malformed")
    import_people(journal, [{"a_number": "A200000001", "full_name": "DOE, JANE",
                             "birth_date": "1990-01-01"}])
    messages = []
    for number in ("A200000001", "A200000002"):
        with pytest.raises(WarroomError) as refused:
            lookup(journal, "Org", "t1", number, "1990-13-01")
        messages.append(str(refused.value))
    assert messages[0] == messages[1] == "the birth date is a date, YYYY-MM-DD"
    assert queries.lookups(journal.conn) == []


def _lookups(db) -> int:
    with Journal(db) as j:
        return len(queries.lookups(j.conn))
