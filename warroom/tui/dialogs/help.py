"""Every key of the console, from the one action registry, by where it works."""

from __future__ import annotations

from itertools import groupby

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from warroom.tui import actions
from warroom.tui.dialogs.base import Dialog


def keys_table() -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("key", style="bold cyan", no_wrap=True)
    table.add_column("what", no_wrap=True)
    table.add_column("more", ratio=1, style="dim")
    for scope, group in groupby(actions.ACTIONS, key=lambda a: a.scope):
        table.add_row(Text(actions.scope_title(scope), style="bold underline"), "", "")
        for a in group:
            if a.action == "close" and a.key != "escape":
                continue
            table.add_row(actions.key_label(a.key), a.description, a.tooltip)
        table.add_row("", "", "")
    table.add_row("ctrl+p", "Command palette", "Every action above, by name")
    return table


class HelpScreen(Dialog):
    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Text("Keys · Escape closes"), id="box-title")
            with VerticalScroll(id="box-body"):
                yield Static(keys_table())
