"""A task in full, and the form that adds one (a title, a checklist, a due time checked as it
is typed: 'T0+4h' stays relative to T0, '+30m' is after now, or a time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.validation import ValidationResult, Validator
from textual.widgets import Static

from warroom.checklists import when
from warroom.checklists.tasks import CHECKLISTS
from warroom.errors import WarroomError
from warroom.render.checklists import due_text
from warroom.render.safe import safe_text
from warroom.render.text import local_time
from warroom.tui.dialogs.base import Dialog
from warroom.tui.dialogs.forms import Field, Form, needed


class DueSpec(Validator):
    """'T0+4h', '+30m', '2022-11-28T18:00' or 'now'; empty is no due time."""

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.success()
        if text.lower().startswith("t0"):
            if when.offset_seconds(text) is None:
                return self.failure("after T0 write T0+4h, T0+30m or T0+7d")
            return self.success()
        try:
            when.instant(text, None)
        except WarroomError as exc:
            return self.failure(str(exc))
        return self.success()


@dataclass(frozen=True)
class NewTask:
    title: str
    due: str | None
    checklist: str


class TaskAddForm(Form):
    HEADING = "Add a task"

    def fields(self) -> Sequence[Field]:
        return (Field("title", "title", placeholder="what is to be done",
                      validators=(needed("a title"),)),
                Field("checklist", "checklist", [(c, c) for c in CHECKLISTS], "general",
                      blank=False),
                Field("due", "due", placeholder="T0+4h (after discovery), +30m (after now) or"
                                                " a time", validators=(DueSpec(),)))

    def make(self, values: dict[str, str | None]) -> NewTask:
        return NewTask(values["title"] or "", values["due"], values["checklist"] or "general")


def task_table(t: dict, at: datetime) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", ratio=1, overflow="fold")
    rows = [("task", safe_text(t["title"])), ("key", safe_text(t["key"])),
            ("checklist", Text(t["checklist"])), ("due", due_text(t, at)),
            ("state", Text(t["state"], style="green" if t["state"] == "done" else ""))]
    if t.get("progress"):
        rows.append(("roster", Text(f"{t['progress']['done']:,} of {t['progress']['of']:,}"
                                    " people")))
    for label, key in (("owner", "owner"), ("assignee", "assignee"), ("step", "step"),
                       ("note", "note")):
        if t.get(key):
            rows.append((label, safe_text(t[key])))
    if t["state"] == "done":
        rows.append(("done", Text.assemble(safe_text(t["done_by"] or "?"), " · ",
                                           local_time(t["done_at"], at) if t["done_at"]
                                           else "?")))
    for label, value in rows:
        table.add_row(label, value)
    return table


class TaskScreen(Dialog):
    """A task as the list read it (no read of its own)."""

    def __init__(self, task: dict, at: datetime) -> None:
        super().__init__()
        self.row = task
        self.at = at

    def title_text(self) -> Text:
        return Text.assemble("task ", safe_text(self.row["key"]))

    def body(self) -> ComposeResult:
        yield Static(task_table(self.row, self.at), id="task")
