"""Forms: a dialog of labelled fields (a line each), Textual validators, one error line, and
a result made by a service's own parser, so the console refuses what the command line
refuses, with the same one line. Enter in a field or ctrl+s submits; Escape cancels
(the result is then None). Nothing here reads or writes the journal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.validation import Length, ValidationResult, Validator
from textual.widgets import Input, Label, Select, Static

from warroom.errors import WarroomError
from warroom.render.safe import safe_text
from warroom.tui import actions
from warroom.tui.dialogs.base import Dialog


@dataclass(frozen=True)
class Field:
    """One line of a form: an Input, or a Select when it has `choices` ((label, value))."""

    name: str
    label: str
    choices: Sequence[tuple[str, str]] = ()
    value: str = ""
    placeholder: str = ""
    suggestions: Sequence[str] = ()
    validators: Sequence[Validator] = field(default_factory=tuple)
    blank: bool = True              # a Select may be left blank ("unchanged")


def needed(what: str) -> Validator:
    """A field that must not be empty, and says so."""
    return Length(minimum=1, failure_description=f"{what} is needed")


class Form(Dialog):
    """Subclasses give `fields()` and `make(values)` (which may raise WarroomError: shown on
    the error line, the form stays open)."""

    BINDINGS = actions.bindings("form")
    DEFAULT_CSS = """
    Form .field { height: 1; margin-top: 1; }
    Form .field-label { width: 16; color: $text-muted; }
    Form .field Input, Form .field Select { width: 1fr; }
    Form #form-intro { height: auto; }
    Form #form-error { height: auto; color: $error; margin-top: 1; }
    """

    def fields(self) -> Sequence[Field]:
        return ()

    def intro(self) -> Text | None:
        return None

    def make(self, values: dict[str, str | None]) -> object:
        return values

    # -------------------------------------------------------------- building
    def body(self) -> ComposeResult:
        intro = self.intro()
        if intro is not None:
            yield Static(intro, id="form-intro")
        for f in self.fields():
            with Horizontal(classes="field"):
                yield Label(f.label, classes="field-label")
                if f.choices:
                    yield Select(list(f.choices), value=f.value or Select.NULL,
                                 allow_blank=f.blank, compact=True, id=f"field-{f.name}",
                                 prompt="(unchanged)" if f.blank else "Select")
                else:
                    yield Input(f.value, placeholder=f.placeholder, compact=True,
                                id=f"field-{f.name}", validators=list(f.validators),
                                suggester=SuggestFromList(f.suggestions, case_sensitive=False)
                                if f.suggestions else None)
        yield Static("", id="form-error")

    def on_mount(self) -> None:
        first = next(iter(self.query(".field Input, .field Select")), None)
        if first is not None:
            first.focus()

    # -------------------------------------------------------------- reading and submitting
    def values(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for f in self.fields():
            widget = self.query_one(f"#field-{f.name}")
            value = widget.value
            if isinstance(widget, Input):
                out[f.name] = value.strip() or None
            else:
                out[f.name] = None if value is Select.NULL else str(value)
        return out

    def error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(safe_text(text))

    def problem(self) -> tuple[str, Input] | None:
        """The first field whose validators fail, with what they say."""
        for box in self.query(".field Input").results(Input):
            result: ValidationResult | None = box.validate(box.value)
            if result is not None and not result.is_valid:
                return "; ".join(result.failure_descriptions), box
        return None

    def action_submit(self) -> None:
        found = self.problem()
        if found:
            self.error(found[0])
            found[1].focus()
            return
        try:
            result = self.make(self.values())
        except WarroomError as exc:     # the service's own refusal, in its one line
            self.error(str(exc))
            return
        self.dismiss(result)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()


class TextForm(Form):
    """One line of text (why a person is revealed, a task's note, an assignee)."""

    def __init__(self, heading: str, label: str, *, intro: Text | None = None,
                 required: bool = True, placeholder: str = "") -> None:
        super().__init__()
        self.HEADING = heading
        self._intro = intro
        self._field = Field("text", label, placeholder=placeholder,
                            validators=(needed(label),) if required else ())

    def intro(self) -> Text | None:
        return self._intro

    def fields(self) -> Sequence[Field]:
        return (self._field,)

    def make(self, values: dict[str, str | None]) -> str:
        return values["text"] or ""
