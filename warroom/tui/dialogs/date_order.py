"""How the birth dates of one artifact are read when every value reads both ways
(04/07/1990): as its values decide (month-first by default, flagged), day-first or
month-first. The result is "", "dmy" or "mdy", or None when closed without a choice."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from warroom.render.safe import safe_text
from warroom.tui.dialogs.base import Dialog

CHOICES = [
    ("", "As its values decide", "a column with 13–31 in one place keeps that order; one whose"
                                 " every date reads both ways is read month-first, flagged"),
    ("dmy", "Day first (dd/mm/yyyy)", "04/07/1990 is 4 July 1990: European and most copies"
                                      " made outside the US"),
    ("mdy", "Month first (mm/dd/yyyy)", "04/07/1990 is 7 April 1990: US agency exports"),
]


class DateOrderScreen(Dialog):
    DEFAULT_CSS = "DateOrderScreen OptionList { height: auto; max-height: 12; }"
    HEADING = "Birth dates that read both ways"

    def __init__(self, filename: str, current: str | None, proven: bool = False) -> None:
        super().__init__()
        self.filename = filename
        self.current = current or ""
        self.proven = proven        # its last scan found no ambiguous column

    def body(self) -> ComposeResult:
        yield Static(Text.assemble(
            "How should ", safe_text(self.filename, "bold"), " be read? The file is scanned"
            " again in that order; import it (i) afterwards and the roster takes it, correcting"
            " the dates an earlier import read the other way round."))
        if self.proven:
            yield Static(Text("Its last scan found every birth-date column's order proven by"
                              " its values: no choice here changes a date.", style="green"))
        options = []
        for value, label, help_text in CHOICES:
            line = Text(label, style="bold" if value == self.current else "")
            if value == self.current:
                line.append("  (now)", style="dim")
            line.append(f"\n  {help_text}", style="dim")
            options.append(Option(line, id=value or "auto"))
        yield OptionList(*options, id="orders")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        picker.highlighted = [v for v, _, _ in CHOICES].index(self.current)
        picker.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(CHOICES[event.option_index][0])
