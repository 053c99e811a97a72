"""Takedown requests: the state machine (allowed and refused moves), closing on verified
down, and drafts that name the URL and the evidence hash and nobody in the file."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from warroom.artifact.acquire import acquire
from warroom.artifact.roster import import_people
from warroom.errors import WarroomError
from warroom.exposure import locations, probe, takedown
from warroom.exposure.content import numbers_in
from warroom.incident import location_state, open_incident
from warroom.journal import queries
from warroom.journal.verify import verify
from warroom.model import Kind, LocationKind, LocationState
from warroom.model.kinds import TakedownState, TakedownVia

import files
from httpserve import Served

ORIGIN = "https://www.agency.example/sites/default/files/detention-stats.xlsx"
CDN = "https://cdn.agency.example/files/detention-stats.xlsx?v=3"
ARCHIVE = "https://web.archive.org/web/20221128100000/" + ORIGIN
T0 = datetime(2022, 11, 28, 15, 0, tzinfo=UTC)


@pytest.fixture
def case(tmp_path, journal, db):
    people = files.roster(150, seed=77)
    open_incident(journal, "Detained-population file posted by mistake")
    got = acquire(journal, str(files.write_xlsx(tmp_path / "l.xlsx", people)))
    import_people(journal, [{"a_number": p.a_number, "family_name": p.family_name,
                             "given_names": p.given_names, "nationality": p.nationality,
                             "birth_date": p.birth_date.isoformat()} for p in people],
                  artifact=got.sha256)
    locations.add(journal, ORIGIN)
    return journal, db, got.sha256, people


def request_row(journal, url=ORIGIN, via=TakedownVia.SITE) -> dict:
    return [r for r in queries.takedowns(journal.conn, url) if r["via"] == via][-1]


def test_a_request_moves_from_requested_to_done_and_says_who_and_when(case):
    journal, db, _, _ = case
    takedown.request(journal, ORIGIN, "site", ref="INC-0042", at=T0)
    row = request_row(journal)
    assert (row["state"], row["requested_by"], row["ref"]) == ("requested", "tester", "INC-0042")
    assert row["requested_at"] == "2022-11-28T15:00:00.000Z"
    assert locations.list_locations(journal.conn)[0]["takedown"] == TakedownState.REQUESTED
    takedown.set_state(journal, ORIGIN, "acknowledged", by="web-ops", at=T0 + timedelta(hours=1))
    takedown.set_state(journal, ORIGIN, "done", at=T0 + timedelta(hours=2))
    row = request_row(journal)
    assert (row["state"], row["updated_by"], row["closed_by"]) == ("done", "tester", "tester")
    assert row["closed_at"] == "2022-11-28T17:00:00.000Z"
    listed = locations.list_locations(journal.conn)[0]
    assert listed["takedown"] is None and listed["takedowns"][0]["state"] == "done"
    kinds = [r[0] for r in journal.conn.execute("SELECT kind FROM events WHERE subject = ?"
                                                " ORDER BY id", (ORIGIN,))]
    assert kinds == [Kind.LOCATION_ADDED, Kind.TAKEDOWN_REQUESTED, Kind.TAKEDOWN_STATE,
                     Kind.TAKEDOWN_STATE]
    assert verify(db).ok


def test_moves_that_make_no_sense_are_refused(case):
    journal, db, _, _ = case
    refused = [
        (lambda: takedown.set_state(journal, ORIGIN, "done"), "nothing was requested"),
        (lambda: takedown.request(journal, ORIGIN, "fax"), "no way to ask"),
        (lambda: takedown.request(journal, "https://elsewhere.example/f", "site"),
         "no location"),
    ]
    for move, said in refused:
        with pytest.raises(WarroomError, match=said):
            move()
    takedown.request(journal, ORIGIN, "site")
    for move, said in [
        (lambda: takedown.request(journal, ORIGIN, "site"), "already"),
        (lambda: takedown.set_state(journal, ORIGIN, "requested"), "by asking"),
        (lambda: takedown.set_state(journal, ORIGIN, "refused"), "reason"),
        (lambda: takedown.set_state(journal, ORIGIN, "gone"), "no takedown state"),
    ]:
        with pytest.raises(WarroomError, match=said):
            move()
    takedown.set_state(journal, ORIGIN, "refused", reason="not our file, they say")
    assert request_row(journal)["reason"] == "not our file, they say"
    with pytest.raises(WarroomError, match="is refused: it cannot become done"):
        takedown.set_state(journal, ORIGIN, "done")
    takedown.request(journal, ORIGIN, "site", ref="second ask")       # ask again: allowed
    takedown.set_state(journal, ORIGIN, "done")
    with pytest.raises(WarroomError, match="is done: it cannot become acknowledged"):
        takedown.set_state(journal, ORIGIN, "acknowledged")
    takedown.request(journal, ORIGIN, "site")
    takedown.request(journal, ORIGIN, "search-engine")
    with pytest.raises(WarroomError, match="say which with --via"):
        takedown.set_state(journal, ORIGIN, "acknowledged")
    takedown.set_state(journal, ORIGIN, "acknowledged", via="search-engine")
    assert request_row(journal, via=TakedownVia.SEARCH_ENGINE)["state"] == "acknowledged"
    assert [r["state"] for r in queries.takedowns(journal.conn, ORIGIN)] == [
        "refused", "done", "requested", "acknowledged"]
    assert verify(db).ok


def test_verified_down_closes_the_open_requests(case):
    journal, db, _, _ = case
    locations.add(journal, CDN, LocationKind.CDN)
    takedown.request(journal, ORIGIN, "host")
    takedown.set_state(journal, ORIGIN, "refused", reason="wrong desk")
    takedown.request(journal, ORIGIN, "site")
    takedown.request(journal, ORIGIN, "search-engine")
    takedown.set_state(journal, ORIGIN, "acknowledged", via="search-engine")
    takedown.request(journal, CDN, "cdn-purge")
    with Served() as site:
        site.routes["/stats.xlsx"] = (404, {}, b"")
        url = locations.add(journal, site.url("/stats.xlsx")).data["url"]
        takedown.request(journal, url, "site")
        for minutes in (0, 1):
            probe.probe_all(db, at=T0 + timedelta(minutes=minutes), urls=[url], confirm=2,
                            over=timedelta(0))
    assert request_row(journal, url)["state"] == "done"
    assert request_row(journal, url)["closed_by"].startswith("verified_down (event ")
    location_state(journal, ORIGIN, LocationState.VERIFIED_DOWN)      # said by a responder
    states = {r["via"]: r["state"] for r in queries.takedowns(journal.conn, ORIGIN)}
    assert states == {"host": "refused", "site": "done", "search-engine": "done"}
    assert request_row(journal, CDN, TakedownVia.CDN_PURGE)["state"] == "requested"
    assert verify(db).ok


def _words(text: str) -> str:
    return " ".join(re.findall(r"[A-Z0-9]+", text.upper()))


@pytest.mark.parametrize("url, kind, via, says", [
    (ORIGIN, LocationKind.ORIGIN, None, "To the web team of www.agency.example"),
    (CDN, LocationKind.CDN, None, 'Path: /files/detention-stats.xlsx'),
    (ORIGIN, LocationKind.ORIGIN, "search-engine", "remove-outdated-content"),
    (ARCHIVE, LocationKind.ARCHIVE, None, f"every capture of:\n\n    {ORIGIN}"),
    ("https://files.mirror.example/d/8f2c/stats.xlsx", LocationKind.MIRROR, None,
     "To the abuse desk of files.mirror.example"),
])
def test_drafts_name_the_url_and_the_hash_and_no_one_in_the_file(case, url, kind, via, says):
    journal, db, sha, people = case
    if url != ORIGIN:
        locations.add(journal, url, kind)
    takedown.request(journal, url, via or takedown.VIA_FOR[kind], ref="REF-77")
    text = takedown.draft(journal, url, via)
    assert says in text and url in text and sha in text and "REF-77" in text
    assert "$" not in text.replace('"$url"', "")            # every placeholder filled
    words = _words(text)
    for p in people:
        for said in (p.a_number[1:], p.birth_date.isoformat()):
            assert said not in text
        for name in (f"{p.family_name} {p.given_names}", f"{p.given_names} {p.family_name}"):
            assert _words(name) not in words
        assert not re.search(rf"\b{re.escape(p.nationality)}\b", text.upper())
    assert not queries.known_a_numbers(journal.conn, numbers_in(text))
    assert takedown.draft(journal.conn, url, via) == text          # a connection will do
    assert verify(db).ok


def test_a_draft_that_would_carry_an_exposed_a_number_is_refused(case):
    journal, _, _, people = case
    leaky = f"https://mirror.example/{people[3].a_number}.xlsx"
    locations.add(journal, leaky, LocationKind.MIRROR)
    with pytest.raises(WarroomError, match="write this request by hand"):
        takedown.draft(journal, leaky)
