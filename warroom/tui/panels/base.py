"""The one base class of the console's tabs. The app builds a panel the first time its tab is
opened, hands every panel the journal's news, and tells it when its tab is shown; a panel
shows the news at once when it is on screen and on its next activation when it is not."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from textual.containers import Vertical
from textual.widget import Widget

from warroom.dashboard import Dashboard


class Panel(Vertical):
    """One tab. Subclasses set `BINDINGS = actions.bindings(<their tab>)` and override
    `show_news` (and `focus_target`); reads of the journal go through `@work(thread=True)`
    workers that call `self.connection()` on their own thread and post a message."""

    DEFAULT_CSS = "Panel { height: 1fr; }"

    def __init__(self, tab: str, **kwargs) -> None:
        super().__init__(id=f"panel-{tab}", **kwargs)
        self.tab = tab
        self.board: Dashboard | None = None
        self.active = False
        self.stale = True

    # -------------------------------------------------------------- what the app calls
    def journal_changed(self, board: Dashboard) -> None:
        """The journal has news (read by the poll worker)."""
        self.board = board
        self.stale = True
        if self.active:
            self.refresh_view()

    def activate(self) -> None:
        """Its tab is shown: bring it up to date and take the focus."""
        self.active = True
        if self.stale:
            self.refresh_view()
        self.take_focus()

    def deactivate(self) -> None:
        self.active = False

    def refresh_view(self) -> None:
        self.stale = False
        if self.board is not None:
            self.show_news(self.board)

    def take_focus(self) -> None:
        target = self.focus_target()
        if target is None:
            self.screen.set_focus(None)   # keys must not reach a hidden tab's widget
        else:
            target.focus()

    # -------------------------------------------------------------- what panels override
    def show_news(self, board: Dashboard) -> None:
        """Show the journal's state: from the board (no SQL here), or by starting a worker."""

    def focus_target(self) -> Widget | None:
        return next((w for w in self.query("*") if w.focusable), None)

    # -------------------------------------------------------------- helpers
    def connection(self) -> sqlite3.Connection:
        """This thread's connection: call it in a worker only, never on the UI thread."""
        return self.app.connections.get()

    def now(self) -> datetime:
        return self.app.clock()
