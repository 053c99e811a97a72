"""The new-tip form, checked by the service's own `check` (nothing written until it passes),
dismissing a `TipDraft` or None; and the small question the Tips tab asks (a dismissal's
reason, whether to add a tip's URLs as locations). The panel journals what they give."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, TextArea

from warroom.errors import WarroomError
from warroom.model.kinds import TipChannel
from warroom.tips import TipDraft
from warroom.tips.submit import MAX_CONTACT, MAX_SOURCE, check
from warroom.tui import actions

# the channels a responder records by hand (the others are the intake server's and files')
FORM_CHANNELS = (TipChannel.PHONE, TipChannel.EMAIL, TipChannel.IN_PERSON, TipChannel.OTHER)


def split(value: str) -> tuple[str, ...]:
    """The items of a box that takes several: separated by spaces, commas or semicolons."""
    return tuple(v for v in value.replace(",", " ").replace(";", " ").split() if v)


class NewTipScreen(ModalScreen[TipDraft | None]):
    BINDINGS = actions.bindings("tip-form")
    AUTO_FOCUS = "#source"
    DEFAULT_CSS = """
    NewTipScreen { align: center middle; }
    NewTipScreen > #form { width: 90%; max-width: 100; height: auto; max-height: 95%;
                           border: thick $primary; background: $surface; padding: 0 1;
                           overflow-y: auto; }
    NewTipScreen #form-title { text-style: bold; }
    NewTipScreen #tip-error { color: $error; height: auto; }
    NewTipScreen TextArea { height: 4; }
    NewTipScreen #how { height: auto; }
    NewTipScreen Select { width: 30; }
    NewTipScreen #buttons { height: auto; }
    NewTipScreen Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label("New tip (ctrl+s records it; the service checks it first)",
                        id="form-title")
            yield Input(id="source", max_length=MAX_SOURCE,
                        placeholder="Source: the organisation or person (required)")
            yield Input(id="contact", max_length=MAX_CONTACT,
                        placeholder="Contact (optional): how to reach them")
            with Horizontal(id="how"):
                yield Select([(str(c), c) for c in FORM_CHANNELS], value=TipChannel.PHONE,
                             allow_blank=False, id="channel")
                yield Checkbox("confidential source", id="confidential")
            yield Label("Text: what they told us (required)")
            yield TextArea(id="text")
            yield Input(id="urls", placeholder="URLs (optional, separated by spaces)")
            yield Input(id="a-numbers",
                        placeholder="A-numbers (optional, separated by spaces): A012345678")
            yield Label("", id="tip-error")
            with Horizontal(id="buttons"):
                yield Button("Record", variant="primary", id="send")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def draft(self) -> TipDraft:
        value = self.query_one
        return TipDraft(
            source=value("#source", Input).value, text=value("#text", TextArea).text,
            contact=value("#contact", Input).value or None,
            channel=value("#channel", Select).value,
            urls=split(value("#urls", Input).value),
            a_numbers=split(value("#a-numbers", Input).value),
            confidential=value("#confidential", Checkbox).value)

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        draft = self.draft()
        try:
            check(draft)              # the service's own check: it writes nothing
        except WarroomError as exc:
            self.query_one("#tip-error", Label).update(Text(str(exc)))
            return
        self.dismiss(draft)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AskScreen(ModalScreen[str | bool | None]):
    """A question: yes or no (dismisses True/False), or, with `reason`, a text that must not
    be empty (dismisses it, or None)."""

    BINDINGS = actions.bindings("tip-ask")
    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > #ask { width: 80%; max-width: 90; height: auto; border: thick $warning;
                       background: $surface; padding: 0 1; }
    AskScreen #ask-error { color: $error; height: auto; }
    """

    def __init__(self, question: Text, reason: bool = False) -> None:
        super().__init__()
        self.question = question
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Label(self.question, id="question")
            if self.reason:
                yield Input(id="reason", placeholder="the reason (Enter records it)")
                yield Label("", id="ask-error")
            else:
                yield Label(Text("y: yes · esc: no", style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        if self.reason:
            self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _reason(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        if not text:
            self.query_one("#ask-error", Label).update(Text("a reason is needed"))
            return
        self.dismiss(text)

    def action_answer(self, yes: bool) -> None:
        if self.reason and yes:   # "y" is typed into the reason box, not an answer
            return
        self.dismiss(None if self.reason else yes)
