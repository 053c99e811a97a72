"""One person in full: their fields (redacted), the notice and the hold, alarms, who touched
them last, and every event about them, newest first. `v` reveals them: a form asks why, the
reveal is journaled first (who, when, why), and the full record shows here, in this window
only; the lists stay redacted. Reads and the reveal run in a worker."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from warroom.checklists import people
from warroom.checklists.filters import PeopleFilter
from warroom.journal import Journal, queries
from warroom.render.checklists import history_table, person_detail
from warroom.tui import actions
from warroom.tui.dialogs.base import Dialog
from warroom.tui.dialogs.forms import TextForm
from warroom.tui.messages import PersonRead


def reveal_form(person: dict) -> TextForm:
    return TextForm(
        f"Reveal person #{person['id']}", "why",
        intro=Text(f"Revealing #{person['id']} ({person['name']} {person['a_number']}) shows"
                   " the full name, A-number and birth date in the detail window only. It is"
                   " journaled first: you, now, and this reason.", style="yellow"),
        placeholder="the reason, kept in the journal (e.g. hand delivery at the facility)")


class PersonScreen(Dialog):
    BINDINGS = actions.bindings("person")

    def __init__(self, person_id: int, why: str | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.why = why
        self.person: dict | None = None
        self.history: list = []

    def title_text(self) -> Text:
        return Text(f"person #{self.person_id:,}")

    def body(self) -> ComposeResult:
        yield Static(Text("reading…", style="dim"), id="person")
        yield Static(id="history")

    def on_mount(self) -> None:
        self._read(self.person_id, self.why)

    @work(thread=True, exclusive=True, exit_on_error=False, group="person-detail")
    def _read(self, person_id: int, why: str | None) -> None:
        who = PeopleFilter(ids=(person_id,))
        at = self.app.clock()
        try:
            if why:       # journaled first; the journal is written on this thread only
                with Journal(self.app.db) as journal:
                    found = people.reveal_people(journal, who, why, at=at)
                    key = found[0]["person_key"] if found else None
                    history = queries.person_history(journal.conn, key) if key else []
                    for person in found:
                        person["identities"] = people.identities(journal.conn, person)
            else:
                conn = self.app.connections.get()
                rows = people.rows(conn, who, at=at)
                found = [people.shown(r) for r in rows]
                history = queries.person_history(conn, rows[0]["person_key"]) if rows else []
                for person in found:
                    person["identities"] = people.identities(conn, person)
        except Exception as exc:   # a read-only journal, a reason missing: said, not crashed
            self.post_message(PersonRead(None, [], str(exc)))
            return
        self.post_message(PersonRead(found[0] if found else None, history,
                                     None if found else f"no person #{person_id}"))

    def on_person_read(self, message: PersonRead) -> None:
        box = self.query_one("#person", Static)
        if message.error:
            box.update(Text(message.error, style="bold red") if self.person is None else
                       Group(Text(message.error, style="bold red"),
                             person_detail(self.person, self.app.clock())))
            return
        self.person, self.history = message.person, message.history
        at = self.app.clock()
        box.update(person_detail(message.person, at))
        title = Text(f"\nhistory: {len(message.history):,} event"
                     f"{'' if len(message.history) == 1 else 's'}, newest first", style="bold")
        self.query_one("#history", Static).update(Group(title, history_table(message.history,
                                                                              at)))

    def action_reveal(self) -> None:
        if self.person is None:
            return

        def revealed(why: str | None) -> None:
            if why:
                self.why = why
                self._read(self.person_id, why)

        self.app.push_screen(reveal_form(self.person), revealed)
