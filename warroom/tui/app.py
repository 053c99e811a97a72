"""The Warroom console. Thin: panels show, services do, workers read the journal off the UI
thread and post what they read."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, TabbedContent, TabPane
from textual.worker import get_current_worker

from warroom.dashboard import Dashboard, dashboard
from warroom.journal import queries, store
from warroom.model import now
from warroom.tui import actions
from warroom.tui.data import Connections
from warroom.tui.messages import JournalChanged, ReadFailed
from warroom.tui.panels import Panel, build
from warroom.tui.widgets.header import IncidentHeader

POLL_SECONDS = 0.4


def first_read(db: Path) -> Future[JournalChanged]:
    """Read the dashboard on a thread of its own, started before the app runs."""
    future: Future[JournalChanged] = Future()

    def read() -> None:
        try:
            conn = store.connect(db)
            try:
                future.set_result(JournalChanged(queries.max_event_id(conn), dashboard(conn)))
            finally:
                conn.close()
        except BaseException as exc:  # reported by the poll worker that takes the result
            future.set_exception(exc)

    threading.Thread(target=read, name="warroom-first-read", daemon=True).start()
    return future


class WarroomApp(App):
    TITLE = "Warroom"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS = actions.bindings("app")

    def __init__(self, db: Path, *, clock: Callable[[], datetime] = now,
                 board: Dashboard | None = None, cursor_blink: bool = True, **kwargs) -> None:
        """`clock` is the console's notion of now (tests fix it); `board` is a dashboard
        already read by whoever starts the console, shown on the first frame."""
        super().__init__(**kwargs)
        self.db = Path(db)
        self.clock = clock
        self.board = board
        self.cursor_blink = cursor_blink
        self.connections = Connections(self.db)
        self.panels: dict[str, Panel] = {}
        self.seen_id = -1
        self.read_error: str | None = None
        self._poll_timer: Timer | None = None
        # the first read starts now, on its own thread, while Textual starts up
        self._first: Future[JournalChanged] | None = None if board else first_read(self.db)

    # -------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield IncidentHeader(clock_source=self.clock, id="header")
        first = actions.TABS[0][0]
        with TabbedContent(id="tabs", initial=first):
            for n, (tab, title, _what) in enumerate(actions.TABS, start=1):
                with TabPane(f"{n} {title}", id=tab):
                    if tab == first:   # the others are built when first opened
                        self.panels[tab] = build(tab)
                        yield self.panels[tab]
        yield Footer()

    def on_mount(self) -> None:
        if self._first is not None and self._first.done() and not self._first.exception():
            self.on_journal_changed(self._first.result())   # read already: on the 1st frame
            self._first = None
        elif self.board is not None:
            self._show(self.board)
        self.read_journal()
        first = self.panels[actions.TABS[0][0]]
        self._steady(first)
        first.activate()

    def _steady(self, root: Panel) -> None:
        """No blinking cursor when asked (snapshots must not depend on when they are taken)."""
        if not self.cursor_blink:
            for box in root.query(Input):
                box.cursor_blink = False

    def on_unmount(self) -> None:
        self.connections.close()

    # -------------------------------------------------------------- reading the journal
    def poll(self) -> None:
        """A one-shot timer re-armed when the read finishes: polls never overlap."""
        if not self.is_running or not self.screen_stack:
            return  # shutting down: the timer may still fire once, with no screen left
        if self.screen.is_modal:
            self._arm()
            return
        self.read_journal()

    def _arm(self) -> None:
        self._poll_timer = self.set_timer(POLL_SECONDS, self.poll)

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll")
    def read_journal(self) -> None:
        try:
            first, self._first = self._first, None
            if first is not None:    # the first read, not done by the first frame: wait here
                self.post_message(first.result())
                return
            conn = self.connections.get()
            max_id = queries.max_event_id(conn)
            if max_id != self.seen_id:
                self.post_message(JournalChanged(max_id, dashboard(conn)))
            self.read_error = None
        except Exception as exc:  # say it once, keep polling: the file may come back
            self.post_message(ReadFailed("journal", str(exc)))
        finally:   # one chain of polls: a read replaced by a newer one does not re-arm
            if self.is_running and not get_current_worker().is_cancelled:
                self.call_from_thread(self._arm)

    def on_journal_changed(self, message: JournalChanged) -> None:
        self.seen_id = message.max_id
        self._show(message.board)

    def _show(self, board: Dashboard) -> None:
        self.board = board
        self.query_one(IncidentHeader).show(board)
        for panel in self.panels.values():
            panel.journal_changed(board)

    def on_read_failed(self, message: ReadFailed) -> None:
        if message.error != self.read_error:
            self.read_error = message.error
            self.notify(f"cannot read the {message.what}: {message.error}", severity="error",
                        timeout=10, markup=False)

    # -------------------------------------------------------------- tabs
    async def panel(self, tab: str) -> Panel:
        """The panel of a tab, built (and mounted) the first time it is asked for."""
        panel = self.panels.get(tab)
        if panel is None:
            panel = self.panels[tab] = build(tab)
            await self.query_one(f"TabPane#{tab}", TabPane).mount(panel)
            self._steady(panel)
            if self.board is not None:
                panel.journal_changed(self.board)
        return panel

    async def action_show_tab(self, tab: str) -> None:
        panel = await self.panel(tab)
        self.query_one(TabbedContent).active = tab
        self._activate(panel)

    @on(TabbedContent.TabActivated)
    async def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab chosen with the mouse (the keys and the palette go through show_tab)."""
        panel = await self.panel(event.pane.id)
        if not panel.active:
            self._activate(panel)

    def _activate(self, shown: Panel) -> None:
        for panel in self.panels.values():
            if panel is not shown:
                panel.deactivate()
        shown.activate()

    async def run_in(self, tab: str, action: str) -> None:
        """Run a panel's action from anywhere (the palette): its tab opens first."""
        await self.action_show_tab(tab)
        await self.panels[tab].run_action(action)

    # -------------------------------------------------------------- actions
    async def action_filter(self) -> None:
        await self.action_show_tab("timeline")
        self.panels["timeline"].open_filter()

    def action_refresh(self) -> None:
        self.seen_id = -1
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self.read_journal()

    def action_exposure(self) -> None:
        from warroom.tui.dialogs.exposure import ExposureScreen

        self.push_screen(ExposureScreen())

    def action_help(self) -> None:
        from warroom.tui.dialogs.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for a in actions.ACTIONS:
            if not a.palette:
                continue
            if a.scope == "app":
                yield SystemCommand(a.description, a.tooltip,
                                    lambda act=a.action: self.run_action(act))
            elif a.scope in actions.TAB_TITLES:
                yield SystemCommand(a.description,
                                    f"{actions.TAB_TITLES[a.scope]} tab: {a.tooltip}",
                                    lambda tab=a.scope, act=a.action: self.run_in(tab, act))
