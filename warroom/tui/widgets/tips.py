"""The tips: a list newest received first, filtered by triage state, read off the UI thread
(a subclass of the one virtual list). A confidential tip shows "(confidential source)" in
place of its organisation; only its detail names the source, under a clear marker."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from rich.segment import Segment
from rich.style import Style

from warroom.journal import queries
from warroom.model import TipState
from warroom.render.console import fit, short_time
from warroom.render.safe import clean
from warroom.tui.widgets.virtual import VirtualList

CONFIDENTIAL = "(confidential source)"
MODES = ("all", *(s.value for s in TipState))
COLUMNS = (("#", 3), ("received", 12), ("source", 28), ("channel", 9), ("state", 9),
           ("urls", 4), ("A#", 3), ("text", 0))
STATE_STYLE = {TipState.NEW: Style(bold=True, color="yellow"),
               TipState.VERIFIED: Style(color="cyan"),
               TipState.ACTIONED: Style(color="green"),
               TipState.DISMISSED: Style(dim=True)}


def widths(width: int) -> list[int]:
    sizes = [w for _, w in COLUMNS]
    fixed = sum(w + 1 for w in sizes if w)
    return [w or max(8, width - fixed) for w in sizes]


def header_line(width: int) -> str:
    return " ".join(fit(title, w) for (title, _), w in zip(COLUMNS, widths(width)))


def source_of(tip: dict) -> str:
    """What the list may say of who sent it: never a confidential source's name."""
    if tip["confidential"]:
        return CONFIDENTIAL
    return tip["source"] + (f" · {tip['contact']}" if tip.get("contact") else "")


def cells(tip: dict, at: datetime) -> list[tuple[str, Style | None]]:
    state = tip["state"]
    return [
        (str(tip["id"]), None),
        (short_time(tip["received_at"], at), None),
        (source_of(tip), Style(italic=True) if tip["confidential"] else None),
        (tip.get("channel") or "—", None),
        (state, STATE_STYLE.get(state)),
        (str(len(tip["urls"])).rjust(4), None),
        (str(len(tip["a_numbers"])).rjust(3), None),
        (" ".join(tip["text"].split()), None),   # one line; `fit` cuts it with "…"
    ]


def read_tips(conn: sqlite3.Connection, mode: str) -> list[dict]:
    return queries.tips(conn, None if mode == "all" else mode)


class TipsView(VirtualList):
    """Tips newest received first, for the filter in `self.filter` (a state or "all")."""

    WHAT = "tips"

    def count(self, conn: sqlite3.Connection, filter: str) -> int:
        return len(read_tips(conn, filter))

    def read(self, conn: sqlite3.Connection, offset: int, limit: int,
             filter: str) -> list[dict]:
        return read_tips(conn, filter)[offset:offset + limit]   # tips are few: hundreds

    def row(self, tip: dict, width: int, style: Style) -> list[Segment]:
        out: list[Segment] = []
        for n, ((text, cell_style), w) in enumerate(zip(cells(tip, self._clock()),
                                                        widths(width))):
            if n:
                out.append(Segment(" ", style))
            out.append(Segment(fit(clean(text), w), style + cell_style if cell_style
                               else style))
        return out
