"""A tab whose tools are still to come: it says what the tab will hold and what the journal
already knows for it, so a responder is never shown a blank pane."""

from __future__ import annotations

from textual.widgets import Static

from warroom.dashboard import Dashboard

WHAT = {
    "artifact": "Acquire the leaked file, keep a sealed copy, scan it and import the roster.",
    "notify": ("Notification of every exposed person, or their counsel: in person in custody,"
               " by neutral mail after release. Never through a home government or consulate."),
    "holds": ("Removal holds: no exposed person is removed until the impact on the case is"
              " assessed."),
    "downloaders": "Who downloaded the file, from the access logs; claw-back letters and"
                   " attestations of deletion.",
    "tips": "Tips from advocacy groups: copies found, clients affected.",
    "tasks": "The response checklists, with due times from discovery (T0).",
}


class PendingPanel(Static):
    DEFAULT_CSS = "PendingPanel { padding: 1 2; }"

    def __init__(self, tab: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tab = tab

    def show(self, board: Dashboard) -> None:
        c = board.counts
        known = {
            "artifact": (f"{c['artifacts']:,} artifacts acquired,"
                         f" {c['people']:,} people in the roster"),
            "notify": f"{c['notified']:,} of {c['people']:,} people notified",
            "holds": f"{c['holds']:,} of {c['people']:,} people under a removal hold",
            "downloaders": f"{c['downloaders']:,} downloaders known ({c['bots']} bots)",
            "tips": f"{c['tips']:,} tips, {c['tips_new']:,} not yet triaged",
            "tasks": f"{c['tasks_open']:,} tasks open",
        }[self.tab]
        self.update(f"{WHAT[self.tab]}\n\nIn the journal now: {known}.\n\n"
                    "The tools for this tab are not built yet; the timeline records everything.")
