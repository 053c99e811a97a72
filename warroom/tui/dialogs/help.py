"""Every key of the console, from the one action registry, by where it works."""

from __future__ import annotations

from itertools import groupby

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from warroom.tui import actions
from warroom.tui.dialogs.base import Dialog


def keys_table() -> Group:
    """The registry by scope: a heading, then key, action and what it does."""
    parts: list = []
    for scope, group in groupby(actions.ACTIONS, key=lambda a: a.scope):
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("key", style="bold cyan", no_wrap=True, width=7)
        table.add_column("what", no_wrap=True, width=16)
        table.add_column("more", ratio=1, style="dim")
        for a in group:
            if a.action != "close" or a.key == "escape":
                table.add_row(actions.key_label(a.key), a.description, a.tooltip)
        parts += [Text(actions.scope_title(scope), style="bold underline"), table, Text("")]
    parts.append(Text("ctrl+p opens the command palette: every action above, by name."))
    return Group(*parts)


class HelpScreen(Dialog):
    HEADING = "Keys"

    def body(self) -> ComposeResult:
        yield Static(keys_table())
