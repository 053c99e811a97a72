"""Each tab at 100×30 as a responder sees it, on a journal with fixed times, fixed uids and
a fixed clock, no blinking cursor: the pictures are the same on every run.

Update after an intended change: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from test_tui import NOW, fixed_app, fixed_journal, settled, until

from warroom.tui import actions


async def settle(pilot, tab: str) -> None:
    """Wait until the tab shows what the journal holds (workers done, pages read)."""
    app = pilot.app
    await pilot.press(str([t for t, _, _ in actions.TABS].index(tab) + 1))
    assert await until(pilot, lambda: app.board is not None and tab in app.panels)
    if tab == "timeline":
        view = app.query_one("TimelineView")
        assert await until(pilot, lambda: view.loaded and view.event_at(0) is not None)
    if tab == "artifact":
        assert await until(pilot, lambda: app.query_one("#artifacts").row_count == 2
                           and app.query_one("#location-list").row_count == 3)
    if tab == "downloaders":
        view = app.query_one("DownloadersView")
        assert await until(pilot, lambda: view.loaded and view.item_at(0) is not None
                           and "access" in str(app.query_one("#dl-summary").content))
    if tab == "tips":
        view = app.query_one("TipsView")
        assert await until(pilot, lambda: view.loaded and view.item_at(0) is not None)
    if tab in ("notify", "holds"):
        panel = app.panels[tab]
        assert await until(pilot, lambda: panel.view.loaded and panel.states is not None
                           and panel.view.item_at(panel.view.total - 1) is not None)
    if tab == "tasks":
        assert await until(pilot, lambda: app.panels[tab].rows)
    await settled(app)
    await pilot.pause()


def fixed_tasks(db) -> None:
    """The template tasks with fixed uids, so opening the Tasks tab adds none (and the chain
    head on screen stays the same)."""
    from dataclasses import replace

    from warroom.checklists.tasks import templates
    from warroom.journal import Journal

    with Journal(db) as j:
        j.append_many([replace(t.draft(), uid=f"task-{n:03d}")
                       for n, t in enumerate(templates().tasks)])


@pytest.mark.parametrize("tab", [t for t, _, _ in actions.TABS])
def test_tab(tab, snap_compare, db, monkeypatch):
    fixed_journal(db, monkeypatch)
    if tab == "tasks":
        fixed_tasks(db)
    assert snap_compare(fixed_app(db), terminal_size=(100, 30),
                        run_before=lambda pilot: settle(pilot, tab))


def test_event_detail(snap_compare, db, monkeypatch):
    fixed_journal(db, monkeypatch)

    async def open_detail(pilot) -> None:
        await settle(pilot, "timeline")
        view = pilot.app.query_one("TimelineView")
        view.cursor = next(i for i in range(view.total)
                           if view.event_at(i).kind == "people_imported")
        await pilot.press("enter")
        assert await until(pilot, lambda: getattr(pilot.app.screen, "event", None))
        await pilot.pause()

    assert snap_compare(fixed_app(db), terminal_size=(100, 30), run_before=open_detail)


async def open_dialog(pilot, tab: str, keys: tuple[str, ...], ready) -> None:
    await settle(pilot, tab)
    await pilot.press(*keys)
    assert await until(pilot, lambda: pilot.app.screen.is_modal and ready(pilot.app.screen))
    await settled(pilot.app)
    await pilot.pause()


DIALOGS = {
    "exposure": ("timeline", ("e",), lambda s: s.doc is not None),
    "downloader": ("downloaders", ("enter",), lambda s: s.row is not None),
    "takedown": ("artifact", ("tab", "down", "down", "t"), lambda s: s.text is not None),
    "new-location": ("artifact", ("l", *"https://copy.example/x"), lambda s: True),
    "tip": ("tips", ("enter",), lambda s: s.tip is not None),
    "new-tip": ("tips", ("n", *"Hotline"), lambda s: True),
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_dialog(name, snap_compare, db, monkeypatch):
    from warroom.exposure import takedown

    fixed_journal(db, monkeypatch)
    monkeypatch.setattr(takedown, "now", lambda: NOW)    # the draft's date
    tab, keys, ready = DIALOGS[name]
    assert snap_compare(fixed_app(db), terminal_size=(100, 30),
                        run_before=lambda pilot: open_dialog(pilot, tab, keys, ready))


def test_header_names_an_unfinished_import(snap_compare, db, monkeypatch):
    from warroom.journal import Journal
    from warroom.model import Kind

    fixed_journal(db, monkeypatch)
    with Journal(db) as j:
        j.append(Kind.IMPORT_STARTED, "imp-1", {"import_id": "imp-1", "people": 6252,
                                                "batch_size": 2000, "batches": 4},
                 occurred_at=NOW, uid="uid-unfinished")
    assert snap_compare(fixed_app(db), terminal_size=(100, 30),
                        run_before=lambda pilot: settle(pilot, "timeline"))
