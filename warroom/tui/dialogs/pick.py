"""Pick one value from a list (a facility, a nationality, a state), with how many people
each holds; the first choice clears the filter. The result is the value, "" for any, or
None when closed without a choice."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from warroom.render.safe import safe_text
from warroom.tui.dialogs.base import Dialog


class PickScreen(Dialog):
    DEFAULT_CSS = "PickScreen OptionList { height: auto; max-height: 20; }"

    def __init__(self, heading: str, choices: list[tuple[str, int]],
                 current: str | None) -> None:
        super().__init__()
        self.HEADING = heading
        self.choices = choices
        self.current = current

    def body(self) -> ComposeResult:
        options = [Option(safe_text("any (clear this filter)", "italic"))]
        for value, n in self.choices:
            label = safe_text(value)
            label.append(f"  {n:,}", style="dim")
            options.append(Option(label))
        yield OptionList(*options, id="choices")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        values = [v for v, _ in self.choices]
        picker.highlighted = values.index(self.current) + 1 if self.current in values else 0
        picker.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = event.option_index
        self.dismiss(self.choices[index - 1][0] if index else "")
