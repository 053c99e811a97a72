"""What every dialog shares: a framed box over the console, closed with Escape (or q, or ?)."""

from __future__ import annotations

from textual.screen import ModalScreen

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

    def action_close(self) -> None:
        self.dismiss(None)
