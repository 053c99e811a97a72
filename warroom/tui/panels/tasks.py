"""The Tasks tab: the response checklists with due times from discovery (T0), overdue ones in
red, and how far each checklist is. The template tasks the journal lacks are added once, when
the tab first opens (`tasks.ensure_tasks`). `d` marks a task done (with a note), `a` assigns
it, `+` adds one, `o` shows only the overdue ones, Enter opens one. Every write is a service
call in a worker; the list is read again after it."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable, Static

from warroom.checklists import tasks
from warroom.dashboard import Dashboard
from warroom.journal import Journal
from warroom.render.checklists import TASK_COLUMNS, task_cells, tasks_progress
from warroom.tui import actions
from warroom.tui.messages import TasksRead, Written
from warroom.tui.panels.base import Panel

# the columns in the order shown (the key, least read, last, and only on a wide screen: Enter
# shows it), fixed widths; the task's title takes what is left and wraps, so a row grows
# rather than cutting a title short
ORDER = ("task", "due", "owner", "state", "key")
WIDTHS = {"due": 20, "owner": 14, "state": 16, "key": 16}
MIN_TITLE = 24
WIDE = 120


class TasksPanel(Panel):
    BINDINGS = actions.bindings("tasks")
    DEFAULT_CSS = """
    TasksPanel #tasks-progress { height: auto; max-height: 6; padding: 0 1;
                                 border-bottom: solid $primary-darken-2; }
    TasksPanel #tasks { height: 1fr; }
    """

    def __init__(self, tab: str, **kwargs) -> None:
        super().__init__(tab, **kwargs)
        self.rows: dict[str, dict] = {}       # shown, by key
        self.all_rows: list[dict] = []
        self.ensured = False
        self.overdue_only = False
        self.order = ORDER

    def compose(self) -> ComposeResult:
        yield Static(Text("reading the tasks…", style="dim"), id="tasks-progress")
        yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable:
        return self.query_one("#tasks", DataTable)

    def focus_target(self) -> Widget:
        return self.table

    def on_mount(self) -> None:
        self.order = ORDER if self.app.size.width >= WIDE else ORDER[:-1]
        width = self.app.size.width - 4 - 2 * len(self.order)
        title = max(MIN_TITLE, width - sum(WIDTHS.get(name, 0) for name in self.order))
        for name in self.order:
            self.table.add_column(name, width=WIDTHS.get(name, title), key=name)

    # -------------------------------------------------------------- reading (a worker)
    def show_news(self, board: Dashboard) -> None:
        self._read(ensure=not self.ensured)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tasks-read")
    def _read(self, ensure: bool = False) -> None:
        try:
            if ensure:    # the templates the journal lacks, once (nothing if read-only)
                with Journal(self.app.db) as journal:
                    tasks.ensure_tasks(journal)
            rows = tasks.task_list(self.connection(), self.now())
        except Exception as exc:
            self.post_message(TasksRead([], str(exc)))
            return
        self.post_message(TasksRead(rows))

    def on_tasks_read(self, message: TasksRead) -> None:
        if message.error:
            self.app.notify(f"cannot read the tasks: {message.error}", severity="error",
                            markup=False)
            return
        self.ensured = True
        at = self.now()
        self.all_rows = message.rows
        self._progress()
        shown = [t for t in message.rows if t["overdue"] or not self.overdue_only]
        table = self.table
        keep = self.selected()
        with self.app.batch_update():
            if [t["key"] for t in shown] != list(self.rows):   # new or moved: rebuild
                table.clear()
                self.rows = {}
                for t in shown:
                    table.add_row(*self._cells(t, at), key=t["key"], height=None)
            else:                     # the same tasks: only the cells that changed
                for t in shown:
                    for column, (new, old) in enumerate(zip(self._cells(t, at),
                                                            self._cells(self.rows[t["key"]],
                                                                        at))):
                        if new != old:
                            table.update_cell(t["key"], self.order[column], new,
                                              update_width=False)
            self.rows = {t["key"]: t for t in shown}
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self.refresh_bindings()

    def _progress(self) -> None:
        self.query_one("#tasks-progress", Static).update(
            tasks_progress(self.all_rows, max(30, self.size.width - 2)))

    def on_resize(self) -> None:
        self._progress()

    def _cells(self, t: dict, at) -> list[Text]:
        cells = dict(zip(TASK_COLUMNS, task_cells(t, at, assignee_sep=" → ")))
        cells["key"].overflow = "ellipsis"
        cells["key"].no_wrap = True
        return [cells[name] for name in self.order]

    def selected(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open_detail", "done", "assign") and self.selected() is None:
            return None
        return True

    # -------------------------------------------------------------- actions
    def action_open_detail(self) -> None:
        from warroom.tui.dialogs.task import TaskScreen

        if (key := self.selected()) is not None:
            self.app.push_screen(TaskScreen(self.rows[key], self.now()))

    def action_toggle_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self._read()

    def action_done(self) -> None:
        from warroom.tui.dialogs.forms import TextForm

        if (key := self.selected()) is None:
            return
        self.app.push_screen(
            TextForm(f"Task {key} done", "note", required=False,
                     intro=Text.assemble("Mark done: ", (self.rows[key]["title"], "bold")),
                     placeholder="what was done (a ticket, a name): kept in the journal"),
            lambda note: note is not None and self._write("done", key, note or None))

    def action_assign(self) -> None:
        from warroom.tui.dialogs.forms import TextForm

        if (key := self.selected()) is None:
            return
        self.app.push_screen(
            TextForm(f"Assign task {key}", "to", placeholder="a responder or a role"),
            lambda who: who and self._write("assign", key, who))

    def action_add(self) -> None:
        from warroom.tui.dialogs.task import TaskAddForm

        self.app.push_screen(TaskAddForm(), lambda new: new and self._write("add", None, new))

    @work(thread=True, exclusive=False, exit_on_error=False, group="tasks-write")
    def _write(self, what: str, key: str | None, value) -> None:
        try:
            with Journal(self.app.db) as journal:
                if what == "done":
                    tasks.done(journal, key, note=value)
                    text = f"task {key} done"
                elif what == "assign":
                    tasks.assign(journal, key, value)
                    text = f"task {key} assigned to {value}"
                else:
                    event = tasks.add_task(journal, value.title, due=value.due,
                                           checklist=value.checklist)
                    text = f"task {event.data['key']} added"
        except Exception as exc:    # done already, no such task, read-only: its one line
            self.post_message(Written(what, error=str(exc)))
            return
        self.post_message(Written(what, text))

    def on_written(self, message: Written) -> None:
        if message.error:
            self.app.notify(message.error, title="nothing recorded", severity="error",
                            markup=False)
        else:
            self.app.notify(message.text, markup=False)
        self._read()
