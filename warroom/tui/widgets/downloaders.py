"""The downloaders: a virtual list (only the rows in view are read, in workers), first seen
first, filtered by kind (all, complete, partial, bots) and by a text in the address."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from rich.segment import Segment
from rich.style import Style

from warroom.journal import queries
from warroom.render.console import cut_middle, fit, short_time
from warroom.render.safe import clean
from warroom.tui.widgets.virtual import VirtualList

# what each filter key shows, as the queries' (complete, bot)
MODES: dict[str, tuple[bool | None, bool | None]] = {
    "all": (None, None), "complete": (True, None), "partial": (False, None),
    "bots": (None, True)}
COLUMNS = (("client", 17), ("got", 8), ("bot", 3), ("bytes", 11), ("reqs", 5),
           ("first seen", 12), ("last seen", 12), ("user agent", 0))
WIDE = 140   # from this width on, an IPv6 address and the weekday fit whole


@dataclass(frozen=True)
class Shown:
    """Which downloaders the list shows: a filter key's mode and a text in the address."""

    mode: str = "all"
    search: str | None = None

    def query(self) -> dict:
        complete, bot = MODES[self.mode]
        return {"complete": complete, "bot": bot, "search": self.search}


def widths(width: int) -> list[int]:
    sizes = [w for _, w in COLUMNS]
    if width >= WIDE:
        sizes[0], sizes[5], sizes[6] = 39, 16, 16
    fixed = sum(w + 1 for w in sizes if w)
    return [w or max(8, width - fixed) for w in sizes]


def header_line(width: int) -> str:
    return " ".join(fit(title, w) for (title, _), w in zip(COLUMNS, widths(width)))


def agent(row: dict, width: int) -> str:
    """The first user agent, cut in the middle, and how many more there are."""
    agents = row["user_agents"]
    if not agents:
        return "—"
    more = f" +{len(agents) - 1}" if len(agents) > 1 else ""
    return cut_middle(clean(agents[0]), max(1, width - len(more))) + more


def cells(row: dict, at: datetime, cuts: list[int]) -> list[tuple[str, Style | None]]:
    """A downloader's cells with their styles: a complete copy stands out, a bot is dimmed."""
    wide = cuts[5] > 12
    return [
        (cut_middle(clean(row["client"]), cuts[0]), None),
        ("complete", Style(bold=True, color="red")) if row["complete"] else ("partial", None),
        ("bot", Style(dim=True)) if row["bot"] else ("", None),
        ((f"{row['bytes']:,}" if row["bytes"] else "—").rjust(cuts[3]), None),
        (f"{row['requests']:,}".rjust(cuts[4]), None),
        (short_time(row["first_seen"], at, wide), None),
        (short_time(row["last_seen"], at, wide), None),
        (agent(row, cuts[7]), Style(dim=True) if row["bot"] else None),
    ]


class DownloadersView(VirtualList):
    """Downloaders first seen first, read a page at a time off the UI thread."""

    WHAT = "downloaders"

    def count(self, conn: sqlite3.Connection, filter: Shown) -> int:
        return queries.downloaders_count(conn, **filter.query())

    def read(self, conn: sqlite3.Connection, offset: int, limit: int,
             filter: Shown) -> list[dict]:
        return queries.downloaders(conn, offset, limit, **filter.query())

    def row(self, row: dict, width: int, style: Style) -> list[Segment]:
        cuts = widths(width)
        out: list[Segment] = []
        for n, ((text, cell_style), w) in enumerate(zip(cells(row, self._clock(), cuts),
                                                        cuts)):
            if n:
                out.append(Segment(" ", style))
            out.append(Segment(fit(clean(text), w), style + cell_style if cell_style
                               else style))
        return out
