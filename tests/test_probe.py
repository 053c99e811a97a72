"""Probes against real HTTP servers on 127.0.0.1: the file is there or not by its content,
the confirmation rule on an injected clock, the caps on what is read, the alarm when the file
comes back, the Wayback lookup against a stub. Every scenario ends with a clean `verify`."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warroom.artifact.acquire import acquire
from warroom.artifact.roster import import_people
from warroom.errors import WarroomError
from warroom.exposure import locations, probe
from warroom.exposure.content import Targets
from warroom.exposure.wayback import add_archives
from warroom.incident import location_state, open_incident, record
from warroom.journal import queries
from warroom.journal.projections import StaleDecision
from warroom.journal.verify import verify
from warroom.model import Kind, LocationKind, LocationState
from warroom.model.kinds import Match, Verdict
from warroom.model.payloads import LocationChecked

import files
from httpserve import Reply, Served

T0 = datetime(2022, 11, 28, 14, 0, tzinfo=UTC)
QUICK = {"confirm": 2, "over": timedelta(0)}
LIVE, DOWN, VERIFIED = LocationState.LIVE, LocationState.DOWN, LocationState.VERIFIED_DOWN


@dataclass
class Case:
    journal: object
    db: Path
    sheet: bytes
    sha256: str
    people: list
    tmp: Path

    def csv(self, people, name="copy.csv") -> bytes:
        return files.write_csv(self.tmp / name, people).read_bytes()


def roster_rows(people) -> list[dict]:
    return [{"a_number": p.a_number, "full_name": p.full_name, "nationality": p.nationality,
             "birth_date": p.birth_date.isoformat()} for p in people]


@pytest.fixture
def case(tmp_path, db, journal) -> Case:
    """An incident with the leaked spreadsheet as evidence and its 400 people in the roster."""
    people = files.roster(400, seed=41)
    sheet = files.write_xlsx(tmp_path / "list.xlsx", people)
    open_incident(journal, "Probe test")
    got = acquire(journal, str(sheet))
    import_people(journal, roster_rows(people), artifact=got.sha256)
    return Case(journal, db, sheet.read_bytes(), got.sha256, people, tmp_path)


def checks(journal, url: str) -> list[dict]:
    return [e.data for e in reversed(queries.location_checks(journal.conn, url))]


def kinds(journal) -> list[str]:
    return [r[0] for r in journal.conn.execute("SELECT kind FROM events ORDER BY id")]


def probe_once(case: Case, at: datetime = T0, **options) -> dict[str, probe.ProbeResult]:
    return {r.url: r for r in probe.probe_all(case.db, at=at, **options)}


def test_the_same_bytes_are_live_by_sha256(case):
    with Served() as site:
        site.routes["/stats.xlsx"] = (200, {}, case.sheet)
        url = locations.add(case.journal, site.url("/stats.xlsx")).data["url"]
        result = probe_once(case)[url]
    assert (result.was, result.state, result.changed) == ("unknown", LIVE, True)
    check = checks(case.journal, url)[-1]
    assert check["verdict"] == Verdict.FOUND and check["match"] == Match.SHA256
    assert check["sha256"] == check["artifact"] == case.sha256
    assert check["status"] == 206 and check["head"] == 200 and check["bytes"] == len(case.sheet)
    row = queries.location(case.journal.conn, url)
    assert row["state"] == LIVE and row["last_match"] == Match.SHA256 and row["checks"] == 1
    assert verify(case.db).ok


def test_a_changed_copy_is_live_by_the_share_of_its_a_numbers(case):
    few = case.people[:5]
    with Served() as site:
        site.routes["/all.csv"] = (200, {}, case.csv(case.people))           # another format
        site.routes["/part.csv"] = (200, {}, case.csv(case.people[100:200]))  # a quarter
        site.routes["/few.html"] = (200, {}, files.write_html(case.tmp / "f.html", few)
                                    .read_bytes())                           # five people
        urls = [locations.add(case.journal, site.url(p)).data["url"]
                for p in ("/all.csv", "/part.csv", "/few.html")]
        results = probe_once(case)
    everyone, part, some = (results[u] for u in urls)
    assert everyone.state == part.state == LIVE
    assert everyone.check.match == part.check.match == Match.A_NUMBERS
    # the read stops once a fifth of the evidence's A-numbers are seen: shares are floors
    assert 0.2 <= everyone.check.share <= 1.0 and 0.2 <= part.check.share <= 0.25
    assert 80 <= part.check.found <= 100 and part.check.artifact == case.sha256
    assert some.state == DOWN and some.check.match == Match.NONE
    assert some.check.found == 5 and "below the threshold" in some.check.note
    assert verify(case.db).ok


def test_a_resaved_spreadsheet_is_read_whole_in_a_child_process(case):
    resaved = files.write_xlsx(case.tmp / "resaved.xlsx", case.people[::-1]).read_bytes()
    assert resaved != case.sheet
    with Served() as site:
        site.routes["/resaved.xlsx"] = (200, {}, resaved)
        url = locations.add(case.journal, site.url("/resaved.xlsx")).data["url"]
        result = probe_once(case)[url]
    assert result.state == LIVE and result.check.match == Match.A_NUMBERS
    assert result.check.share == 1.0 and result.check.bytes == len(resaved)
    assert verify(case.db).ok


@pytest.mark.parametrize("route, said", [
    ((200, {"Content-Type": "text/html"}, b"<h1>Page not found</h1><p>Sorry.</p>"),
     "soft 404"),
    ((404, {}, b"missing"), "HTTP 404"),
    ((410, {}, b"gone"), "HTTP 410"),
])
def test_answers_without_the_file_are_down(case, route, said):
    with Served() as site:
        site.routes["/stats.xlsx"] = route
        url = locations.add(case.journal, site.url("/stats.xlsx")).data["url"]
        result = probe_once(case)[url]
    assert result.state == DOWN and result.check.verdict == Verdict.GONE
    assert said in result.check.note and result.negatives == 1
    assert verify(case.db).ok


def test_a_redirect_to_a_copy_elsewhere_is_live_with_its_chain(case):
    with Served() as origin, Served() as mirror:
        mirror.routes["/copy/stats.xlsx"] = (200, {}, case.sheet)
        origin.routes["/files/stats.xlsx"] = (302, {"Location": mirror.url("/copy/stats.xlsx")},
                                              b"")
        url = locations.add(case.journal, origin.url("/files/stats.xlsx")).data["url"]
        result = probe_once(case)[url]
        copy = mirror.url("/copy/stats.xlsx")
    assert result.state == LIVE and result.check.match == Match.SHA256
    assert result.check.redirects == (f"302 {url}",) and result.check.final_url == copy
    assert checks(case.journal, url)[-1]["redirects"] == [f"302 {url}"]
    assert result.added == [copy]            # where it led is a location of its own
    found = queries.location(case.journal.conn, copy)
    assert found["kind"] == LocationKind.MIRROR and found["state"] == LIVE
    assert verify(case.db).ok


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/stats.xlsx"


def test_no_answer_is_unsure_and_moves_nothing(case):
    with Served() as site:
        site.routes["/slow.xlsx"] = (200, {}, case.sheet)
        slow = locations.add(case.journal, site.url("/slow.xlsx")).data["url"]
        refused = locations.add(case.journal, _closed_port_url()).data["url"]
        first = probe_once(case, **QUICK)
        site.routes["/slow.xlsx"] = Reply(hold=5)
        fast = probe.Timeouts(connect=1, read=0.3, total=2)
        second = probe_once(case, at=T0 + timedelta(minutes=5), timeout=fast, **QUICK)
    assert first[slow].state == LIVE and first[refused].state == LocationState.UNKNOWN
    assert second[slow].state == LIVE and second[slow].check.verdict == Verdict.UNSURE
    assert "timed out" in second[slow].check.error
    assert second[refused].state == LocationState.UNKNOWN
    assert "cannot connect" in second[refused].check.error
    assert [c["verdict"] for c in checks(case.journal, refused)] == ["unsure", "unsure"]
    assert queries.location(case.journal.conn, refused)["negatives"] == 0
    assert verify(case.db).ok


def test_server_errors_and_a_missing_evidence_copy_are_unsure(journal, db):
    open_incident(journal, "No evidence yet")
    with Served() as site:
        site.routes["/a"] = (503, {}, b"maintenance")
        site.routes["/b"] = (200, {}, b"a,b\n1,2\n")
        a = locations.add(journal, site.url("/a")).data["url"]
        b = locations.add(journal, site.url("/b")).data["url"]
        results = {r.url: r for r in probe.probe_all(db, at=T0)}
    assert results[a].check.verdict == results[b].check.verdict == Verdict.UNSURE
    assert "acquire the file first" in results[b].check.error
    assert {r.state for r in results.values()} == {LocationState.UNKNOWN}
    assert verify(db).ok


def test_verified_down_takes_n_negatives_over_m_minutes(case):
    with Served() as site:
        site.routes["/gone.xlsx"] = (404, {}, b"")
        site.routes["/flaky.xlsx"] = (404, {}, b"")
        gone = locations.add(case.journal, site.url("/gone.xlsx")).data["url"]
        flaky = locations.add(case.journal, site.url("/flaky.xlsx")).data["url"]
        states = []
        for minutes in (0, 10, 20, 31):
            site.routes["/flaky.xlsx"] = (200, {}, case.sheet) if minutes == 10 else (404, {}, b"")
            found = probe_once(case, at=T0 + timedelta(minutes=minutes))
            states.append((found[gone].state, found[gone].negatives, found[flaky].state))
    # three negatives over 20 minutes are not enough: 30 minutes must pass, then it holds
    assert states == [(DOWN, 1, DOWN), (DOWN, 2, LIVE), (DOWN, 3, DOWN), (VERIFIED, 4, DOWN)]
    row = queries.location(case.journal.conn, gone)
    assert row["first_negative_at"] == "2022-11-28T14:00:00.000Z"
    assert row["down_since"] == row["first_negative_at"] and row["verified_at"].startswith(
        "2022-11-28T14:31")
    assert queries.location(case.journal.conn, flaky)["negatives"] == 2   # found: counted anew
    assert verify(case.db).ok


def test_the_file_back_after_verified_down_is_an_alarm(case):
    with Served() as site:
        site.routes["/stats.xlsx"] = (404, {}, b"")
        url = locations.add(case.journal, site.url("/stats.xlsx")).data["url"]
        quick = [probe_once(case, **QUICK)[url] for _ in range(2)]
        site.routes["/stats.xlsx"] = (200, {}, case.sheet)
        back = probe_once(case, at=T0 + timedelta(hours=1), **QUICK)[url]
    assert [r.state for r in quick] == [DOWN, VERIFIED] and not any(r.alarm for r in quick)
    assert (back.was, back.state, back.alarm) == (VERIFIED, LIVE, True)
    assert kinds(case.journal)[-2:] == [Kind.LOCATION_STATE, Kind.REPOST_DETECTED]
    alarm = case.journal.conn.execute("SELECT data FROM events ORDER BY id DESC").fetchone()
    check_uid = case.journal.conn.execute(
        "SELECT uid FROM events WHERE id = ?", (back.event_id,)).fetchone()[0]
    assert json.loads(alarm[0])["ref"] == check_uid and "verified down" in json.loads(alarm[0])[
        "text"]
    assert verify(case.db).ok


def test_reads_stop_at_the_cap_and_once_the_content_decides(case):
    cap = Targets([probe.Evidence(case.sha256, len(case.sheet), frozenset(), "x")]).cap
    junk = bytes(range(256)) * (12 << 10)                     # 3 MiB of something else
    others = files.roster(3000, seed=7)
    big_copy = case.csv(case.people + others, "big.csv")      # the file inside a larger one
    assert len(big_copy) > 2 * cap
    with Served() as ranged, Served(ranges=False) as plain:
        ranged.routes["/junk.bin"] = plain.routes["/junk.bin"] = (200, {}, junk)
        plain.routes["/big.csv"] = (200, {}, big_copy)
        urls = [locations.add(case.journal, u).data["url"] for u in (
            ranged.url("/junk.bin"), plain.url("/junk.bin"), plain.url("/big.csv"))]
        results = probe_once(case)
    with_range, without_range, copy = (results[u] for u in urls)
    assert ranged.requests[-1] == ("GET", "/junk.bin", f"bytes=0-{cap - 1}")
    assert ranged.sent["/junk.bin"] <= cap and with_range.check.bytes <= cap
    assert without_range.check.bytes <= cap
    assert with_range.state == without_range.state == DOWN
    assert copy.state == LIVE and copy.check.match == Match.A_NUMBERS
    assert copy.check.bytes < cap and copy.check.sha256 is None   # decided: stopped early
    assert verify(case.db).ok


def test_probes_in_flight_are_bounded(case):
    with Served() as site:
        for i in range(6):
            site.routes[f"/f{i}"] = Reply(lambda path: (404, {}, b""), hold=0.1)
            locations.add(case.journal, site.url(f"/f{i}"))
        results = probe.probe_all(case.db, at=T0, concurrency=2)
    assert len(results) == 6 and {r.state for r in results} == {DOWN}
    assert site.most_busy <= 2
    assert verify(case.db).ok


def test_watch_runs_rounds_until_all_are_verified_down(case):
    clock = [T0]
    slept = []

    async def sleep(seconds):
        slept.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    with Served() as site:
        site.routes["/stats.xlsx"] = (410, {}, b"")
        locations.add(case.journal, site.url("/stats.xlsx"))
        rounds = list(probe.watch(case.db, interval=600, sleep=sleep, clock=lambda: clock[0],
                                  rule=probe.Rule(2, timedelta(minutes=15))))
    assert [[r.state for r in results] for results in rounds] == [[DOWN], [DOWN], [VERIFIED]]
    assert slept == [600, 600]
    assert verify(case.db).ok


def test_a_check_decided_on_a_stale_read_is_refused_and_decided_again(case, monkeypatch):
    url = locations.add(case.journal, "https://agency.example/stats.xlsx").data["url"]
    location_state(case.journal, url, DOWN)                  # another responder wrote first
    stale = LocationChecked(url=url, state=DOWN, was="unknown", verdict=Verdict.GONE,
                            negatives=1, confirm=3, over=0)
    count = len(kinds(case.journal))
    with pytest.raises(StaleDecision):
        case.journal.record(stale, url)
    assert len(kinds(case.journal)) == count                 # nothing was written
    reads = iter([{"state": "unknown", "negatives": 0, "first_negative_at": None}])
    real = queries.location
    monkeypatch.setattr(probe.queries, "location", lambda conn, u: next(reads, None) or real(
        conn, u))
    result = probe.record_check(case.journal, probe.Check(url, Verdict.GONE),
                                rule=probe.Rule(2, timedelta(0)), at=T0)
    # decided again from what the journal holds: down (said by a responder), first negative
    assert (result.was, result.state, result.negatives) == (DOWN, DOWN, 1)
    assert verify(case.db).ok


def test_probes_racing_on_one_journal_count_every_negative_once(case):
    from concurrent.futures import ThreadPoolExecutor

    with Served() as site:
        urls = []
        for i in range(4):
            site.routes[f"/f{i}"] = (404, {}, b"")
            urls.append(locations.add(case.journal, site.url(f"/f{i}")).data["url"])
        with ThreadPoolExecutor(3) as pool:         # three probe processes, two rounds each
            rounds = list(pool.map(lambda n: probe.probe_all(
                case.db, at=T0 + timedelta(minutes=n // 3), actor=f"probe-{n % 3}"), range(6)))
    assert sum(len(r) for r in rounds) == 24
    for url in urls:
        row = queries.location(case.journal.conn, url)
        assert (row["checks"], row["negatives"]) == (6, 6)
        assert [c["negatives"] for c in checks(case.journal, url)] == [1, 2, 3, 4, 5, 6]
    assert verify(case.db).ok


def test_evidence_a_numbers_come_from_a_scan_when_the_roster_lacks_them(tmp_path, journal, db):
    people = files.roster(120, seed=5)
    open_incident(journal, "Not imported")
    got = acquire(journal, str(files.write_xlsx(tmp_path / "l.xlsx", people)))
    with Served() as site:
        site.routes["/copy.csv"] = (200, {}, files.write_csv(tmp_path / "c.csv", people)
                                    .read_bytes())
        url = locations.add(journal, site.url("/copy.csv")).data["url"]
        result = probe.probe_all(db, at=T0)[0]
    assert result.url == url and result.state == LIVE and result.check.share >= 0.2
    used = [json.loads(r[0]) for r in journal.conn.execute(
        "SELECT data FROM events WHERE kind = ?", (Kind.ARTIFACT_USED,))]
    assert [u["sha256"] for u in used] == [got.sha256] and "probe" in used[0]["purpose"]
    assert verify(db).ok


def test_locations_are_web_addresses_and_acquiring_records_one(case):
    for bad in ("ftp://agency.example/f.xlsx", "https://", "not a url",
                "https://agency.example/a file.xlsx", "https://agency.example:99999/f"):
        with pytest.raises(WarroomError):
            locations.add(case.journal, bad)
    mirror = "https://mirror.example/f.xlsx"
    locations.add(case.journal, mirror, LocationKind.MIRROR, note="tip from advocates")
    assert locations.record_acquired_url(case.journal, mirror) == []   # known: left alone
    added = locations.record_acquired_url(
        case.journal, "https://agency.example/f.xlsx", at=T0,
        final_url="https://cdn.example/f.xlsx")
    assert [e.data["kind"] for e in added] == [LocationKind.ORIGIN, LocationKind.MIRROR]
    assert locations.record_acquired_url(case.journal, "https://a2.example/f",
                                         final_url="https://s3.example/f?X-Amz-Signature=1") \
        and queries.location(case.journal.conn, "https://s3.example/f?X-Amz-Signature=1") is None
    listed = {x["url"]: x for x in locations.list_locations(case.journal.conn)}
    assert listed[mirror]["kind"] == LocationKind.MIRROR and listed[mirror]["state"] == "unknown"
    assert listed["https://agency.example/f.xlsx"]["state"] == LIVE
    assert set(listed[mirror]) >= {"url", "kind", "state", "last_checked_at", "last_status",
                                   "match", "share", "takedown", "takedowns"}
    assert verify(case.db).ok


def test_wayback_captures_become_archive_locations(case):
    asked = []

    def available(path: str):
        asked.append(path)
        if "stats.xlsx" in path:
            closest = {"available": True, "status": "200", "timestamp": "20221128100000",
                       "url": "http://web.archive.org/web/20221128100000/https://agency.example"
                              "/stats.xlsx"}
        elif "error-page" in path:
            closest = {"available": True, "status": "404", "timestamp": "20221128100000",
                       "url": "http://web.archive.org/web/20221128100000/https://x.example/e"}
        else:
            closest = None
        body = {"archived_snapshots": {"closest": closest} if closest else {}}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    for url in ("https://agency.example/stats.xlsx", "https://agency.example/error-page",
                "https://agency.example/never"):
        locations.add(case.journal, url)
    record(case.journal, Kind.POSTED, None, {"url": "https://agency.example/stats.xlsx"},
           at=datetime(2022, 11, 28, 9, 45, tzinfo=UTC))
    with Served() as stub:
        stub.routes["/wayback/available"] = Reply(available)
        api = stub.url("/wayback/available")
        first = add_archives(case.journal, api=api)
        again = add_archives(case.journal, api=api)
    assert [(c.url, c.added) for c in first] == [("https://agency.example/stats.xlsx", True)]
    assert [c.added for c in again] == [False]
    assert all("timestamp=20221128094500" in p for p in asked) and len(asked) == 6
    archive = queries.location(case.journal.conn, first[0].archive_url)
    assert archive["kind"] == LocationKind.ARCHIVE and archive["state"] == "unknown"
    with Served() as broken:
        with pytest.raises(WarroomError, match="HTTP 404"):
            add_archives(case.journal, api=broken.url("/nothing"))
    assert verify(case.db).ok
