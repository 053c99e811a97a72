"""The export for the post-incident review: every format parses back with a reader of its
kind, carries the journal's head and event count (which `verify --head` confirms), and says
the window, the counts and the timeline the same way. The journal is built through the
services a responder uses; the people are made up (`files.roster`)."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from clirun import invoke, one_json

from warroom import export as exporting
from warroom.artifact.roster import import_people
from warroom.export.csvfmt import HEADER
from warroom.export.document import PII_MARKER, REDACTED_MARKER, build
from warroom.incident import add_location, location_state, open_incident, record
from warroom.journal import Journal, queries
from warroom.model import Kind, LocationKind, LocationState, to_utc_text
from warroom.model.payloads import TaskAdded, TaskChanged
from warroom.tips import add_tip

from files import roster

FORMATS = ("md", "html", "csv", "timesketch", "pdf")
EASTERN = datetime.fromisoformat("2022-11-28T00:00:00-05:00").tzinfo
ORIGIN = "https://www.agency.example/files/detention-stats.xlsx"
CDN = "https://cdn.agency.example/files/detention-stats.xlsx"
CONFIDENTIAL = "Riverside Legal Aid (a confidential test source)"
EXPORTED_AT = datetime(2022, 11, 29, 15, 0, tzinfo=EASTERN)
HOSTILE_NOTE = "<script>alert(1)</script> [click](https://evil.example/x) | cell \x1b[31m red"


def t(hh: int, mm: int, day: int = 28) -> datetime:
    return datetime(2022, 11, day, hh, mm, tzinfo=EASTERN)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    return build_case(tmp_path_factory.mktemp("export"))


def build_case(folder: Path) -> tuple[Path, list]:
    """An incident shaped like the real one: posted 09:45, downloaded, tipped 13:53, taken
    down and purged, both verified down; 20 people; a hold on one; an alarm; tasks; a
    confidential tip; hostile text in a note."""
    db = folder / "journal.db"
    people = roster(20, seed=10)
    with Journal(db, create=True, actor="web-ops") as j:
        open_incident(j, "File of detained people posted on agency site", at=t(13, 55))
        add_location(j, ORIGIN, LocationKind.ORIGIN, at=t(13, 55))
        add_location(j, CDN, LocationKind.CDN, at=t(13, 58))
        record(j, Kind.POSTED, ORIGIN, {"url": ORIGIN, "source": "access log: first 200"},
               at=t(9, 45))
        record(j, Kind.POSTED, CDN, {"url": CDN}, at=t(9, 47))
        for client, complete, bot, at in (("198.51.100.23", True, False, t(10, 11)),
                                          ("203.0.113.9", False, False, t(11, 30)),
                                          ("66.249.66.1", True, True, t(12, 2))):
            record(j, Kind.DOWNLOADED, client, {"client": client, "complete": complete,
                                                "bot": bot, "source": "access log"}, at=at)
        add_tip(j, "Advocates for Detained Families", "Your site lists people in detention;"
                f" one is {people[0].a_number}.", url=ORIGIN, discovery=True, at=t(13, 53))
        add_tip(j, CONFIDENTIAL, "Our client found her name in a copy.", confidential=True,
                at=t(15, 40))
        record(j, Kind.TAKEN_DOWN, ORIGIN, {"url": ORIGIN, "by": "web-ops"}, at=t(14, 4))
        record(j, Kind.CDN_PURGED, CDN, {"url": CDN, "by": "cdn-team"}, at=t(14, 12))
        location_state(j, ORIGIN, LocationState.VERIFIED_DOWN, at=t(14, 20),
                       kind=Kind.VERIFIED, status=404)
        location_state(j, CDN, LocationState.VERIFIED_DOWN, at=t(14, 21),
                       kind=Kind.VERIFIED, status=404)
        import_people(j, [{"a_number": p.a_number, "family_name": p.family_name,
                           "given_names": p.given_names, "full_name": p.full_name,
                           "birth_date": p.birth_date.isoformat(),
                           "nationality": p.nationality, "facility": p.facility}
                          for p in people], at=t(14, 30))
        held = "A:" + people[1].a_number[1:]
        record(j, Kind.HOLD_PLACED, held, {"person": held, "text": "hold for 30 days"},
               at=t(16, 0))
        record(j, Kind.REMOVAL_EXECUTED, held, {"person": held}, at=t(9, 0, day=29))
        record(j, Kind.NOTE, None, {"text": HOSTILE_NOTE}, at=t(17, 0), actor="=cmd|' /C calc'")
        for key, due, title in (("cisa", t(14, 53), "Report to CISA"),
                                ("brt", t(13, 53, day=29), "Convene the breach team"),
                                ("notice", t(13, 53, day=30), "Draft the notice")):
            j.record(TaskAdded(key=key, checklist="general", title=title,
                               due_at=to_utc_text(due)[0]), occurred_at=t(14, 0))
        j.record(TaskChanged(key="cisa", state="done"), occurred_at=t(14, 50))
    return db, people


def exported(db, fmt: str, *, include_pii: bool = False) -> bytes:
    out = io.BytesIO()
    with Journal(db) as j:
        exporting.render(j.conn, fmt, out, include_pii=include_pii, at=EXPORTED_AT)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def journal_facts(db) -> tuple[str, int, dict[int, str]]:
    with Journal(db) as j:
        events = queries.timeline(j.conn, 0, -1)
        return queries.head_hash(j.conn), queries.event_count(j.conn), \
            {e.id: e.hash for e in events}


# ---------------------------------------------------------------- each format reads back


def test_csv_reads_back_one_row_per_event(case):
    db, _ = case
    head, count, hashes = journal_facts(db)
    rows = list(csv.reader(io.StringIO(exported(db, "csv").decode("utf-8"), newline="")))
    assert rows[0][:3] == [REDACTED_MARKER, f"count={count}", f"head={head}"]
    assert tuple(rows[1]) == HEADER
    body = [dict(zip(HEADER, r)) for r in rows[2:]]
    assert {int(r["id"]): r["hash"] for r in body} == hashes      # every event, its own hash
    assert {r["journal_head"] for r in body} == {head}
    assert {r["journal_events"] for r in body} == {str(count)}
    assert [r["occurred_at"] for r in body] == sorted(r["occurred_at"] for r in body)
    posted = next(r for r in body if r["kind"] == "posted" and ORIGIN in r["what"])
    assert posted["occurred_local"] == "2022-11-28 09:45:00 -05:00"   # the source's clock
    assert posted["occurred_at"] == "2022-11-28T14:45:00.000+00:00"
    assert [r["kind"] for r in body if r["alarm"] == "yes"] == ["removal_executed"]


def test_timesketch_lines_import_by_its_rules(case):
    """Timesketch's `read_and_validate_jsonl`: every line one JSON object with message,
    datetime and timestamp_desc; `timestamp` in microseconds agrees with `datetime`."""
    db, _ = case
    head, count, hashes = journal_facts(db)
    data = exported(db, "timesketch")
    assert data.endswith(b"\n") and b"\n\n" not in data
    lines = [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]
    assert all(isinstance(x, dict) for x in lines)
    for x in lines:
        assert {"message", "datetime", "timestamp_desc"} <= set(x)
        assert "T" in x["datetime"]
        moment = datetime.fromisoformat(x["datetime"])
        assert moment.utcoffset() is not None
        assert x["timestamp"] == (moment - datetime(1970, 1, 1, tzinfo=moment.tzinfo)
                                  - moment.utcoffset()) // timedelta(microseconds=1)
        assert (x["journal_head"], x["journal_events"], x["personal_data"]) == \
            (head, count, "REDACTED")
    first, events = lines[0], lines[1:]
    assert first["message"].startswith(REDACTED_MARKER) and head in first["message"]
    assert {x["event_id"]: x["event_hash"] for x in events} == hashes
    assert {x["timestamp_desc"] for x in events} == {"Event occurred"}
    assert [x["kind"] for x in events if x.get("tag") == ["alarm"]] == ["removal_executed"]


def test_html_parses_with_every_section_and_the_chart(case):
    from lxml import html

    db, _ = case
    head, count, _ = journal_facts(db)
    data = exported(db, "html")
    assert data.decode("utf-8").split("\n", 1)[0] == f"<!-- {REDACTED_MARKER} -->"
    page = html.fromstring(data.decode("utf-8"))
    assert page.get_element_by_id("marker").text_content() == REDACTED_MARKER
    assert page.xpath("//meta[@name='warroom-head']/@content") == [head]
    assert page.xpath("//meta[@name='warroom-events']/@content") == [str(count)]
    assert [s.get("id") for s in page.xpath("//section")] == [
        "summary", "window", "counts", "timeline", "checklists", "tips"]
    assert len(page.xpath("//section[@id='timeline']//tbody/tr")) == count
    assert len(page.xpath("//section[@id='timeline']//tr[@class='strong']")) == 1   # the alarm
    assert len(page.xpath("//svg//rect[contains(@class, 'bar')]")) == 2
    assert not page.xpath("//script | //link | //iframe | //img | //object | //@src | //@href")


def test_markdown_renders_its_tables_and_nothing_from_outside_acts(case):
    from markdown_it import MarkdownIt

    db, _ = case
    _, count, _ = journal_facts(db)
    text = exported(db, "md").decode("utf-8")
    assert text.split("\n", 1)[0] == REDACTED_MARKER
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    from lxml import html

    page = html.fromstring(rendered)
    assert not page.xpath("//script | //a | //img")       # the note's HTML and link stay text
    tables = page.xpath("//table")
    timeline = next(t for t in tables if t.xpath("thead/tr/th[1]")[0].text_content() == "#")
    widths = {len(tr.xpath("td")) for tr in timeline.xpath("tbody/tr")}
    assert widths == {8} and len(timeline.xpath("tbody/tr")) == count   # `|` split no cell
    assert "<script>alert(1)</script> [click](https://evil.example/x) | cell" in \
        page.text_content()
    assert "\x1b" not in text and "␛\\[31m" in text


def test_pdf_text_is_the_same_document(case):
    db, _ = case
    head, count, _ = journal_facts(db)
    text = pdf_text(exported(db, "pdf"))
    assert text.startswith(REDACTED_MARKER.split(" — ")[0])
    assert head in text.replace("\n", "") and f"{count} events" in text
    with Journal(db) as j:
        doc = build(j.conn, at=EXPORTED_AT)
    flat = " ".join(text.split())
    for line in doc.summary():                   # the same words as md and html
        assert " ".join(line.split()) in flat
    assert "discovered" in text and "12:00" in text   # the chart's labels were drawn


# ---------------------------------------------------------------- what the document says


def test_window_moments_have_sources_and_confidence(case):
    db, _ = case
    with Journal(db) as j:
        w = build(j.conn, at=EXPORTED_AT).window
    assert w.state == "CONTAINED" and w.duration == "4h 27m"          # 09:45 → 14:12
    said = {m.what.split(" (")[0]: m for m in w.moments}
    assert said["posted"].at == "2022-11-28T14:45:00.000Z"
    assert said["posted"].confidence == "high" and "access log" in said["posted"].source
    assert said["first access"].source.endswith("198.51.100.23")
    assert said["discovered"].source == "tip from Advocates for Detained Families"
    assert said["contained"].at == "2022-11-28T19:12:00.000Z"
    assert "cdn purged" in said["contained"].source and "cdn-team" in said["contained"].source
    assert said["verified down everywhere"].confidence == "high"
    assert "HTTP 404" in said["verified down everywhere"].source


def test_counts_checklists_and_tips(case):
    db, _ = case
    with Journal(db) as j:
        doc = build(j.conn, at=EXPORTED_AT)
    c = doc.counts
    assert (c["people"], c["downloaders"], c["complete"], c["partial"], c["bots"]) == \
        (20, 3, 1, 1, 1)
    assert (c["tasks"], c["tasks_done"], c["tasks_open"], c["tasks_overdue"]) == (3, 1, 2, 1)
    overdue = [x.title for x in doc.tasks if x.overdue]
    assert overdue == ["Convene the breach team"]       # due the 29th 13:53, exported at 15:00
    assert [x.source for x in doc.tips] == ["Advocates for Detained Families",
                                            "(confidential source)"]


def test_a_running_writer_does_not_split_the_snapshot(case, tmp_path):
    """The head, the count and the rows come from one read transaction: events appended
    while the snapshot is open are not in it."""
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(case[0], db)

    def append() -> None:
        with Journal(db) as writer:
            record(writer, Kind.NOTE, None, {"text": "later"})

    with Journal(db) as reader:
        with queries.snapshot(reader.conn):
            before = queries.event_count(reader.conn)
            head = queries.head_hash(reader.conn)
            writing = threading.Thread(target=append)
            writing.start()
            writing.join(30)
            assert queries.event_count(reader.conn) == before
            assert len(queries.story(reader.conn)) == before
            assert queries.head_hash(reader.conn) == head
        assert queries.event_count(reader.conn) == before + 1


# ---------------------------------------------------------------- the command line


def test_cli_head_is_confirmed_by_verify(case, tmp_path):
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(case[0], db)
    out = tmp_path / "review.csv"
    r = invoke("--db", db, "export", "--format", "csv", "-o", out, "--json")
    assert r.exit_code == 0, r.stderr
    doc = one_json(r.stdout)
    assert (out.stat().st_mode & 0o777) == 0o600
    head = doc["head"]
    assert head in out.read_text(encoding="utf-8").split("\n", 1)[0]
    assert one_json(invoke("--db", db, "verify", "--head", head, "--json").stdout)["ok"]
    with Journal(db) as j:                       # the journal goes on: the head stays in it
        record(j, Kind.NOTE, None, {"text": "after the export"})
    assert invoke("--db", db, "verify", "--head", head).exit_code == 0
    forged = head[:-1] + ("0" if head[-1] != "0" else "1")
    assert invoke("--db", db, "verify", "--head", forged).exit_code == 1


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "timesketch"])
def test_cli_writes_to_stdout(case, fmt):
    r = invoke("--db", case[0], "export", "--format", fmt)
    assert r.exit_code == 0, r.stderr
    assert REDACTED_MARKER in r.stdout_bytes.decode("utf-8").split("\n", 1)[0]


def test_cli_pdf_needs_a_file_and_says_pii_on_stderr(case, tmp_path):
    r = invoke("--db", case[0], "export", "--format", "pdf")
    assert r.exit_code == 2 and "-o FILE" in r.stderr
    r = invoke("--db", case[0], "export", "--format", "pdf", "-o", tmp_path / "r.pdf",
               "--include-pii", "--why", "review board copy")
    assert r.exit_code == 0, r.stderr
    assert "CONTAINS PERSONAL DATA" in r.stderr and "CONTAINS PERSONAL DATA" in r.stdout
    assert pdf_text((tmp_path / "r.pdf").read_bytes()).startswith("CONTAINS PERSONAL DATA")
    assert invoke("--db", tmp_path / "none.db", "export", "--format", "md").exit_code == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_says_pii_on_its_first_line(case, fmt):
    data = exported(case[0], fmt, include_pii=True)
    first = pdf_text(data) if fmt == "pdf" else data.decode("utf-8").split("\n", 1)[0]
    first = first.removeprefix("<!-- ").removeprefix('{"message":"').removeprefix('"')
    assert first.startswith(PII_MARKER if fmt != "pdf" else "CONTAINS PERSONAL DATA —")


def test_an_export_with_personal_data_is_journaled_with_its_reason(case, tmp_path):
    db = case[0]
    with Journal(db) as j:
        before, head = queries.event_count(j.conn), queries.head_hash(j.conn)
    r = invoke("--db", db, "export", "--format", "md", "-o", tmp_path / "r.md", "--why", "x")
    assert r.exit_code == 2 and "--include-pii" in r.stderr and not (tmp_path / "r.md").exists()
    with Journal(db) as j:
        assert queries.event_count(j.conn) == before       # a refusal records nothing
    r = invoke("--db", db, "export", "--format", "md", "-o", tmp_path / "r.md", "--include-pii",
               "--why", "counsel for the review board")
    assert r.exit_code == 0, r.stderr
    with Journal(db) as j:
        last = queries.story(j.conn)[-1]
        assert queries.event_count(j.conn) == before + 1
    assert last.kind == Kind.PII_EXPORTED and last.actor == "tester"
    assert last.data == {"format": "md", "file": str(tmp_path / "r.md"), "head": head,
                         "events": before, "why": "counsel for the review board"}
    # the export holds its own record: the reveal is in the timeline it carries
    assert "counsel for the review board" in (tmp_path / "r.md").read_text()
    # the contract's `--include-pii` alone still exports, journaled with no reason, said so
    r = invoke("--db", db, "export", "--format", "csv", "--include-pii")
    assert r.exit_code == 0 and "without a reason" in r.stderr
    with Journal(db) as j:
        last = queries.story(j.conn)[-1]
    assert last.data.get("file") is None and last.data.get("why") is None
    # a redacted export records nothing
    assert invoke("--db", db, "export", "--format", "md", "-o", tmp_path / "s.md").exit_code == 0
    with Journal(db) as j:
        assert queries.event_count(j.conn) == before + 2
