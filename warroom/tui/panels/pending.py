"""A tab whose tools are still to come: it says what the tab will hold and what the journal
already knows for it, so a responder is never shown a blank pane."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from warroom.dashboard import Dashboard
from warroom.tui.panels.base import Panel

WHAT = {
    "notify": ("Notification of every exposed person, or their counsel: in person in custody,"
               " by neutral mail after release. Never through a home government or consulate."),
    "holds": ("Removal holds: no exposed person is removed until the impact on the case is"
              " assessed."),
    "tips": "Tips from advocacy groups: copies found, clients affected.",
    "tasks": "The response checklists, with due times from discovery (T0).",
}


def known(tab: str, c: dict[str, int]) -> str:
    return {
        "notify": f"{c['notified']:,} of {c['people']:,} people notified",
        "holds": f"{c['holds']:,} of {c['people']:,} people under a removal hold",
        "tips": f"{c['tips']:,} tips, {c['tips_new']:,} not yet triaged",
        "tasks": f"{c['tasks_open']:,} tasks open",
    }[tab]


class PendingPanel(Panel):
    DEFAULT_CSS = "PendingPanel > Static { padding: 1 2; }"

    def compose(self) -> ComposeResult:
        yield Static(Text(WHAT[self.tab]), id=f"pending-{self.tab}")

    def focus_target(self) -> Widget | None:
        return None

    def show_news(self, board: Dashboard) -> None:
        self.query_one(Static).update(Text(
            f"{WHAT[self.tab]}\n\nIn the journal now: {known(self.tab, board.counts)}.\n\n"
            "The tools for this tab are not built yet; the timeline records everything."))
