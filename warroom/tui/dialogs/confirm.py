"""A question before anything is recorded: what will happen, to how many, and what is
refused. `y` goes ahead (only when there is something to do and nothing is refused); Escape
or `n` leaves everything as it is. The result is True only when the responder said yes."""

from __future__ import annotations

from rich.console import Group, RenderableType
from textual.app import ComposeResult
from textual.widgets import Static

from warroom.tui import actions
from warroom.tui.dialogs.base import Dialog


class ConfirmScreen(Dialog):
    BINDINGS = actions.bindings("confirm")

    def __init__(self, heading: str, lines: list[RenderableType], can_confirm: bool) -> None:
        super().__init__()
        self.HEADING = heading
        self.lines = lines
        self.can_confirm = can_confirm

    def body(self) -> ComposeResult:
        yield Static(Group(*self.lines), id="confirm-text")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "confirm":
            return self.can_confirm
        return True

    def action_confirm(self) -> None:
        if self.can_confirm:
            self.dismiss(True)
