"""Access-log imports on a real journal: the Downloaders table and counts filled, the same
logs imported again counted once, a larger set of the same logs superseding a smaller, other
logs adding up, and `verify` rebuilding all of it from the events."""

from __future__ import annotations

from pathlib import Path

from test_logs_rules import GOOGLEBOT, PATH, SIZE, get, line, write

from warroom.exposure.logs import analyze, import_downloaders
from warroom.exposure.logs.analysis import Downloader
from warroom.incident import open_incident
from warroom.journal import queries
from warroom.journal.verify import verify
from warroom.model import Kind


def origin_logs(folder: Path) -> tuple[Path, Path]:
    monday = write(folder, "access.log.1", [
        line("192.0.2.1", get(), at="28/Nov/2022:09:45:00 -0500"),
        line("192.0.2.2", get(), 206, 20_000, at="28/Nov/2022:10:00:00 -0500"),
        line("192.0.2.3", get(), agent=GOOGLEBOT, at="28/Nov/2022:10:30:00 -0500")])
    tuesday = write(folder, "access.log", [
        line("192.0.2.2", get(), 206, SIZE - 20_000, at="29/Nov/2022:08:00:00 -0500", xff="-"),
        line("10.0.0.9", get(), xff="203.0.113.50", at="29/Nov/2022:09:00:00 -0500")],
        packed=True)
    return monday, tuesday


def table(journal) -> dict[str, dict]:
    return {d["client"]: d for d in queries.downloaders(journal.conn, limit=1000)}


def kinds(journal) -> list[str]:
    return [e.kind for e in reversed(queries.timeline(journal.conn, limit=1000))]


def test_import_fills_the_downloaders_and_counts(journal, tmp_path):
    monday, tuesday = origin_logs(tmp_path)
    report = analyze([monday, tuesday], PATH, size=SIZE)
    done = import_downloaders(journal, report)
    assert (done.downloaders, done.posted, done.last) == (4, True, True)
    counts = queries.counts(journal.conn)
    assert (counts["downloaders"], counts["bots"], counts["complete"]) == (4, 1, 4)
    rows = table(journal)
    assert rows["192.0.2.2"]["bytes"] == SIZE and rows["192.0.2.2"]["requests"] == 2
    assert rows["192.0.2.2"]["first_seen"] == "2022-11-28T15:00:00.000Z"
    assert rows["192.0.2.2"]["last_seen"] == "2022-11-29T13:00:00.000Z"
    assert rows["192.0.2.3"]["bot"] and rows["192.0.2.3"]["user_agents"] == [GOOGLEBOT]
    assert "203.0.113.50" in rows and "10.0.0.9" not in rows
    assert queries.access_window(journal.conn) == {
        "first_access": "2022-11-28T14:45:00.000Z", "last_access": "2022-11-29T14:00:00.000Z",
        "imports": 1}
    timeline = kinds(journal)          # in the order things happened
    assert timeline[0] == Kind.POSTED and timeline[-1] == Kind.LOGS_IMPORTED
    assert sorted(timeline[1:-1]) == [Kind.DOWNLOADED] * 4 + [Kind.LAST_ACCESSED]
    assert verify(journal.path).ok


def test_the_same_logs_again_are_counted_once(journal, tmp_path):
    monday, tuesday = origin_logs(tmp_path)
    first = analyze([monday, tuesday], PATH, size=SIZE)
    import_downloaders(journal, first)
    before = table(journal)
    again = import_downloaders(journal, analyze([tuesday, monday], PATH, size=SIZE))
    assert (again.posted, again.last) == (False, False)   # the window is known already
    after = table(journal)
    assert {c: (d["bytes"], d["requests"], d["complete"]) for c, d in after.items()} == {
        c: (d["bytes"], d["requests"], d["complete"]) for c, d in before.items()}
    assert queries.counts(journal.conn)["downloaders"] == 4
    assert len(queries.log_imports(journal.conn, current=False)) == 1
    assert verify(journal.path).ok


def test_more_of_the_same_logs_supersede_fewer(journal, tmp_path):
    monday, tuesday = origin_logs(tmp_path)
    import_downloaders(journal, analyze([monday], PATH, size=SIZE))
    assert table(journal)["192.0.2.2"]["complete"] == 0
    both = import_downloaders(journal, analyze([monday, tuesday], PATH, size=SIZE))
    assert len(both.supersedes) == 1
    row = table(journal)["192.0.2.2"]
    assert (row["bytes"], row["requests"], row["complete"]) == (SIZE, 2, 1)
    assert [r["logs"] for r in queries.log_imports(journal.conn)] == [both.logs]
    assert len(queries.log_imports(journal.conn, current=False)) == 2
    assert verify(journal.path).ok


def test_other_logs_add_up(journal, tmp_path):
    monday, tuesday = origin_logs(tmp_path)
    cdn = write(tmp_path, "cdn.json", [
        f'{{"ClientIP":"192.0.2.1","ClientRequestURI":"{PATH}","EdgeResponseStatus":200,'
        f'"EdgeResponseBytes":{SIZE},"EdgeStartTimestamp":"2022-11-28T13:00:00Z"}}\n'])
    import_downloaders(journal, analyze([monday, tuesday], PATH, size=SIZE))
    import_downloaders(journal, analyze([cdn], PATH, size=SIZE))
    row = queries.downloader(journal.conn, "192.0.2.1")
    assert (row["bytes"], row["requests"], len(row["shares"])) == (2 * SIZE, 2, 2)
    assert row["first_seen"] == "2022-11-28T13:00:00.000Z"
    assert verify(journal.path).ok


def test_a_client_the_same_logs_no_longer_name_goes(journal, tmp_path):
    log = write(tmp_path, "behind.log", [line("198.51.100.77", get(), xff="203.0.113.60")])
    import_downloaders(journal, analyze([log], PATH, size=SIZE))
    assert set(table(journal)) == {"198.51.100.77"}
    # read again trusting the balancer in front: the forwarded address is the client now
    import_downloaders(journal, analyze([log], PATH, size=SIZE,
                                        trusted_proxies=["198.51.100.0/24"]))
    assert set(table(journal)) == {"203.0.113.60"}
    assert queries.counts(journal.conn)["downloaders"] == 1
    assert verify(journal.path).ok


def test_first_access_moves_the_incident_posting_earlier(journal, tmp_path):
    from datetime import datetime

    open_incident(journal, "test", at=datetime.fromisoformat("2022-11-28T19:00:00+00:00"))
    monday, tuesday = origin_logs(tmp_path)
    import_downloaders(journal, analyze([monday, tuesday], PATH, size=SIZE))
    assert queries.incident(journal.conn)["posted_at"] == "2022-11-28T14:45:00.000Z"


def test_a_downloader_entered_by_hand_still_counts(journal):
    journal.append(Kind.DOWNLOADED, "198.51.100.23",
                   {"client": "198.51.100.23", "complete": True, "source": "access log"})
    row = table(journal)["198.51.100.23"]
    assert (row["complete"], row["requests"], row["bytes"]) == (1, 1, 0)
    assert verify(journal.path).ok


def test_pages_filters_and_counts_over_many_clients_in_chunks(journal, tmp_path):
    monday, _ = origin_logs(tmp_path)
    report = analyze([monday], PATH, size=SIZE)
    report.downloaders = [Downloader(
        f"2001:db8::{i:x}", i % 3 == 0, "full" if i % 3 == 0 else None, i % 5 == 0, 100 + i,
        1, 1, f"2022-11-28T15:{i // 60 % 60:02d}:{i % 60:02d}.000Z", "2022-11-28T16:00:00.000Z",
        f"2022-11-28T15:{i // 60 % 60:02d}:{i % 60:02d}.000Z", "2022-11-28T16:00:00.000Z",
        ["Mozilla/5.0"]) for i in range(3000)]
    steps = []
    import_downloaders(journal, report, chunk=500, progress=lambda d, t: steps.append(d))
    assert steps[-1] == 3003 and len(steps) == 7
    conn = journal.conn
    assert queries.downloaders_count(conn) == 3000
    assert queries.downloaders_count(conn, complete=True) == 1000
    assert queries.downloaders_count(conn, complete=False, bot=False) == 1600
    assert queries.counts(conn)["bots"] == 600
    page = queries.downloaders(conn, offset=2990, limit=20)
    assert len(page) == 10 and page[-1]["first_seen"] >= page[0]["first_seen"]
    bots = queries.downloaders(conn, limit=5, bot=True)
    assert all(row["bot"] for row in bots)
    plan = " ".join(str(r) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM downloaders WHERE complete = 1"
        " ORDER BY first_seen, id LIMIT 10"))
    assert "downloaders_complete" in plan and "TEMP B-TREE" not in plan
    assert verify(journal.path).ok
