"""The incident header: name, the live exposure clock, and the counts that matter."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from warroom.dashboard import Dashboard
from warroom.model import now
from warroom.render.console import clock_text, counts_line


class IncidentHeader(Vertical):
    DEFAULT_CSS = """
    IncidentHeader { height: 2; background: $panel; }
    IncidentHeader > #title { height: 1; }
    IncidentHeader > #counts { height: 1; color: $text-muted; }
    """

    def __init__(self, clock_source=now, **kwargs) -> None:
        super().__init__(**kwargs)
        self.board: Dashboard | None = None
        self.clock_source = clock_source

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="counts")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def show(self, board: Dashboard) -> None:
        self.board = board
        self.query_one("#counts", Static).update(" " + counts_line(board.counts))
        self.tick()

    @property
    def clock_label(self) -> str:
        if self.board is None:
            return ""
        return clock_text(self.board.clock, self.clock_source()).plain

    def tick(self) -> None:
        if self.board is None:
            return
        at: datetime = self.clock_source()
        title = Text.assemble((" WARROOM ", "bold reverse"), "  ", (self.board.name, "bold"))
        clock = clock_text(self.board.clock, at)
        pad = max(1, self.size.width - title.cell_len - clock.cell_len - 1)
        self.query_one("#title", Static).update(Text.assemble(title, " " * pad, clock))
