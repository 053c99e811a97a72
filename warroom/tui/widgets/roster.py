"""The roster: exposed people, redacted, in a virtual list (`widgets/virtual.py`) that reads
only the pages around the view, for the filter in view (`checklists.people`), in workers.
The Notify and Holds tabs show it with their own columns; every row says who touched the
person last, and when."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from rich.segment import Segment
from rich.style import Style

from warroom.checklists import people
from warroom.checklists.filters import PeopleFilter
from warroom.model import parse_instant
from warroom.render.checklists import HOLD_STYLES, NOTIFY_STYLES
from warroom.render.console import columns_line, fit
from warroom.render.safe import clean
from warroom.tui.widgets.virtual import VirtualList

# (title, width (0: takes what is left), dropped first when narrow: higher)
COLUMNS = {
    "notify": (("id", 6, 0), ("person", 22, 0), ("country", 11, 1), ("facility", 0, 0),
               ("notice", 22, 0), ("last touched", 16, 0)),
    "holds": (("id", 6, 0), ("person", 22, 0), ("country", 11, 1), ("facility", 0, 0),
              ("hold", 17, 0), ("removal", 18, 0), ("last touched", 16, 0)),
}
MIN_FLEX = 14
# a removal alarm in a few words, beside the removal date (the detail says it in full)
ALARM_SHORT = {"removal_in_hold": "in hold", "removal_before_notice": "unnotified",
               "hold_ends_before_notice": "hold ends early",
               "removed_before_notice": "unnotified", "removed_during_hold": "in hold"}


def layout(columns: tuple, width: int) -> list[tuple[int, int]]:
    """(column index, width) of the columns that fit: the flexible one gets what is left,
    at least MIN_FLEX; when it would get less, the columns that matter least are left out."""
    shown = list(range(len(columns)))
    while True:
        fixed = sum(columns[i][1] + 1 for i in shown if columns[i][1])
        if width - fixed >= MIN_FLEX or not any(columns[i][2] for i in shown):
            return [(i, columns[i][1] or max(MIN_FLEX, width - fixed)) for i in shown]
        shown.remove(max(shown, key=lambda i: columns[i][2]))


def header_line(columns: tuple, width: int) -> str:
    cut = layout(columns, width)
    return columns_line([columns[i][0] for i, _ in cut], [w for _, w in cut])


def short_time(utc: str | None, at: datetime) -> str:
    """'14:31' today, '27 Nov' another day."""
    if not utc:
        return ""
    moment = parse_instant(utc).astimezone(at.tzinfo)
    return moment.strftime("%H:%M" if moment.date() == at.date() else "%d %b")


def cells(p: dict, tab: str, at: datetime) -> list[tuple[str, str]]:
    """(text, style) for each column of a tab, from a person as `people.page` gives them."""
    n, h = p["notification"], p["hold"]
    high = p["high_risk"]   # marked on the person: the country column goes first
    flags = p.get("risk_flags") or ()
    # ▲ high-risk, § why when the record shows a claim (8 CFR 208.6), ≠ two identities:
    # each in its own place, so the marks and the A-numbers line up down the list
    marks = ("▲" if high else " ") + ("§" if "protected_208_6" in flags else " ") + (
        "≠" if "identity_conflict" in flags else " ")
    touched = p["last_touched"]
    # the time first: it has a fixed width, and a long name is then cut, not the time
    last = f"{short_time(touched['at'], at)} {touched['by']}" if touched["by"] else "—"
    row = [(f"{p['id']:>6}", ""),
           (marks + f"{p['a_number']} {p['name'] or '?'}",
            "bold red" if high else "bold yellow" if marks.strip() else ""),
           (p["nationality"] or "?", ""), (p["facility"] or "", "")]
    if tab == "notify":
        late = "notify" in p["overdue"]
        notice = n["state"] + (f" {n['channel']}" if n["channel"] else "")
        row.append((notice + (" OVERDUE" if late else ""),
                    "bold red" if late else NOTIFY_STYLES.get(n["state"], "")))
    else:
        late = "hold" in p["overdue"]
        hold = h["state"] + (f" →{h['expires'][5:]}" if h["expires"] and h["state"] in
                             ("requested", "placed") else "")
        row.append((hold + (" OVERDUE" if late else ""),
                    "bold red" if late else HOLD_STYLES.get(h["state"], "")))
        removal = (f"REMOVED {h['removed_at'][5:10]}" if h["removed_at"]
                   else (h["removal_date"] or "")[5:])
        alarm = ALARM_SHORT.get(h["alarms"][0], "alarm") if h["alarms"] else ""
        row.append((f"⚠ {removal} {alarm}".replace("  ", " ") if alarm else removal,
                    "bold red" if alarm or h["removed_at"] else "yellow"))
    row.append((last, "dim"))
    return row


class RosterView(VirtualList):
    """People for a `PeopleFilter`, a page at a time off the UI thread, redacted."""

    WHAT = "roster"
    DEFAULT_CSS = "RosterView { height: 1fr; }"

    def __init__(self, conn: Callable[[], sqlite3.Connection], clock: Callable[[], datetime],
                 tab: str, **kwargs) -> None:
        super().__init__(conn, clock, PeopleFilter(), **kwargs)
        self.tab = tab
        self.columns = COLUMNS[tab]

    def count(self, conn: sqlite3.Connection, filter: PeopleFilter) -> int:
        return people.count(conn, filter, self._clock())

    def read(self, conn: sqlite3.Connection, offset: int, limit: int,
             filter: PeopleFilter) -> list[dict]:
        return people.page(conn, filter, offset, limit, self._clock())

    def row(self, person: dict, width: int, style: Style) -> list[Segment]:
        out: list[Segment] = []
        row = cells(person, self.tab, self._clock())
        for i, w in layout(self.columns, width):
            text, cell_style = row[i]
            if out:
                out.append(Segment(" ", style))
            # the cursor's row is one even bar: the cells' colours would patch it
            colour = cell_style and not style.reverse
            out.append(Segment(fit(clean(text), w),
                               style + Style.parse(cell_style) if colour else style))
        return out
