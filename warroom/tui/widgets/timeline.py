"""The timeline: a virtual list of events, newest first. Workers read the count and only the
pages around the view, each on its own thread and connection; `render_line` reads the cache
only, shows "…" for a row whose page is still on its way, and asks for that page."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.events import Click
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from warroom.journal import queries
from warroom.model import Event
from warroom.render.console import columns_line
from warroom.render.text import age, duration, is_alarm, local_time, summary
from warroom.tui import actions
from warroom.tui.messages import ReadFailed, TimelinePages, TimelineWindow

PAGE = 100
KEPT_PAGES = 50
COLUMNS = (("happened", 26), ("learned", 16), ("what", 0), ("by", 14))
WIDE = 140   # from this width on, "happened" has room for the age of every event
PLACEHOLDER = "…"


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


class TimelineView(ScrollView, can_focus=True):
    """Events newest first, read a page at a time off the UI thread."""

    BINDINGS = actions.bindings("timeline-list")
    DEFAULT_CSS = "TimelineView { height: 1fr; }"

    def __init__(self, conn: Callable[[], sqlite3.Connection],
                 clock: Callable[[], datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._conn = conn
        self._clock = clock
        self._pages: dict[int, list[Event]] = {}
        self._wanted: set[int] = set()
        self._loading = False
        self._window_busy = False
        self.generation = 0     # asked for
        self.shown = 0          # on screen
        self.filter_text: str | None = None
        self.total = 0
        self.cursor = 0
        self.loaded = False

    # -------------------------------------------------------------- reading (workers)
    def reload(self) -> None:
        """Count again and read the pages in view (after the journal or the filter changed).
        What is on screen stays until the new window arrives: no flicker on a poll. One
        window read at a time: asked again while one reads, it reads once more after."""
        self.generation += 1
        if not self._window_busy:
            self._start_window()

    def _start_window(self) -> None:
        self._window_busy = True
        top = int(self.scroll_offset.y)
        rows = range(top, top + max(self.size.height, 1))
        pages = sorted({r // PAGE for r in rows} | {self.cursor // PAGE})
        self._read_window(self.generation, self.filter_text, pages)

    @work(thread=True, exclusive=True, exit_on_error=False, group="timeline-window")
    def _read_window(self, generation: int, text: str | None, pages: list[int]) -> None:
        total, loaded = None, {}
        try:
            conn = self._conn()
            total = queries.timeline_count(conn, text)
            loaded = {p: queries.timeline(conn, p * PAGE, PAGE, text)
                      for p in pages if p * PAGE < total}
        except Exception as exc:  # the journal went away: say so, keep the old view
            self.post_message(ReadFailed("timeline", str(exc)))
        self.post_message(TimelineWindow(generation, text, total, loaded))

    @work(thread=True, exclusive=True, exit_on_error=False, group="timeline-pages")
    def _read_pages(self, generation: int, text: str | None, pages: list[int]) -> None:
        loaded: dict[int, list[Event]] = {}
        try:
            conn = self._conn()
            for p in pages:
                if get_current_worker().is_cancelled:
                    break
                loaded[p] = queries.timeline(conn, p * PAGE, PAGE, text)
        except Exception as exc:
            self.post_message(ReadFailed("timeline", str(exc)))
        self.post_message(TimelinePages(generation, loaded))

    def on_timeline_window(self, message: TimelineWindow) -> None:
        self._window_busy = False
        if message.total is not None and message.text == self.filter_text:
            self.shown = message.generation
            self.total = message.total
            self._pages = dict(message.pages)
            self._wanted.clear()
            self.loaded = True
            self.cursor = min(self.cursor, max(0, self.total - 1))
            self.virtual_size = Size(self.size.width, self.total)
            self.refresh()
        if message.generation != self.generation:
            self._start_window()   # the journal or the filter changed while it read

    def on_timeline_pages(self, message: TimelinePages) -> None:
        self._loading = False
        if message.generation == self.shown:
            if len(self._pages) > KEPT_PAGES:
                self._pages.clear()
            self._pages.update(message.pages)
            self._wanted.difference_update(message.pages)
            self.refresh()
        self._load_wanted()

    def _want(self, page: int) -> None:
        if page not in self._wanted:
            self._wanted.add(page)
            self.call_next(self._load_wanted)   # not from inside render_line

    def _load_wanted(self) -> None:
        """One page reader at a time; asks again for what it has not brought yet."""
        missing = sorted(p for p in self._wanted if p not in self._pages)
        if self._loading or not missing:
            return
        self._loading = True
        self._read_pages(self.shown, self.filter_text, missing)

    def event_at(self, index: int) -> Event | None:
        """The event at a row if its page is loaded (None otherwise): reads the cache only."""
        if not 0 <= index < self.total:
            return None
        rows = self._pages.get(index // PAGE)
        offset = index % PAGE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def current(self) -> Event | None:
        return self.event_at(self.cursor)

    def set_filter(self, text: str | None) -> None:
        self.filter_text = text or None
        self.cursor = 0
        self._pages.clear()   # rows of the old filter would mislead: show "…" until read
        self.shown = -1       # and pages of the old filter still on their way are dropped
        self.scroll_to(y=0, animate=False, force=True)
        self.reload()

    # -------------------------------------------------------------- keys
    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_cursor_to(self, index: int) -> None:
        self._move(self.total - 1 if index < 0 else index)

    def _move(self, index: int) -> None:
        self.cursor = max(0, min(index, self.total - 1))
        top = int(self.scroll_offset.y)
        height = self.size.height
        # force: right after a count the scrollbars are not laid out yet and would refuse
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)
        self.refresh()

    # -------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.size.width
        style = self.rich_style
        if index >= self.total:
            return Strip.blank(width, style)
        if index == self.cursor and self.has_focus:
            style += Style(reverse=True)
        event = self.event_at(index)
        if event is None:
            self._want(index // PAGE)
            return Strip([Segment(PLACEHOLDER.ljust(width), style + Style(dim=True))], width)
        if is_alarm(event):
            style += Style(color="red", bold=True)
        cols = widths(width)
        line = columns_line(row_cells(event, self._clock(), cols[0]), cols)
        return Strip([Segment(line, style)], width)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total)

    def on_click(self, event: Click) -> None:
        self.focus()
        self._move(int(self.scroll_offset.y) + event.y)
