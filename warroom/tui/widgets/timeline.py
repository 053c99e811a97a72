"""The timeline: a virtual list that reads only the visible window of events from SQLite, so a
journal of 100,000 events opens as fast as one of ten."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from warroom.journal import queries
from warroom.model import Event, now
from warroom.render.text import age, is_alarm, local_time, summary

PAGE = 100
COLUMNS = (("happened", 24), ("learned", 16), ("what", 0), ("by", 14))


def header_line(width: int) -> str:
    return _fit([title for title, _ in COLUMNS], width)


def _fit(cells: list[str], width: int) -> str:
    fixed = sum(w + 1 for _, w in COLUMNS if w)
    flex = max(10, width - fixed)
    parts = [set_cell_size(text, w or flex) for text, (_, w) in zip(cells, COLUMNS)]
    return " ".join(parts)


class TimelineView(ScrollView, can_focus=True):
    """Events newest first. Pages of events are read on demand and cached until the journal
    changes."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "cursor(-20)", "Page up", show=False),
        Binding("pagedown", "cursor(20)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
    ]
    DEFAULT_CSS = "TimelineView { height: 1fr; }"

    def __init__(self, conn: Callable[[], sqlite3.Connection], **kwargs) -> None:
        super().__init__(**kwargs)
        self._conn = conn
        self._pages: dict[int, list[Event]] = {}
        self.filter_text: str | None = None
        self.total = 0
        self.cursor = 0

    # -------------------------------------------------------------- data
    def reload(self) -> None:
        """Forget cached pages and re-count (after the journal changed or the filter did)."""
        self._pages.clear()
        self.total = queries.timeline_count(self._conn(), self.filter_text)
        self.cursor = min(self.cursor, max(0, self.total - 1))
        self.virtual_size = Size(self.size.width, self.total)
        self.refresh()

    def event_at(self, index: int) -> Event | None:
        if not 0 <= index < self.total:
            return None
        page = index // PAGE
        if page not in self._pages:
            if len(self._pages) > 50:
                self._pages.clear()
            self._pages[page] = queries.timeline(self._conn(), page * PAGE, PAGE,
                                                 self.filter_text)
        rows = self._pages[page]
        offset = index % PAGE
        return rows[offset] if offset < len(rows) else None

    def set_filter(self, text: str | None) -> None:
        self.filter_text = text or None
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self.reload()

    # -------------------------------------------------------------- keys
    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_cursor_to(self, index: int) -> None:
        self._move(self.total - 1 if index < 0 else index)

    def _move(self, index: int) -> None:
        self.cursor = max(0, min(index, self.total - 1))
        self.scroll_to_region_y(self.cursor)
        self.refresh()

    def scroll_to_region_y(self, row: int) -> None:
        top = int(self.scroll_offset.y)
        height = self.size.height
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    # -------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.size.width
        event = self.event_at(index)
        if event is None:
            return Strip.blank(width, self.rich_style)
        at = now()
        cells = [f"{local_time(event.occurred_at, at)} ({age(event.occurred_at, at)})",
                 local_time(event.recorded_at, at), summary(event), event.actor]
        style = self.rich_style
        if is_alarm(event):
            style += Style(color="red", bold=True)
        if index == self.cursor and self.has_focus:
            style += Style(reverse=True)
        return Strip([Segment(_fit(cells, width), style)], width)
