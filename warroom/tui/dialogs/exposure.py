"""The exposure window with its evidence (`warroom.exposure.summary.exposure`): when the file
was posted, first taken, discovered, taken down and contained, each with its source and a
confidence, and the gaps between what was stated and what the evidence shows. Read in a
worker; the dialog opens at once and fills in."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from warroom.render.console import exposure_view
from warroom.render.safe import safe_text
from warroom.tui.dialogs.base import Dialog
from warroom.tui.messages import ExposureRead


class ExposureScreen(Dialog):
    HEADING = "Exposure window"

    def __init__(self) -> None:
        super().__init__()
        self.doc: dict | None = None

    def body(self) -> ComposeResult:
        yield Static(Text("reading the exposure window…", style="dim"), id="exposure")

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="exposure")
    def _read(self) -> None:
        from warroom.exposure.summary import exposure

        try:
            self.post_message(ExposureRead(exposure(self.app.connections.get())))
        except Exception as exc:
            self.post_message(ExposureRead(None, str(exc)))

    def on_exposure_read(self, message: ExposureRead) -> None:
        self.doc = message.doc
        body = self.query_one("#exposure", Static)
        if message.doc is None:
            body.update(Text.assemble(("cannot read it: ", "red"), safe_text(message.error)))
        else:
            body.update(exposure_view(message.doc, self.app.clock(), body.size.width or None))
