"""One registry of actions: it drives the key bindings, the footer, the help panel and the
command palette, so a key, its label and its palette entry cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str
    key: str
    action: str
    description: str
    tooltip: str
    show: bool = True
    palette: bool = True


TABS = [
    ("timeline", "Timeline", "the exposure timeline, newest first"),
    ("artifact", "Artifact", "acquire, scan and import the leaked file"),
    ("notify", "Notify", "notification of every exposed person"),
    ("holds", "Holds", "removal holds for exposed people"),
    ("downloaders", "Downloaders", "who took the file, and deletion requests"),
    ("tips", "Tips", "tips from advocacy groups and the public"),
    ("tasks", "Tasks", "the response checklists"),
]

ACTIONS: list[Action] = [
    *(Action(f"tab-{tab}", str(n), f"show_tab('{tab}')", title, f"Show the {title} tab: {what}",
             show=False)
      for n, (tab, title, what) in enumerate(TABS, start=1)),
    Action("filter", "slash", "filter", "Filter", "Filter the timeline by a word"),
    Action("refresh", "r", "refresh", "Refresh", "Read the journal again now"),
    Action("help", "question_mark", "toggle_help", "Help", "Show or hide the keys"),
    Action("quit", "q", "quit", "Quit", "Leave the console (the journal keeps everything)"),
]


def bindings() -> list[Binding]:
    return [Binding(a.key, a.action, a.description, show=a.show, tooltip=a.tooltip, id=a.id)
            for a in ACTIONS]
