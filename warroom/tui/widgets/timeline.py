"""The timeline: a virtual list of events, newest first (`widgets/virtual.py` reads only the
pages around the view, in workers)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from rich.segment import Segment
from rich.style import Style

from warroom.journal import queries
from warroom.model import Event
from warroom.render.console import columns_line
from warroom.render.text import age, duration, is_alarm, local_time, summary
from warroom.tui.widgets.virtual import PAGE, PLACEHOLDER, VirtualList

__all__ = ["PAGE", "PLACEHOLDER", "TimelineView", "header_line", "widths"]

COLUMNS = (("happened", 26), ("learned", 16), ("what", 0), ("by", 14))
WIDE = 140   # from this width on, "happened" has room for the age of every event


def widths(width: int) -> list[int]:
    sizes = [w for _, w in COLUMNS]
    if width >= WIDE:
        sizes[0] = 34
    fixed = sum(w + 1 for w in sizes if w)
    return [w or max(10, width - fixed) for w in sizes]


def header_line(width: int) -> str:
    return columns_line([title for title, _ in COLUMNS], widths(width))


def happened(event: Event, at: datetime, width: int) -> str:
    """'14:31 (2 hours ago)', else '14:31 (2h ago)', else '14:31': the age is cut whole."""
    when = local_time(event.occurred_at, at)
    long = f"{when} ({age(event.occurred_at, at)})"
    if len(long) <= width:
        return long
    delta = at - event.occurred
    short = f"{when} ({duration(delta).split()[0]} ago)" if delta.total_seconds() >= 0 else when
    return short if len(short) <= width else when


def row_cells(event: Event, at: datetime, happened_width: int) -> list[str]:
    return [happened(event, at, happened_width), local_time(event.recorded_at, at),
            summary(event), event.actor]


class TimelineView(VirtualList):
    """Events newest first, read a page at a time off the UI thread; the filter is a word."""

    WHAT = "timeline"

    def count(self, conn: sqlite3.Connection, filter: str | None) -> int:
        return queries.timeline_count(conn, filter)

    def read(self, conn: sqlite3.Connection, offset: int, limit: int,
             filter: str | None) -> list[Event]:
        return queries.timeline(conn, offset, limit, filter)

    def row(self, event: Event, width: int, style: Style) -> list[Segment]:
        if is_alarm(event):
            style += Style(color="red", bold=True)
        cols = widths(width)
        return [Segment(columns_line(row_cells(event, self._clock(), cols[0]), cols), style)]

    @property
    def filter_text(self) -> str | None:
        return self.filter

    def set_filter(self, text: str | None) -> None:
        super().set_filter(text or None)

    def event_at(self, index: int) -> Event | None:
        return self.item_at(index)
