"""The takedown request for one location, drafted to send (`warroom.exposure.takedown.draft`:
the URL and the evidence hash, never a person's data), read-only, with a copy hint; `r`
journals that the request was sent, by the usual way of asking for that kind of location."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Static, TextArea

from warroom.journal import Journal
from warroom.model import LocationKind
from warroom.model.kinds import TakedownVia
from warroom.render.safe import clean, safe_text
from warroom.render.text import shorten_middle, summary
from warroom.tui import actions
from warroom.tui.dialogs.base import Dialog
from warroom.tui.messages import DraftRead, Written


def usual_via(kind: str) -> TakedownVia:
    """How a removal is asked for at this kind of location (the service's table)."""
    from warroom.exposure.takedown import VIA_FOR

    try:
        return VIA_FOR.get(LocationKind(kind), TakedownVia.SITE)
    except ValueError:
        return TakedownVia.SITE


class TakedownScreen(Dialog):
    BINDINGS = actions.bindings("takedown")
    DEFAULT_CSS = """
    TakedownScreen > #box { width: 98%; height: 92%; max-height: 92%; }
    TakedownScreen #draft { height: 1fr; border: none; padding: 0; }
    TakedownScreen #takedown-hint { height: auto; }
    """

    def __init__(self, location: dict) -> None:
        super().__init__()
        self.location = location
        self.url: str = location["url"]
        self.via = usual_via(location["kind"])
        self.text: str | None = None
        self.recorded: str | None = None   # the request's summary, once journaled

    def title_text(self) -> Text:
        return Text.assemble(f"takedown request · via {self.via} · ",
                             safe_text(shorten_middle(self.url, 70)))

    def compose(self) -> ComposeResult:
        """The draft scrolls by itself (no outer scroll): lines as they will be sent."""
        with Vertical(id="box"):
            yield Static(self.title_text(), id="box-title")
            hint = ("c copies the whole draft · shift+arrows or the mouse select a part,"
                    " ctrl+c copies it · r records that you sent it (journaled)")
            yield Static(Text(hint, style="dim"), id="takedown-hint")
            if self.location.get("takedown"):
                yield Static(Text(f"A request to this location is {self.location['takedown']}"
                                  " already: r records another only by another way of asking.",
                                  style="yellow"))
            yield TextArea("drafting…", id="draft", read_only=True, soft_wrap=True,
                           show_line_numbers=False)
        yield Footer()

    def on_mount(self) -> None:
        self._draft()

    # -------------------------------------------------------------- workers
    @work(thread=True, exclusive=True, exit_on_error=False, group="takedown-draft")
    def _draft(self) -> None:
        from warroom.exposure.takedown import draft

        try:
            self.post_message(DraftRead(draft(self.app.connections.get(), self.url, self.via)))
        except Exception as exc:   # e.g. an A-number in the URL: write it by hand
            self.post_message(DraftRead(None, str(exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="takedown-record")
    def _record(self) -> None:
        from warroom.exposure.takedown import request

        try:
            with Journal(self.app.db) as journal:
                event = request(journal, self.url, self.via)
            self.post_message(Written("takedown", summary(event)))
        except Exception as exc:   # asked already by this way, the journal went away
            self.post_message(Written("takedown", error=str(exc)))

    # -------------------------------------------------------------- results
    def on_draft_read(self, message: DraftRead) -> None:
        self.text = message.text
        body = self.query_one("#draft", TextArea)
        # shown as text (a TextArea never reads markup), controls made visible marks
        body.text = (clean(message.text, lines=True) if message.text is not None
                     else f"no draft: {clean(message.error)}")

    def on_written(self, message: Written) -> None:
        if message.error:
            self.app.notify(message.error, title="request not recorded", severity="error",
                            markup=False)
            return
        self.recorded = message.text
        self.app.notify(clean(message.text), title="takedown requested", markup=False)
        self.dismiss(None)

    # -------------------------------------------------------------- keys
    def action_record(self) -> None:
        self._record()

    def action_copy(self) -> None:
        if self.text is None:
            self.app.notify("Nothing to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.text)
        self.app.notify("The draft is on the clipboard (if your terminal allows it).",
                        timeout=4)
