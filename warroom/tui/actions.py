"""One registry of actions: it drives the key bindings (the app's, each panel's, each
widget's and dialog's), the footer, the help screen and the command palette, so a key, its
label and its palette entry cannot drift apart.

Each action has a scope: "app" (anywhere), a panel's tab ("timeline", "artifact", …), or a
widget or dialog ("list", "dialog", "takedown", …). The palette offers every action that has a
description worth offering; running a panel's action from the palette opens its tab first.
"""

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
    scope: str = "app"
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
TAB_TITLES = {tab: title for tab, title, _ in TABS}


def _keys(scope: str, *moves: tuple[str, ...]) -> list[Action]:
    """Moves: (name, key, action, label[, tooltip]), kept out of the footer and the palette."""
    return [Action(f"{scope}.{name}", key, action, label, more[0] if more else label, scope,
                   show=False, palette=False) for name, key, action, label, *more in moves]


ACTIONS: list[Action] = [
    # ---------------------------------------------------------------- anywhere
    *(Action(f"tab-{tab}", str(n), f"show_tab('{tab}')", f"Show {title}",
             f"Show the {title} tab: {what}", show=False)
      for n, (tab, title, what) in enumerate(TABS, start=1)),
    # hidden from the footer: the tabs that filter show their own "/", and the journal is
    # read again within a second anyway
    Action("filter", "slash", "filter", "Filter", "Filter the timeline by a word",
           show=False),
    Action("refresh", "r", "refresh", "Refresh", "Read the journal again now", show=False),
    Action("exposure", "e", "exposure", "Exposure window",
           "The exposure window: posted, first and last access, discovered, taken down,"
           " contained, each with its source and confidence, and the gaps", show=False),
    Action("help", "question_mark", "help", "Help", "Show every key and what it does"),
    Action("quit", "q", "quit", "Quit", "Leave the console (the journal keeps everything)",
           palette=False),
    # ---------------------------------------------------------------- the timeline tab
    Action("timeline.open", "enter", "open_detail", "Details",
           "Open the selected event in full: both clocks, every field, its hash", "timeline"),
    Action("timeline.filter", "slash", "open_filter", "Filter",
           "Filter the timeline by a word (Enter applies it, Escape clears it)", "timeline",
           palette=False),
    Action("timeline.clear", "escape", "clear_filter", "Clear filter",
           "Clear the timeline's filter and show every event", "timeline"),
    Action("timeline.exposure", "e", "app.exposure", "Exposure",
           "The exposure window with its evidence: moments, sources, confidence, gaps",
           "timeline", palette=False),
    # ---------------------------------------------------------------- any long list
    *_keys("list", ("up", "up", "cursor(-1)", "Previous row"),
           ("down", "down", "cursor(1)", "Next row"),
           ("page-up", "pageup", "cursor(-20)", "Page up"),
           ("page-down", "pagedown", "cursor(20)", "Page down"),
           ("first", "home", "cursor_to(0)", "First row", "First row (the timeline: newest)"),
           ("last", "end", "cursor_to(-1)", "Last row", "Last row (the timeline: oldest)")),
    # ---------------------------------------------------------------- the artifact tab
    Action("artifact.acquire", "a", "acquire", "Acquire",
           "Acquire the leaked file from a URL or a path, keep a sealed copy and scan it",
           "artifact"),
    Action("artifact.scan", "s", "scan", "Scan",
           "Scan the artifact under the cursor again", "artifact"),
    Action("artifact.import", "i", "import_roster", "Import",
           "Scan the artifact under the cursor and import its people into the roster",
           "artifact"),
    Action("artifact.probe", "p", "probe", "Probe",
           "Probe every location now: is the file still served there? (by its content)",
           "artifact"),
    Action("artifact.takedown", "t", "takedown", "Takedown",
           "Draft the takedown request for the location under the cursor; r in it records"
           " the request", "artifact"),
    Action("artifact.location", "l", "add_location", "Add location",
           "Add a place where the file is or was (a URL and its kind)", "artifact"),
    Action("artifact-path.back", "escape", "back_to_list", "Back to list",
           "Leave the path box and return to the artifact list", "artifact-path",
           palette=False),
    # ---------------------------------------------------------------- the downloaders tab
    Action("downloaders.open", "enter", "open_detail", "Details",
           "Open the downloader under the cursor: its rows per log import, user agents and"
           " contact state", "downloaders"),
    Action("downloaders.all", "a", "show_only('all')", "All",
           "Show every downloader", "downloaders"),
    Action("downloaders.complete", "c", "show_only('complete')", "Complete",
           "Show only the downloaders that received the whole file", "downloaders"),
    Action("downloaders.partial", "p", "show_only('partial')", "Partial",
           "Show only the downloaders that received part of the file", "downloaders"),
    Action("downloaders.bots", "b", "show_only('bots')", "Bots",
           "Show only the crawlers, archives and scripts", "downloaders"),
    Action("downloaders.search", "slash", "open_search", "Search",
           "Show only the downloaders whose address holds a text (Enter applies it)",
           "downloaders"),
    Action("downloaders.clear", "escape", "clear_search", "Clear",
           "Clear the search and show the downloaders of the chosen filter", "downloaders",
           palette=False),
    # contact work on downloaders (claw-back letters, attestations) is the checklists':
    # its actions join this tab's here
    # ---------------------------------------------------------------- the tips tab (issue 10)
    Action("tips.open", "enter", "open_detail", "Details",
           "Open the tip under the cursor: its whole text, URLs, A-numbers (redacted), the"
           " roster's answer and its triage history", "tips"),
    Action("tips.new", "n", "new_tip", "New tip",
           "Record a new tip: source, contact, channel, text, URLs, A-numbers", "tips"),
    Action("tips.verify", "v", "triage('verified')", "Verify",
           "Mark the tip under the cursor verified (its claim checked)", "tips"),
    Action("tips.action", "x", "triage('actioned')", "Actioned",
           "Mark the tip under the cursor actioned (what it asked for is done)", "tips"),
    Action("tips.dismiss", "d", "triage('dismissed')", "Dismiss",
           "Dismiss the tip under the cursor, with a reason (the review will ask)", "tips"),
    Action("tips.locations", "l", "add_locations", "Add URLs",
           "Add the tip's URLs as locations to probe (those not yet a location)", "tips"),
    *(Action(f"tips.show-{mode}", key, f"show_only('{mode}')", f"{mode.capitalize()} tips",
             f"Show {'every tip' if mode == 'all' else f'only the {mode} tips'}", "tips",
             show=False)
      for mode, key in (("all", "A"), ("new", "N"), ("verified", "V"), ("actioned", "X"),
                        ("dismissed", "D"))),
    Action("tip-form.send", "ctrl+s", "send", "Record tip",
           "Check and record the tip (the journal keeps it; a receipt is shown)", "tip-form",
           palette=False),
    Action("tip-form.cancel", "escape", "cancel", "Cancel",
           "Close the form without recording anything", "tip-form", palette=False),
    Action("tip-ask.yes", "y", "answer(True)", "Yes", "Yes", "tip-ask", palette=False),
    Action("tip-ask.no", "escape", "answer(False)", "No", "No: close without doing it",
           "tip-ask", palette=False),
    # ---------------------------------------------------------------- dialogs
    Action("dialog.close", "escape", "close", "Close", "Close this window", "dialog"),
    Action("dialog.close-q", "q", "close", "Close", "Close this window", "dialog", show=False,
           palette=False),
    Action("dialog.close-help", "question_mark", "close", "Close", "Close this window",
           "dialog", show=False, palette=False),
    Action("takedown.record", "r", "record", "Record request",
           "Journal that this request was sent, by the usual way for this kind of location",
           "takedown", palette=False),
    Action("takedown.copy", "c", "copy", "Copy",
           "Copy the draft to the clipboard (if the terminal allows it)", "takedown",
           palette=False),
    Action("location-form.add", "ctrl+s", "add", "Add",
           "Add the location (Enter in the URL box does the same)", "location-form",
           palette=False),
    Action("location-form.cancel", "escape", "cancel", "Cancel",
           "Close the form without adding anything", "location-form", palette=False),
]


def in_scope(scope: str) -> list[Action]:
    return [a for a in ACTIONS if a.scope == scope]


def bindings(scope: str = "app") -> list[Binding]:
    return [Binding(a.key, a.action, a.description, show=a.show, tooltip=a.tooltip, id=a.id)
            for a in in_scope(scope)]


def key_label(key: str) -> str:
    return {"slash": "/", "question_mark": "?", "escape": "esc", "enter": "⏎",
            "pageup": "PgUp", "pagedown": "PgDn"}.get(key, key)


def scope_title(scope: str) -> str:
    return {"app": "Anywhere", "list": "Lists (timeline, downloaders)", "dialog": "Windows",
            "artifact-path": "Artifact path box", "takedown": "Takedown draft",
            "location-form": "New location form",
            "tip-form": "New tip form", "tip-ask": "Tip questions",
            }.get(scope, f"{TAB_TITLES.get(scope, scope)} tab")
