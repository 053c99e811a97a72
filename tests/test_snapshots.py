"""Each tab at 100×30 as a responder sees it, on a journal with fixed times, fixed uids and
a fixed clock, no blinking cursor: the pictures are the same on every run.

Update after an intended change: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from test_tui import fixed_app, fixed_journal, settled, until

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
        assert await until(pilot, lambda: app.query_one("#artifacts").row_count == 2)
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
