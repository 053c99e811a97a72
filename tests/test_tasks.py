"""Incident tasks: templates instantiated once at T0, deadlines that follow T0, overdue work,
steps that complete tasks, crawler removal tasks, and the `warroom task` commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from clirun import invoke, one_json
from test_checklists import T0, opened
from test_cli_readonly import read_only

from warroom.checklists import tasks
from warroom.checklists.filters import PeopleFilter
from warroom.checklists.people import page
from warroom.errors import WarroomError
from warroom.incident import open_incident, record
from warroom.journal import Journal
from warroom.journal.verify import verify
from warroom.model import Kind
from warroom.tips import add_tip

OPENED = T0 + timedelta(minutes=2)


def by_key(rows: list[dict]) -> dict[str, dict]:
    return {r["key"]: r for r in rows}


def test_the_templates_hold_the_procedures_deadlines():
    found = {t.key: t for t in tasks.templates().tasks}
    hours = {key: found[key].due / 3600 for key in
             ("report-cisa", "take-down-origin", "purge-cdn", "preserve-logs", "convene-brt",
              "notify-congress", "congress-report", "search-removal", "archive-removal",
              "lessons-learned", "freeze-removals", "deliver-notices")}
    assert hours == {"report-cisa": 1, "take-down-origin": 0.25, "purge-cdn": 0.5,
                     "preserve-logs": 1, "convene-brt": 24, "notify-congress": 7 * 24,
                     "congress-report": 30 * 24, "search-removal": 48, "archive-removal": 48,
                     "lessons-learned": 90 * 24, "freeze-removals": 4, "deliver-notices": 7 * 24}
    assert {t.checklist for t in found.values()} == {"general", "notify", "hold", "downloader"}
    assert found["report-cisa"].step == Kind.CISA_REPORTED and found["report-cisa"].owner
    assert tasks.hold_days() == 30


def test_template_tasks_are_added_once_due_from_the_discovery(journal):
    assert tasks.ensure_tasks(journal) == []           # no incident yet: nothing
    opened(journal, n=3)
    added = tasks.ensure_tasks(journal)
    assert len(added) == len(tasks.templates().tasks)
    assert tasks.ensure_tasks(journal) == []           # once
    rows = by_key(tasks.task_list(journal.conn, at=T0))
    assert rows["report-cisa"]["due_at"] == "2022-11-28T14:53:00.000Z"   # T0 + 1h
    assert rows["log-tip"]["state"] == "done"          # the discovery tip came before it


def test_without_a_discovery_t0_is_the_opening_and_a_later_discovery_moves_it(journal):
    open_incident(journal, "No tip yet", at=OPENED)
    tasks.ensure_tasks(journal)
    assert by_key(tasks.task_list(journal.conn))["report-cisa"]["due_at"] == \
        "2022-11-28T14:55:00.000Z"
    add_tip(journal, "Advocates (fictitious)", "the list", discovery=True, at=T0)
    assert by_key(tasks.task_list(journal.conn))["report-cisa"]["due_at"] == \
        "2022-11-28T14:53:00.000Z"


def test_overdue_is_read_at_the_moment_asked(journal):
    opened(journal, n=2)
    tasks.ensure_tasks(journal)
    early = {r["key"] for r in tasks.task_list(journal.conn, at=T0 + timedelta(minutes=20),
                                               overdue=True)}
    assert early == {"take-down-origin", "block-consular"}
    late = {r["key"] for r in tasks.task_list(journal.conn, at=T0 + timedelta(hours=2),
                                              overdue=True)}
    assert {"report-cisa", "purge-cdn", "preserve-logs"} <= late
    assert "convene-brt" not in late


def test_done_records_the_step_and_who_did_it(journal, db):
    opened(journal, n=2)
    tasks.ensure_tasks(journal)
    tasks.done(journal, "report-cisa", "ticket CISA-0001", at=T0 + timedelta(minutes=40))
    row = by_key(tasks.task_list(journal.conn, at=T0 + timedelta(hours=3)))["report-cisa"]
    assert (row["state"], row["done_by"], row["overdue"], row["note"]) == \
        ("done", "tester", False, "ticket CISA-0001")
    step = [e for e in journal.conn.execute("SELECT kind, data FROM events WHERE kind = ?",
                                            (Kind.CISA_REPORTED,))]
    assert len(step) == 1 and "CISA-0001" in step[0][1]
    with pytest.raises(WarroomError, match="done already"):
        tasks.done(journal, "report-cisa")
    with pytest.raises(WarroomError, match="no task"):
        tasks.done(journal, "no-such-task")
    assert verify(db).ok


def test_done_records_a_step_only_when_a_note_is_all_it_needs(journal):
    opened(journal, n=1)
    tasks.ensure_tasks(journal)
    kinds = [[e.kind for e in tasks.done(journal, key, "done")]
             for key in ("purge-cdn", "lessons-learned", "convene-brt")]
    assert kinds == [["task_state"], ["task_state", "closed"], ["task_state", "brt_convened"]]
    assert journal.conn.execute("SELECT closed_at FROM incidents").fetchone()[0]


def test_a_step_recorded_anywhere_completes_its_task_and_a_later_task_is_born_done(journal):
    opened(journal, n=2)
    record(journal, Kind.BRT_CONVENED, None, {"text": "first meeting"},
           at=T0 + timedelta(hours=5), actor="carol")
    tasks.ensure_tasks(journal)                       # added after the step: born done
    record(journal, Kind.CISA_REPORTED, None, {"ticket": "X-1"}, at=T0 + timedelta(minutes=50),
           actor="dave")                              # recorded after the task: completes it
    rows = by_key(tasks.task_list(journal.conn))
    assert (rows["convene-brt"]["state"], rows["convene-brt"]["done_by"]) == ("done", "carol")
    assert (rows["report-cisa"]["state"], rows["report-cisa"]["done_by"]) == ("done", "dave")
    assert rows["report-cisa"]["done_at"] == "2022-11-28T14:43:00.000Z"


def test_a_crawler_becomes_a_removal_task(journal):
    opened(journal, n=2)
    for client, agent in (("66.249.66.1", "Googlebot/2.1"),
                          ("207.241.229.1", "ia_archiver (+http://www.alexa.com/site/help)")):
        record(journal, Kind.DOWNLOADED, client, {"client": client, "bot": True,
                                                  "complete": True})
        journal.conn.execute("UPDATE downloaders SET user_agents = json_array(?)"
                             " WHERE client = ?", (agent, client))   # as an access-log import
    record(journal, Kind.DOWNLOADED, "198.51.100.23", {"client": "198.51.100.23"})
    tasks.ensure_tasks(journal)
    rows = by_key(tasks.task_list(journal.conn))
    google, archive = rows["crawler-66.249.66.1"], rows["crawler-207.241.229.1"]
    assert google["step"] == "search_removal_requested" and "66.249.66.1" in google["title"]
    assert archive["step"] == "archive_removal_requested"
    assert "crawler-198.51.100.23" not in rows
    record(journal, Kind.SEARCH_REMOVAL_REQUESTED, None, {"client": "66.249.66.1"})
    rows = by_key(tasks.task_list(journal.conn))
    assert rows["crawler-66.249.66.1"]["state"] == "done"
    assert rows["crawler-207.241.229.1"]["state"] == "open"
    assert rows["search-removal"]["state"] == "done"       # the general task: any request


def test_people_miss_their_own_deadlines(journal):
    opened(journal, n=3)
    at = T0 + timedelta(hours=3)
    assert page(journal.conn, PeopleFilter(overdue=True), at=at) == []
    late = page(journal.conn, PeopleFilter(overdue=True), at=T0 + timedelta(hours=5))
    assert [p["overdue"] for p in late] == [["hold"]] * 3
    later = page(journal.conn, PeopleFilter(ids=(1,)), at=T0 + timedelta(days=8))[0]
    assert later["overdue"] == ["notify", "hold"]


def test_task_commands(db, tmp_path):
    with Journal(db, create=True) as j:
        opened(j, n=2)
    listed = one_json(invoke("task", "list", "--json", "--db", db).stdout)
    assert listed["count"] == len(tasks.templates().tasks) and listed["t0"].startswith(
        "2022-11-28T13:53")
    assert listed["overdue"] == listed["count"] - 1       # 2022 is long past; log-tip is done
    assert invoke("task", "assign", "report-cisa", "SOC lead", "--db", db).exit_code == 0
    done = invoke("task", "done", "report-cisa", "--note", "ticket 7", "--date",
                  "2022-11-28T14:30:00+00:00", "--json", "--db", db)
    assert done.exit_code == 0 and len(one_json(done.stdout)["events"]) == 2
    added = one_json(invoke("task", "add", "Brief the ombudsman", "--due", "T0+2h",
                            "--owner", "privacy officer", "--json", "--db", db).stdout)
    assert added["key"] == "brief-the-ombudsman"
    extra = tmp_path / "more.toml"
    extra.write_text('[[task]]\nkey = "call-line"\nchecklist = "notify"\n'
                     'title = "Open the call line"\ndue = "3d"\n')
    assert one_json(invoke("task", "load", extra, "--json", "--db", db).stdout) == \
        {"added": ["call-line"]}
    rows = by_key(one_json(invoke("task", "list", "--json", "--db", db).stdout)["tasks"])
    assert rows["report-cisa"]["assignee"] == "SOC lead"
    assert rows["report-cisa"]["done_at"] == "2022-11-28T14:30:00.000Z"
    assert rows["brief-the-ombudsman"]["due_at"] == "2022-11-28T15:53:00.000Z"
    assert rows["call-line"]["checklist"] == "notify"
    overdue = one_json(invoke("task", "list", "--overdue", "--json", "--db", db).stdout)
    assert "report-cisa" not in {r["key"] for r in overdue["tasks"]}
    screen = invoke("task", "list", "--db", db).stdout
    assert "OVERDUE" in screen and "freeze-removals" in screen and "(0/2)" in screen


def test_a_bad_template_file_is_one_clear_error(db, tmp_path):
    with Journal(db, create=True) as j:
        opened(j, n=1)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[task]]\nkey = "x"\ntitle = "X"\ndue = "soon"\n')
    result = invoke("task", "load", bad, "--db", db)
    assert result.exit_code == 1 and "due is an offset" in result.stderr
    assert "bad.toml" in result.stderr


def test_a_task_list_on_a_read_only_journal_adds_nothing(db):
    with Journal(db, create=True) as j:
        open_incident(j, "x", at=datetime(2022, 11, 28, tzinfo=UTC))
    with read_only(db):
        listed = invoke("task", "list", "--json", "--db", db)
        assert listed.exit_code == 0, listed.stderr
        assert one_json(listed.stdout)["count"] == 0
        refused = invoke("task", "done", "report-cisa", "--db", db)
        assert refused.exit_code == 1 and "read-only" in refused.stderr
