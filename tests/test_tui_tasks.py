"""The Tasks tab driven with the Pilot on a real journal: the template tasks added once when
it opens, due times with the overdue ones in red, done with a note, assigned, a task added
with its due time checked, and how far each checklist is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_checklists import T0, opened
from test_tui import plain, settled, until
from test_tui_roster import events, fill

from warroom.checklists.tasks import templates
from warroom.journal import Journal
from warroom.model import Kind
from warroom.tui.app import WarroomApp

NOW = T0 + timedelta(hours=2)


@pytest.fixture
def incident(db):
    with Journal(db, create=True) as j:
        opened(j, n=10, seed=3)
    return db


async def open_tasks(pilot):
    app = pilot.app
    await pilot.press("7")
    assert await until(pilot, lambda: "tasks" in app.panels)
    panel = app.panels["tasks"]
    assert await until(pilot, lambda: len(panel.rows) == len(templates().tasks))
    await settled(app)
    return panel


def cell(panel, key: str, column: str):
    return panel.table.get_row(key)[panel.order.index(column)]


def move_to(panel, key: str) -> None:
    panel.table.move_cursor(row=panel.table.get_row_index(key), animate=False)


async def test_the_templates_are_added_once_and_overdue_ones_are_red(incident):
    for _ in range(2):                     # a second console adds nothing more
        app = WarroomApp(incident, clock=lambda: NOW, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            panel = await open_tasks(pilot)
            late = [t for t in panel.rows.values() if t["overdue"]]
            due_later = [t for t in panel.rows.values()
                         if not t["overdue"] and t["state"] == "open"]
            assert late and due_later
            shown = cell(panel, late[0]["key"], "due")
            assert "OVERDUE" in shown.plain and "red" in str(shown.style)
            assert "OVERDUE" not in cell(panel, due_later[0]["key"], "due").plain
            dues = [t["due_at"] for t in panel.rows.values()]
            assert dues == sorted(dues)                        # in due order
        assert len(events(incident, Kind.TASK_ADDED)) == len(templates().tasks)


async def test_done_with_a_note_then_assign_and_the_checklist_moves(incident):
    app = WarroomApp(incident, clock=lambda: NOW, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tasks(pilot)
        task = next(t for t in panel.rows.values() if t["state"] == "open"
                    and t["checklist"] == "general")
        key = task["key"]
        before = plain(panel.query_one("#tasks-progress").content, 98)
        move_to(panel, key)
        await pilot.press("d")
        await fill(pilot, text="ticket INC-42")
        await pilot.press("enter")
        assert await until(pilot, lambda: panel.rows[key]["state"] == "done")
        assert "done by tester" in cell(panel, key, "state").plain
        after = plain(panel.query_one("#tasks-progress").content, 98)
        assert before != after and before.count("general") == after.count("general") == 1
        move_to(panel, key)
        await pilot.press("d")                                 # done again: refused
        await fill(pilot, text="twice")
        await pilot.press("enter")
        await settled(app)
        move_to(panel, key)
        await pilot.press("a")
        await fill(pilot, text="alice")
        await pilot.press("enter")
        assert await until(pilot, lambda: panel.rows[key]["assignee"] == "alice")
        assert "→ alice" in cell(panel, key, "owner").plain
    done = [e for e in events(incident, Kind.TASK_STATE) if e.data["key"] == key]
    assert [(e.data["state"], e.data.get("note"), e.data.get("assignee"), e.actor)
            for e in done] == [("done", "ticket INC-42", None, "tester"),
                               ("done", None, "alice", "tester")]


async def test_add_a_task_checks_its_due_time(incident):
    from warroom.tui.dialogs.task import TaskAddForm

    app = WarroomApp(incident, clock=lambda: NOW, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tasks(pilot)
        await pilot.press("plus")
        await fill(pilot, title="", due="T0+4h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "a title is needed" in plain(app.screen.query_one("#form-error").content)
        await fill(pilot, title="Call the facility's records office", due="soon-ish")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TaskAddForm)
        assert "not a time" in plain(app.screen.query_one("#form-error").content, 200)
        await fill(pilot, due="T0+4h", checklist="notify")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: len(panel.rows) == len(templates().tasks) + 1)
        added = events(incident, Kind.TASK_ADDED)[-1]
        assert added.data["title"] == "Call the facility's records office"
        assert added.data["due_offset"] == 4 * 3600 and added.data["checklist"] == "notify"
        assert "Call the facility" in cell(panel, added.data["key"], "task").plain
