"""The incident header: name and the live exposure clock; the counts that matter (whole
counts only, as many as fit) and, unobtrusive at the right, the journal's chain head."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from warroom.dashboard import Dashboard
from warroom.model import now
from warroom.render.console import clock_text, counts_line, fit
from warroom.render.safe import clean

# issue 7: an import cut off half-way is named by verify, by scan and here
UNFINISHED_HELP = ("An import into the roster began and never finished (the process was"
                   " stopped half-way): `warroom verify` names it. Import the same artifact"
                   " again (Artifact tab, i) to complete it.")


def unfinished_mark(n: int) -> Text:
    """The header's warning while an import is unfinished (nothing when none is)."""
    if not n:
        return Text("")
    what = "import unfinished" if n == 1 else f"{n} imports unfinished"
    return Text(f" ⚠ {what} ", style="bold black on yellow")


class IncidentHeader(Vertical):
    DEFAULT_CSS = """
    IncidentHeader { height: 2; background: $panel; }
    IncidentHeader > #title { height: 1; }
    IncidentHeader > #counts { height: 1; color: $text-muted; }
    """

    def __init__(self, clock_source: Callable[[], datetime] = now, **kwargs) -> None:
        super().__init__(**kwargs)
        self.board: Dashboard | None = None
        self.clock_source = clock_source

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble((" WARROOM ", "bold reverse"), "  reading the journal…"),
                     id="title")
        yield Static(id="counts")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def show(self, board: Dashboard) -> None:
        self.board = board
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    @property
    def clock_label(self) -> str:
        if self.board is None:
            return ""
        return clock_text(self.board.clock, self.clock_source()).plain

    def draw(self) -> None:
        if self.board is None:
            return
        self.tick()
        width = self.size.width
        head = f"head {self.board.head[:8]} " if self.board.head else ""
        warning = unfinished_mark(self.board.counts.get("imports_unfinished", 0))
        line = self.query_one("#counts", Static)
        line.tooltip = UNFINISHED_HELP if warning else None
        room = width - len(head) - 3 - (warning.cell_len + 1 if warning else 0)
        counts = " " + counts_line(self.board.counts, max(10, room))
        gap = " " if warning else ""
        pad = max(1, width - cell_len(counts) - len(head) - warning.cell_len - len(gap))
        line.update(Text.assemble(counts, " " * pad, warning, gap, (head, "dim")))

    def tick(self) -> None:
        if self.board is None:
            return
        badge = Text(" WARROOM ", style="bold reverse")
        clock = clock_text(self.board.clock, self.clock_source())
        room = max(8, self.size.width - badge.cell_len - clock.cell_len - 4)
        name = Text(fit(clean(self.board.name), room).rstrip(), style="bold")
        pad = max(1, self.size.width - badge.cell_len - 2 - name.cell_len - clock.cell_len - 1)
        self.query_one("#title", Static).update(Text.assemble(badge, "  ", name, " " * pad,
                                                              clock))
