"""A long list read from the journal a window at a time (the timeline, the downloaders).

Workers read the count and only the pages around the view, each on its own thread and
connection; `render_line` reads the cache only, shows "…" for a row whose page is still on
its way, and asks for that page. A subclass says how to count and read a page for its filter
(`count`, `read`) and how to draw one row (`row`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.events import Click
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from warroom.tui import actions
from warroom.tui.messages import ListCounted, ListPages, ListWindow, ReadFailed

PAGE = 100
KEPT_PAGES = 50
PLACEHOLDER = "…"


class VirtualList(ScrollView, can_focus=True):
    """Rows read a page at a time off the UI thread, for the filter in `self.filter`."""

    BINDINGS = actions.bindings("list")
    DEFAULT_CSS = "VirtualList { height: 1fr; }"
    WHAT = "list"          # named when a read fails

    def __init__(self, conn: Callable[[], sqlite3.Connection],
                 clock: Callable[[], datetime], filter: Any = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._conn = conn
        self._clock = clock
        self._pages: dict[int, list] = {}
        self._wanted: set[int] = set()
        self._loading = False
        self._window_busy = False
        self.generation = 0     # asked for
        self.shown = 0          # on screen
        self.filter = filter
        self.total = 0
        self.cursor = 0
        self.loaded = False

    # -------------------------------------------------------------- what subclasses say
    def count(self, conn: sqlite3.Connection, filter: Any) -> int:
        raise NotImplementedError

    def read(self, conn: sqlite3.Connection, offset: int, limit: int, filter: Any) -> list:
        raise NotImplementedError

    def row(self, item: Any, width: int, style: Style) -> list[Segment]:
        """One row, `width` cells wide, in `style` (the cursor's when it is on this row)."""
        raise NotImplementedError

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
        self._read_window(self.generation, self.filter, pages)

    @work(thread=True, exclusive=True, exit_on_error=False, group="list-window")
    def _read_window(self, generation: int, filter: Any, pages: list[int]) -> None:
        total, loaded = None, {}
        try:
            conn = self._conn()
            total = self.count(conn, filter)
            loaded = {p: self.read(conn, p * PAGE, PAGE, filter)
                      for p in pages if p * PAGE < total}
        except Exception as exc:  # the journal went away: say so, keep the old view
            self.post_message(ReadFailed(self.WHAT, str(exc)))
        self.post_message(ListWindow(generation, filter, total, loaded))

    @work(thread=True, exclusive=True, exit_on_error=False, group="list-pages")
    def _read_pages(self, generation: int, filter: Any, pages: list[int]) -> None:
        loaded: dict[int, list] = {}
        try:
            conn = self._conn()
            for p in pages:
                if get_current_worker().is_cancelled:
                    break
                loaded[p] = self.read(conn, p * PAGE, PAGE, filter)
        except Exception as exc:
            self.post_message(ReadFailed(self.WHAT, str(exc)))
        self.post_message(ListPages(generation, loaded))

    def on_list_window(self, message: ListWindow) -> None:
        self._window_busy = False
        if message.total is not None and message.filter == self.filter:
            self.shown = message.generation
            self.total = message.total
            self._pages = dict(message.pages)
            self._wanted.clear()
            self.loaded = True
            self.cursor = min(self.cursor, max(0, self.total - 1))
            self.virtual_size = Size(self.size.width, self.total)
            self.refresh()
            self.post_message(ListCounted(self.total, message.filter))
        if message.generation != self.generation:
            self._start_window()   # the journal or the filter changed while it read

    def on_list_pages(self, message: ListPages) -> None:
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
        self._read_pages(self.shown, self.filter, missing)

    def item_at(self, index: int) -> Any | None:
        """The row's item if its page is loaded (None otherwise): reads the cache only."""
        if not 0 <= index < self.total:
            return None
        rows = self._pages.get(index // PAGE)
        offset = index % PAGE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def current(self) -> Any | None:
        return self.item_at(self.cursor)

    def set_filter(self, filter: Any) -> None:
        self.filter = filter
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
        item = self.item_at(index)
        if item is None:
            self._want(index // PAGE)
            return Strip([Segment(PLACEHOLDER.ljust(width), style + Style(dim=True))], width)
        return Strip(self.row(item, width, style), width)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total)

    def on_click(self, event: Click) -> None:
        self.focus()
        self._move(int(self.scroll_offset.y) + event.y)
