"""The Timeline tab: where the file is or was (one bar a location), every event newest first,
a filter, and Enter on an event for its detail."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Static

from warroom.dashboard import Dashboard
from warroom.render.console import location_rows
from warroom.render.safe import clean
from warroom.tui import actions
from warroom.tui.panels.base import Panel
from warroom.tui.widgets.timeline import TimelineView, header_line


class TimelinePanel(Panel):
    BINDINGS = actions.bindings("timeline")
    DEFAULT_CSS = """
    TimelinePanel #locations { height: auto; max-height: 8; padding: 0 1;
                               border-bottom: solid $primary-darken-2; }
    TimelinePanel #timeline-header { height: 1; padding: 0 1; text-style: bold;
                                     background: $boost; }
    TimelinePanel TimelineView { padding: 0 1; }
    TimelinePanel #filter { display: none; }
    TimelinePanel #filter.visible { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="locations")
        yield Static(id="timeline-header")
        yield TimelineView(self.connection, self.now, id="timeline-view")
        yield Input(placeholder="filter the timeline (Enter to apply, Escape to clear)",
                    id="filter")

    @property
    def view(self) -> TimelineView:
        return self.query_one(TimelineView)

    def focus_target(self) -> Widget:
        return self.view

    # -------------------------------------------------------------- news
    def show_news(self, board: Dashboard) -> None:
        self._draw_locations()
        self.view.reload()

    def _draw_locations(self) -> None:
        if self.board is None:
            return
        # URLs and kinds come from outside: made safe before they reach the table
        places = [{**x, "url": clean(x["url"]), "kind": clean(x["kind"])}
                  for x in self.board.locations]
        width = max(20, self.size.width - 2)
        self.query_one("#locations", Static).update(
            location_rows(places, self.now(), total_width=width) if places
            else Text("No location yet: the places the file is or was appear here.",
                      style="dim"))

    def on_resize(self) -> None:
        self.query_one("#timeline-header", Static).update(
            Text(header_line(max(20, self.size.width - 2))))
        self._draw_locations()

    # -------------------------------------------------------------- actions
    def action_open_detail(self) -> None:
        from warroom.tui.dialogs.event import EventScreen

        event = self.view.current()
        if event is None:
            return  # its page is still being read; Enter again in a moment
        self.app.push_screen(EventScreen(event.id, event.kind))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "clear_filter":   # offered in the footer only while a filter is set
            return bool(self.view.filter_text) or self.query_one("#filter").has_class("visible")
        return True

    def action_open_filter(self) -> None:
        self.open_filter()

    def open_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        box.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#filter")
    def apply_filter(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.view.set_filter(text)
        if not text:
            event.input.remove_class("visible")
        self.view.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("visible") or self.view.filter_text:
            box.value = ""
            box.remove_class("visible")
            self.view.set_filter(None)
        self.view.focus()
        self.refresh_bindings()
