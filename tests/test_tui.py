"""The console, driven with the Pilot on a real journal file. `fixed_journal` builds the
deterministic incident the snapshot tests and the layout tests share."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from rich.console import Console
from textual.worker import WorkerCancelled

from warroom.journal import Journal, store
from warroom.journal.store import connect
from warroom.model import Kind
from warroom.tui.app import WarroomApp
from warroom.tui.widgets.header import IncidentHeader
from warroom.tui.widgets.timeline import TimelineView

URL = "https://example.test/list.xlsx"
EST = timezone(timedelta(hours=-5))
NOW = datetime(2022, 11, 28, 16, 30, tzinfo=EST)
ORIGIN = "https://www.agency.example/sites/default/files/detention-stats-fy23.xlsx"
CDN = "https://cdn.agency.example/sites/default/files/detention-stats-fy23.xlsx"
MIRROR = "https://files.mirror.example/d/8f2c/detention-stats-fy23.xlsx"
SHA_GOOD = "0d47a9237f6b8759" * 4
SHA_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
PEOPLE = [["A123456789", "PEREZ LOPEZ, JUAN CARLOS", "1990-01-02", "Mexico", "Otay Mesa", 0],
          ["A234567890", "WANG, LI", "1985-06-07", "China", "Adelanto", 1],
          ["A345678901", "GARCIA, MARIA", "2001-03-04", "Guatemala", "Otay Mesa", 0]]
SUMMARY = {"format": "xlsx", "records": 3, "a_numbers": 3, "high_risk": 1,
           "high_risk_list": ["China"], "rows": 3, "size": 9_137, "nlp": "test pipeline",
           "columns": {"Name": "PERSON", "A-Number": "A_NUMBER", "Date of Birth": "DATE_OF_BIRTH",
                       "Country of Citizenship": "NATIONALITY"},
           "nationalities": {"Mexico": 1, "China": 1, "Guatemala": 1}}


def at(hours: int, minutes: int) -> datetime:
    return NOW.replace(hour=hours, minute=minutes)


def fixed_journal(db, monkeypatch) -> None:
    """A small incident with fixed times, fixed uids and a fixed 'learned' clock, so every
    hash and every cell on screen is the same on every run."""
    monkeypatch.setattr(store, "now", lambda: at(15, 20))
    steps = [
        (Kind.INCIDENT_OPENED, None, {"name": "Detained-population file posted on agency"
                                      " site"}, at(13, 55)),
        (Kind.LOCATION_ADDED, ORIGIN, {"url": ORIGIN, "kind": "origin"}, at(13, 55)),
        (Kind.POSTED, ORIGIN, {"url": ORIGIN, "source": "access log: first 200"}, at(9, 45)),
        (Kind.LOCATION_ADDED, CDN, {"url": CDN, "kind": "cdn"}, at(13, 58)),
        (Kind.POSTED, CDN, {"url": CDN, "source": "CDN log"}, at(9, 47)),
        (Kind.DOWNLOADED, "198.51.100.23", {"client": "198.51.100.23", "complete": True},
         at(10, 11)),
        (Kind.TIP_RECEIVED, "t1", {"uid": "t1", "source": "Advocates for Detained Families",
                                   "text": "Your website lists people in detention.",
                                   "url": ORIGIN, "discovery": True}, at(13, 53)),
        (Kind.VERIFIED, ORIGIN, {"url": ORIGIN, "state": "live", "status": 200}, at(13, 58)),
        (Kind.TAKEN_DOWN, ORIGIN, {"url": ORIGIN, "by": "web-ops"}, at(14, 4)),
        (Kind.ARTIFACT_ACQUIRED, SHA_EMPTY, {
            "sha256": SHA_EMPTY, "size": 0, "source": ORIGIN, "filename": "stats (1).xlsx",
            "path": f"journal.evidence/{SHA_EMPTY}"}, at(14, 8)),
        (Kind.ARTIFACT_ACQUIRED, SHA_GOOD, {
            "sha256": SHA_GOOD, "size": 9_137, "source": CDN,
            "filename": "detention-stats-fy23.xlsx", "path": f"journal.evidence/{SHA_GOOD}"},
         at(14, 10)),
        (Kind.ARTIFACT_SCANNED, SHA_GOOD, {"sha256": SHA_GOOD, "format": "xlsx", "records": 3,
                                           "summary": SUMMARY}, at(14, 10)),
        (Kind.PEOPLE_IMPORTED, SHA_GOOD, {
            "fields": ["a_number", "full_name", "birth_date", "nationality", "facility",
                       "high_risk"], "people": PEOPLE, "artifact": SHA_GOOD, "batch": 1},
         at(14, 10)),
        (Kind.CDN_PURGED, CDN, {"url": CDN, "by": "web-ops"}, at(14, 12)),
        (Kind.VERIFIED, ORIGIN, {"url": ORIGIN, "state": "verified_down", "status": 404},
         at(14, 20)),
        (Kind.VERIFIED, CDN, {"url": CDN, "state": "verified_down", "status": 404}, at(14, 21)),
        (Kind.HOLD_PLACED, "A:234567890", {"person": "A:234567890",
                                           "text": "hold until the case is assessed"},
         at(15, 0)),
        (Kind.LOCATION_ADDED, MIRROR, {"url": MIRROR, "kind": "mirror"}, at(15, 42)),
        (Kind.POSTED, MIRROR, {"url": MIRROR, "source": "mirror upload date"}, at(11, 2)),
        (Kind.VERIFIED, MIRROR, {"url": MIRROR, "state": "live", "status": 200}, at(15, 45)),
        (Kind.REPOST_DETECTED, MIRROR, {"url": MIRROR, "text": "found again on the mirror"},
         at(15, 46)),
    ]
    with Journal(db, create=True, actor="web-ops") as j:
        for n, (kind, subject, data, when) in enumerate(steps):
            j.append(kind, subject, data, occurred_at=when, uid=f"uid-{n:03d}")


def fixed_app(db, **kwargs) -> WarroomApp:
    return WarroomApp(db, clock=lambda: NOW, cursor_blink=False, **kwargs)


def plain(renderable, width: int = 100) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


def make(db, down: bool):
    with Journal(db, create=True) as j:
        j.append(Kind.INCIDENT_OPENED, None, {"name": "Console test"})
        j.append(Kind.LOCATION_ADDED, URL, {"url": URL, "kind": "origin"})
        j.append(Kind.POSTED, URL, {"url": URL}, occurred_at="2022-11-28T09:45:00-05:00")
        if down:
            j.append(Kind.TAKEN_DOWN, URL, {"url": URL}, occurred_at="2022-11-28T14:04:00-05:00")


async def settled(app) -> None:
    """Wait for every worker; a read replaced by a newer one ends cancelled, not failed."""
    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass


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
        assert await until(pilot, lambda: view.total == 1 and view.event_at(0) is not None)
        assert view.event_at(0).kind == "taken_down"
        await pilot.press("escape")
        assert await until(pilot, lambda: view.total == 4)


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
        await settled(app)
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
        await settled(app)
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


# ---------------------------------------------------------------- one registry of actions


def test_every_binding_comes_from_the_registry():
    from warroom.tui import actions
    from warroom.tui.dialogs.base import Dialog
    from warroom.tui.dialogs.confirm import ConfirmScreen
    from warroom.tui.dialogs.forms import Form
    from warroom.tui.dialogs.location import NewLocationScreen
    from warroom.tui.dialogs.person import PersonScreen
    from warroom.tui.dialogs.takedown import TakedownScreen
    from warroom.tui.panels.artifact import ArtifactPanel, PathBox
    from warroom.tui.panels.downloaders import DownloadersPanel
    from warroom.tui.panels.roster import HoldsPanel, NotifyPanel
    from warroom.tui.panels.tasks import TasksPanel
    from warroom.tui.panels.timeline import TimelinePanel
    from warroom.tui.widgets.downloaders import DownloadersView
    from warroom.tui.widgets.roster import RosterView

    ids = {a.id for a in actions.ACTIONS}
    assert len(ids) == len(actions.ACTIONS)
    for owner in (WarroomApp, TimelinePanel, ArtifactPanel, PathBox, TimelineView, Dialog,
                  DownloadersPanel, DownloadersView, TakedownScreen, NewLocationScreen,
                  NotifyPanel, HoldsPanel, TasksPanel, RosterView, Form, ConfirmScreen,
                  PersonScreen):
        assert owner.BINDINGS, owner
        for b in owner.BINDINGS:
            assert b.id in ids and b.description and b.tooltip, (owner, b)


async def test_palette_finds_acquire_and_runs_it(db):
    from textual.command import CommandList

    make(db, down=True)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"acq")
        found = app.screen.query_one(CommandList)
        assert await until(pilot, lambda: found.option_count > 0)
        assert "Acquire" in str(found.get_option_at_index(0).prompt)
        await pilot.press("enter")
        assert await until(pilot, lambda: app.query_one("TabbedContent").active == "artifact")
        assert await until(pilot, lambda: app.focused is not None
                           and app.focused.id == "source")


async def test_help_lists_every_action(db):
    from warroom.tui import actions
    from warroom.tui.dialogs.help import HelpScreen, keys_table

    make(db, down=True)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("question_mark")
        assert await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = plain(keys_table(), 200)
        assert all(a.description in text for a in actions.ACTIONS)
        await pilot.press("escape")
        assert await until(pilot, lambda: not isinstance(app.screen, HelpScreen))


# ---------------------------------------------------------------- reads off the UI thread


async def test_the_ui_thread_never_touches_sqlite(db, tmp_path, monkeypatch):
    """Every tab, list, dialog and action that reads or writes the journal, driven by key:
    not one connection is opened on the UI thread."""
    from warroom.artifact.roster import import_people

    import files
    from httpserve import Served

    sheet = files.write_csv(tmp_path / "leak.csv", files.roster(20, seed=5))
    threads: list[threading.Thread] = []

    def watched(*args, **kwargs):
        threads.append(threading.current_thread())
        return connect(*args, **kwargs)

    with Served() as site:      # every location on 127.0.0.1: probing them stays here
        site.routes["/leak.csv"] = site.routes["/copy.csv"] = (200, {}, sheet.read_bytes())
        with Journal(db, create=True) as j:
            j.append(Kind.INCIDENT_OPENED, None, {"name": "Console test"})
            j.append(Kind.LOCATION_ADDED, site.url("/leak.csv"),
                     {"url": site.url("/leak.csv"), "kind": "origin"})
            j.append(Kind.TAKEN_DOWN, site.url("/leak.csv"), {"url": site.url("/leak.csv")})
            j.append(Kind.DOWNLOADED, "198.51.100.23", {"client": "198.51.100.23",
                                                        "complete": True, "bytes": 9_137})
            import_people(j, [{"a_number": p.a_number, "full_name": p.full_name,   # Notify,
                               "nationality": files.SHORT[p.nationality],          # Holds
                               "facility": p.facility} for p in files.roster(6, seed=4)])
        monkeypatch.setattr(store, "connect", watched)
        app = WarroomApp(db)
        async with app.run_test(size=(100, 30)) as pilot:
            view = app.query_one(TimelineView)
            assert await until(pilot, lambda: view.loaded)
            for key in "1234567":
                await pilot.press(key)
            await pilot.press("1", "slash", *"taken", "enter")
            assert await until(pilot, lambda: view.total == 1 and view.current() is not None)
            await pilot.press("enter")
            await settled(app)
            await pilot.press("escape", "e")                     # the exposure window
            assert await until(pilot, lambda: getattr(app.screen, "doc", None) is not None)
            await pilot.press("escape", "5")                     # the downloaders
            downloaders = app.panels["downloaders"].view
            assert await until(pilot, lambda: downloaders.current() is not None)
            await pilot.press("c", "slash", *"198", "enter", "enter")    # a filter, a detail
            assert await until(pilot, lambda: getattr(app.screen, "row", None) is not None)
            await pilot.press("escape", "r", "2", "a")
            app.focused.value = str(sheet)
            await pilot.press("enter")
            table = app.query_one("#artifacts")
            assert await until(pilot, lambda: table.row_count == 1
                               and not app.panels["artifact"].busy)
            places = app.query_one("#location-list")
            await pilot.press("l", *site.url("/copy.csv"), "enter")   # a location, by form
            assert await until(pilot, lambda: places.row_count == 2)
            await pilot.press("p")                               # a probe, on 127.0.0.1
            pane = app.query_one("LocationsPane")
            assert await until(pilot, lambda: not pane.probing and all(
                x["state"] == "live" for x in pane.rows.values()))
            await pilot.press("t")                               # a draft, recorded
            assert await until(pilot, lambda: getattr(app.screen, "text", None) is not None)
            await pilot.press("r")
            assert await until(pilot, lambda: not app.screen.is_modal)
            await pilot.press("6", "n")                          # the tips: a tip, by form
            form = app.screen
            form.query_one("#source").value = "Hotline"
            form.query_one("#text").text = "Another copy."
            form.query_one("#urls").value = site.url("/tip.csv")
            form.query_one("#a-numbers").value = "A123456789"
            await pilot.press("ctrl+s")                          # its URL offered: yes
            assert await until(pilot, lambda: getattr(app.screen, "question", None))
            await pilot.press("y")
            tips = app.panels["tips"].view
            assert await until(pilot, lambda: tips.total == 1 and tips.current() is not None)
            await pilot.press("v", "d", *"stale", "enter", "l", "N", "A")   # triage, filters
            await settled(app)
            await pilot.press("enter")                           # its detail
            assert await until(pilot, lambda: getattr(app.screen, "tip", None) is not None)
            await pilot.press("escape")
            await settled(app)
            await the_checklist_tabs(pilot)
    assert threads and threading.main_thread() not in threads


async def the_checklist_tabs(pilot) -> None:
    """Every read and write of the Notify, Holds and Tasks tabs and their windows: a
    person's detail, a picker, a bulk change, a reveal, a task done."""
    from test_tui_roster import fill, open_tab

    from warroom.tui.dialogs.confirm import ConfirmScreen
    from warroom.tui.dialogs.person import PersonScreen
    from warroom.tui.dialogs.pick import PickScreen

    app = pilot.app
    panel = await open_tab(pilot, "notify")
    await pilot.press("enter")
    assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                       and app.screen.person is not None)
    await pilot.press("escape", "f")
    assert await until(pilot, lambda: isinstance(app.screen, PickScreen))
    await pilot.press("escape", "n")
    await fill(pilot, state="delivered", channel="mail")
    await pilot.press("ctrl+s")
    assert await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("y")
    assert await until(pilot, lambda: not panel.busy and not app.screen.is_modal)
    await pilot.press("v", *"hand delivery", "enter")
    assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                       and app.screen.person is not None and not app.screen.person["redacted"])
    await pilot.press("escape")
    await open_tab(pilot, "holds")
    await pilot.press("w", "7")
    tasks = app.query_one("TasksPanel")
    assert await until(pilot, lambda: tasks.rows)
    open_one = next(key for key, t in tasks.rows.items() if t["state"] == "open")
    tasks.table.move_cursor(row=tasks.table.get_row_index(open_one), animate=False)
    await pilot.press("d")
    await fill(pilot, text="done here")
    await pilot.press("enter")
    assert await until(pilot, lambda: any(t["state"] == "done" and t["note"] == "done here"
                                          for t in tasks.rows.values()))
    await settled(app)
