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
    Action("artifact.date_order", "o", "date_order", "Date order",
           "Choose how the artifact's birth dates that read both ways (04/07/1990) are read:"
           " day first or month first; it is scanned again so", "artifact",
           show=False),     # said in the report when a file needs it; in help and palette
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
            "pageup": "PgUp", "pagedown": "PgDn", "plus": "+", "space": "␣",
            "exclamation_mark": "!"}.get(key, key)


def scope_title(scope: str) -> str:
    return {"app": "Anywhere", "list": "Lists (timeline, roster, downloaders, tips)",
            "dialog": "Windows", "artifact-path": "Artifact path box",
            "takedown": "Takedown draft", "location-form": "New location form",
            "tip-form": "New tip form", "tip-ask": "Tip questions",
            "form": "Forms", "confirm": "Confirmations", "person": "Person detail",
            }.get(scope, f"{TAB_TITLES.get(scope, scope)} tab")


# ---------------------------------------------------------------- the Notify, Holds and Tasks
# tabs (issue 9's console part): their keys, and those of their forms and confirmations


def _roster(tab: str, noun: str, main: str) -> list[Action]:
    """The keys the Notify and Holds tabs share; `main` ("notify" | "hold") is the tab's own
    bulk action, the one its palette entry names."""
    def act(name: str, key: str, action: str, label: str, tip: str, show: bool = True,
            palette: bool = True) -> Action:
        return Action(f"{tab}.{name}", key, action, label, tip, tab, show, palette)

    return [
        act("open", "enter", "open_detail", "Details", "Open the person under the cursor:"
            " fields (redacted), notice, hold, who touched them last, their history",
            show=False),
        act("search", "slash", "open_search", "Search", "Show only the people whose name,"
            " A-number or counsel holds a text (Enter applies it, Escape clears)"),
        act("facility", "f", "pick('facility')", "Facility",
            "Show only the people held at one facility (chosen from a list, with counts)"),
        act("nationality", "c", "pick('nationality')", "Country",
            "Show only the people of one nationality (chosen from a list, with counts)",
            show=False),
        act("state", "s", "pick_state", f"{noun} state",
            f"Show only the people whose {noun.lower()} is in one state", show=False),
        act("high-risk", "exclamation_mark", "toggle('high_risk')", "High-risk",
            "Show only the people flagged high-risk (again: everyone)", show=False),
        act("overdue", "o", "toggle('overdue')", "Overdue", "Show only the people whose"
            " notice or hold missed its deadline (again: everyone)", show=False),
        act("alarm", "a", "toggle('alarm')", "Alarms", "Show only the people with a removal"
            " alarm: a removal in a hold or before notice, a hold ending before notice",
            show=False),
        act("conflicts", "i", "toggle('conflict')", "Conflicts", "Show only the people"
            " whose A-number came with another name or birth date (≠) (again: everyone)",
            show=False),
        act("clear", "escape", "clear_filter", "Clear filters",
            "Clear every filter of this tab and show everyone", show=False),
        # each tab's footer shows its own bulk action (the other one works all the same)
        act("notify", "n", "record('notify')", "Notify people", "Record notification work"
            " (state, channel, date, note) for the person under the cursor or everyone shown;"
            " states the count and asks first", show=main == "notify",
            palette=main == "notify"),
        act("hold", "h", "record('hold')", "Hold removals", "Record removal-hold work (state,"
            " type, end, removal date, note) for the person under the cursor or everyone"
            " shown; states the count and asks first", show=main == "hold",
            palette=main == "hold"),
        act("reveal", "v", "reveal", "Reveal person", "Reveal the person under the cursor:"
            " asks why, journals it (who, when, why), shows the full record in the detail"
            " only", show=main == "notify", palette=main == "notify"),
    ]


ACTIONS += [
    *_roster("notify", "Notice", "notify"),
    *_roster("holds", "Hold", "hold"),
    Action("holds.work", "w", "toggle('work')", "Work order", "Order by scheduled removal"
           " soonest, then high-risk, then the rest (again: by id)", "holds"),
    Action("tasks.open", "enter", "open_detail", "Details",
           "Open the task under the cursor: due time, owner, assignee, note, who closed it",
           "tasks", show=False),
    Action("tasks.done", "d", "done", "Task done",
           "Mark the task under the cursor done, with a note (journaled as you)", "tasks"),
    Action("tasks.assign", "a", "assign", "Assign task",
           "Assign the task under the cursor to a responder or a role", "tasks"),
    Action("tasks.add", "plus", "add", "Add task",
           "Add a task: a title, a checklist and a due time (T0+4h, +30m or a time)", "tasks"),
    Action("tasks.overdue", "o", "toggle_overdue", "Overdue only",
           "Show only the tasks past their due time (again: every task)", "tasks"),
    Action("form.submit", "ctrl+s", "submit", "Save",
           "Record what the form says (Enter in a field does the same)", "form",
           palette=False),
    Action("confirm.yes", "y", "confirm", "Yes, record it",
           "Record it: one event a person, journaled as you", "confirm", palette=False),
    Action("confirm.no", "n", "close", "No", "Leave everything as it is", "confirm",
           palette=False),
    Action("person.reveal", "v", "reveal", "Reveal",
           "Reveal this person: asks why, journals it, shows the full record here only",
           "person", palette=False),
]
