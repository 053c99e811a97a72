"""What every dialog shares: a framed box with a title over the console, its own footer,
closed with Escape (or q, or ?)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from warroom.tui import actions


class Dialog(ModalScreen[None]):
    BINDINGS = actions.bindings("dialog")
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > #box { width: 90%; max-width: 120; height: auto; max-height: 90%;
                    border: thick $primary; background: $surface; padding: 0 1; }
    Dialog #box-title { text-style: bold; height: 1; }
    Dialog #box-body { height: auto; max-height: 100%; }
    """

    HEADING = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(self.title_text(), id="box-title")
            with VerticalScroll(id="box-body"):
                yield from self.body()
        yield Footer()

    def title_text(self) -> Text:
        return Text(self.HEADING)

    def body(self) -> ComposeResult:
        yield from ()

    def action_close(self) -> None:
        self.dismiss(None)
