"""An event in full: both clocks, actor, kind and what it means, subject, every field of its
data (people redacted, a batch of people only as its count) and its hashes. The event is read
in a worker; the dialog opens at once and fills in when it arrives."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from warroom.journal import queries
from warroom.model import Event
from warroom.render.safe import safe_text
from warroom.render.text import event_detail
from warroom.tui.dialogs.base import Dialog
from warroom.tui.messages import EventRead


def detail_table(event: Event, at) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", ratio=1, overflow="fold")
    for label, value in event_detail(event, at):
        table.add_row(Text(label), safe_text(value))
    return table


class EventScreen(Dialog):
    def __init__(self, event_id: int, kind: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.kind = kind
        self.event: Event | None = None

    def title_text(self) -> Text:
        return Text(f"event #{self.event_id:,} · {self.kind}")

    def body(self) -> ComposeResult:
        yield Static(Text("reading the event…", style="dim"), id="detail")

    def on_mount(self) -> None:
        self._read(self.event_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="event-detail")
    def _read(self, event_id: int) -> None:
        self.post_message(EventRead(queries.event(self.app.connections.get(), event_id)))

    def on_event_read(self, message: EventRead) -> None:
        self.event = message.event
        body = self.query_one("#detail", Static)
        if message.event is None:
            body.update(Text(f"no event #{self.event_id} in this journal", style="red"))
        else:
            body.update(detail_table(message.event, self.app.clock()))
