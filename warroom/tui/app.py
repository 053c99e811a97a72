"""The Warroom console. Thin: widgets show, services do, workers keep the screen free."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from warroom.dashboard import dashboard
from warroom.journal import queries
from warroom.render.console import location_rows
from warroom.tui import actions
from warroom.tui.data import Connections
from warroom.tui.messages import JournalChanged
from warroom.tui.panels.pending import PendingPanel
from warroom.tui.widgets.header import IncidentHeader
from warroom.tui.widgets.timeline import TimelineView, header_line

POLL_SECONDS = 0.4


class WarroomApp(App):
    TITLE = "Warroom"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS = actions.bindings()

    def __init__(self, db: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.db = Path(db)
        self.connections = Connections(self.db)
        self.seen_id = -1
        self.read_error: str | None = None

    # -------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield IncidentHeader(id="header")
        with TabbedContent(id="tabs"):
            for n, (tab, title, _what) in enumerate(actions.TABS, start=1):
                with TabPane(f"{n} {title}", id=tab):
                    yield from self._panel(tab)
        yield Input(placeholder="filter the timeline (Enter to apply, Escape to clear)",
                    id="filter")
        yield Footer()

    def _panel(self, tab: str) -> Iterable:
        if tab == "timeline":
            yield Static(id="locations")
            yield Static(id="timeline-header")
            yield TimelineView(self.connections.get, id="timeline-view")
        elif tab == "artifact":
            yield Vertical(id="artifact-slot")  # the panel is built when first opened
        else:
            yield PendingPanel(tab, id=f"panel-{tab}")

    def on_mount(self) -> None:
        # the first read is made here, before the first frame: a journal read is a few
        # milliseconds, and the screen opens with the incident on it, not blank
        conn = self.connections.get()
        self.on_journal_changed(JournalChanged(queries.max_event_id(conn), dashboard(conn)))
        self.set_timer(POLL_SECONDS, self.poll)
        self.query_one(TimelineView).focus()

    def on_unmount(self) -> None:
        self.connections.close()

    # -------------------------------------------------------------- polling
    def poll(self) -> None:
        """A one-shot timer re-armed when the read finishes: polls never overlap."""
        if not self.is_running or not self.screen_stack:
            return  # shutting down: the timer may still fire once, with no screen left
        if self.screen.is_modal:
            self.set_timer(POLL_SECONDS, self.poll)
            return
        self.read_journal()

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll")
    def read_journal(self) -> None:
        try:
            conn = self.connections.get()
            max_id = queries.max_event_id(conn)
            if max_id != self.seen_id:
                self.post_message(JournalChanged(max_id, dashboard(conn)))
            self.read_error = None
        except Exception as exc:  # say it once, keep polling: the file may come back
            if str(exc) != self.read_error:
                self.read_error = str(exc)
                self.call_from_thread(self.notify, f"cannot read the journal: {exc}",
                                      severity="error", timeout=10)
        finally:
            if self.is_running:
                self.call_from_thread(self.set_timer, POLL_SECONDS, self.poll)

    def on_journal_changed(self, message: JournalChanged) -> None:
        self.seen_id = message.max_id
        self.query_one(IncidentHeader).show(message.board)
        self.query_one("#locations", Static).update(location_rows(message.board.locations))
        self.query_one(TimelineView).reload()
        for panel in self.query(PendingPanel):
            panel.show(message.board)
        for artifact in self.query("ArtifactPanel"):
            artifact.refresh_from(self.connections.get())

    def on_resize(self) -> None:
        self.query_one("#timeline-header", Static).update(header_line(self.size.width - 2))

    # -------------------------------------------------------------- actions
    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "timeline":
            self.query_one(TimelineView).focus()

    @on(TabbedContent.TabActivated)
    async def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "artifact":
            await self._enter_artifact()

    async def _enter_artifact(self) -> None:
        """Build the Artifact panel the first time it is opened (keeps start-up light)."""
        from warroom.tui.panels.artifact import ArtifactPanel

        slot = self.query_one("#artifact-slot")
        if not slot.children:
            await slot.mount(ArtifactPanel(self.db, id="panel-artifact"))
        panel = slot.query_one(ArtifactPanel)
        panel.refresh_from(self.connections.get())
        panel.query_one("DataTable").focus()

    def action_filter(self) -> None:
        self.action_show_tab("timeline")
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        box.focus()

    @on(Input.Submitted, "#filter")
    def apply_filter(self, event: Input.Submitted) -> None:
        self.query_one(TimelineView).set_filter(event.value.strip())
        if not event.value.strip():
            event.input.remove_class("visible")
        self.query_one(TimelineView).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("visible"):
            box.value = ""
            box.remove_class("visible")
            self.query_one(TimelineView).set_filter(None)
            self.query_one(TimelineView).focus()

    def action_refresh(self) -> None:
        self.seen_id = -1
        self.read_journal()

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for a in actions.ACTIONS:
            if a.palette and a.id != "quit":
                yield SystemCommand(a.description if not a.id.startswith("tab-")
                                    else f"Show {a.description}", a.tooltip,
                                    lambda act=a.action: self.run_action(act))
