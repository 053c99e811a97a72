"""A form to add a location: its URL (checked as the service checks it, while typing) and its
kind; it dismisses a `NewLocation`, or None when cancelled. The panel journals it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Footer, Input, Label, Select

from warroom.errors import WarroomError
from warroom.exposure.locations import checked_url
from warroom.model import LocationKind
from warroom.tui import actions


@dataclass(frozen=True)
class NewLocation:
    """A place the file is or was, as the responder gave it."""

    url: str
    kind: LocationKind
    note: str | None = None


class LocationUrl(Validator):
    """An http or https URL with a host, with no spaces or control characters in it."""

    def validate(self, value: str) -> ValidationResult:
        try:
            checked_url(value)
        except WarroomError as exc:
            return self.failure(str(exc))
        return self.success()


class NewLocationScreen(ModalScreen[NewLocation | None]):
    BINDINGS = actions.bindings("location-form")
    AUTO_FOCUS = "#url"
    DEFAULT_CSS = """
    NewLocationScreen { align: center middle; }
    NewLocationScreen > #form { width: 90%; max-width: 100; height: auto;
                                border: thick $primary; background: $surface; padding: 0 1; }
    NewLocationScreen #form-title { text-style: bold; margin-bottom: 1; }
    NewLocationScreen #url-error { color: $error; height: auto; }
    NewLocationScreen Select { width: 30; }
    NewLocationScreen #buttons { height: auto; margin-top: 1; }
    NewLocationScreen Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label("New location: a place the file is or was", id="form-title")
            yield Label("URL")
            yield Input(placeholder="https://host/path/file.xlsx", id="url",
                        validators=[LocationUrl()], validate_on=["changed", "submitted"])
            yield Label("", id="url-error")
            yield Label("Kind")
            yield Select([(str(k), k) for k in LocationKind], value=LocationKind.ORIGIN,
                         allow_blank=False, id="kind")
            yield Label("Note (optional): where it was found")
            yield Input(id="note")
            with Horizontal(id="buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")
        yield Footer()

    @on(Input.Changed, "#url")
    def _checked(self, event: Input.Changed) -> None:
        result = event.validation_result
        failed = event.value.strip() and result is not None and not result.is_valid
        self.query_one("#url-error", Label).update(
            Text(result.failure_descriptions[0]) if failed else Text(""))

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        box = self.query_one("#url", Input)
        result = box.validate(box.value)
        if result is not None and not result.is_valid:
            self.query_one("#url-error", Label).update(Text(result.failure_descriptions[0]))
            box.focus()
            return
        note = self.query_one("#note", Input).value.strip() or None
        self.dismiss(NewLocation(box.value.strip(), self.query_one("#kind", Select).value,
                                 note))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
