"""The console, driven with the Pilot on a real journal file."""

from __future__ import annotations

from warroom.journal import Journal
from warroom.model import Kind
from warroom.tui.app import WarroomApp
from warroom.tui.widgets.header import IncidentHeader
from warroom.tui.widgets.timeline import TimelineView

URL = "https://example.test/list.xlsx"


def make(db, down: bool):
    with Journal(db, create=True) as j:
        j.append(Kind.INCIDENT_OPENED, None, {"name": "Console test"})
        j.append(Kind.LOCATION_ADDED, URL, {"url": URL, "kind": "origin"})
        j.append(Kind.POSTED, URL, {"url": URL}, occurred_at="2022-11-28T09:45:00-05:00")
        if down:
            j.append(Kind.TAKEN_DOWN, URL, {"url": URL}, occurred_at="2022-11-28T14:04:00-05:00")


async def until(pilot, condition, tries: int = 200):
    """Wait on a condition, not a clock: let the app run until it holds."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_number_keys_switch_tabs(db):
    make(db, down=True)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        tabs = app.query_one("TabbedContent")
        for key, tab in [("3", "notify"), ("7", "tasks"), ("2", "artifact"),
                         ("5", "downloaders"), ("1", "timeline")]:
            await pilot.press(key)
            assert tabs.active == tab


async def test_clock_reads_contained_after(db):
    make(db, down=True)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        header = app.query_one(IncidentHeader)
        assert await until(pilot, lambda: header.board is not None)
        assert header.clock_label == "■ CONTAINED after 4h 19m"


async def test_clock_reads_exposed_while_live(db):
    make(db, down=False)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        header = app.query_one(IncidentHeader)
        assert await until(pilot, lambda: header.board is not None)
        assert header.clock_label.startswith("■ EXPOSED for ")


async def test_event_from_another_process_appears_without_input(db):
    make(db, down=False)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        view = app.query_one(TimelineView)
        assert await until(pilot, lambda: view.total == 3)
        with Journal(db, actor="other-responder") as other:
            other.append(Kind.TAKEN_DOWN, URL, {"url": URL, "by": "web-ops"})
        assert await until(pilot, lambda: view.total == 4)
        newest = view.event_at(0)
        assert newest.kind == "taken_down" and newest.actor == "other-responder"
        header = app.query_one(IncidentHeader)
        assert await until(pilot, lambda: header.clock_label.startswith("■ CONTAINED"))


async def test_filter_narrows_the_timeline(db):
    make(db, down=True)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        view = app.query_one(TimelineView)
        assert await until(pilot, lambda: view.total == 4)
        await pilot.press("slash")
        await pilot.press(*"taken", "enter")
        assert view.total == 1 and view.event_at(0).kind == "taken_down"
        await pilot.press("escape")
        assert view.total == 4


async def test_artifact_tab_acquires_scans_and_imports(db, tmp_path):
    from warroom.tui.panels.artifact import ArtifactPanel

    import files

    make(db, down=True)
    ps = files.roster(120, seed=61)
    sheet = files.write_xlsx(tmp_path / "leak.xlsx", ps)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("2")
        panel = app.query_one(ArtifactPanel)
        await pilot.press("a")
        source = panel.query_one("#source")
        assert source.has_focus
        source.value = str(sheet)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        from rich.console import Console

        console = Console(width=140, record=True, file=open("/dev/null", "w"))
        console.print(panel.query_one("#report").content)
        report = console.export_text()
        assert "records 120" in report and "A-***-***-" in report
        assert not any(p.family_name in report for p in ps)
        panel.query_one("DataTable").focus()
        await until(pilot, lambda: panel.query_one("DataTable").row_count == 1)
        await pilot.press("i")
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = app.query_one(IncidentHeader)
        assert await until(pilot, lambda: header.board.counts["people"] == 120)


async def test_command_palette_runs_the_same_actions(db):
    make(db, down=True)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Show Tasks")
        await pilot.pause(0.3)
        await pilot.press("enter")
        tabs = app.query_one("TabbedContent")
        assert await until(pilot, lambda: tabs.active == "tasks")
