"""One tip in full: who sent it (a confidential source under a clear marker), when and how, its
whole text, its URLs, its A-numbers redacted to the last three digits with the roster's answer
for each, and its triage history. Read in a worker; the dialog opens at once."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from warroom.journal import queries
from warroom.model import redact_a_number
from warroom.render.safe import safe_text
from warroom.render.text import local_time
from warroom.tui.dialogs.base import Dialog
from warroom.tui.messages import TipRead


def history(conn, tip: dict) -> list:
    """The tip's triage events, oldest first (each triage's uid is the receipt and its
    number: see `warroom.tips.triage`)."""
    found = (queries.event_by_uid(conn, f"tip-{tip['uid']}-{n}")
             for n in range(1, tip["triages"] + 1))
    return [e for e in found if e is not None]


def _when(utc: str | None, at: datetime) -> str:
    return f"{local_time(utc, at)}  ({utc})" if utc else "—"


def detail(tip: dict, events: list, at: datetime) -> Group:
    facts = Table(box=None, show_header=False, pad_edge=False, expand=True)
    facts.add_column("field", style="bold", no_wrap=True)
    facts.add_column("value", ratio=1, overflow="fold")
    source = safe_text(tip["source"])
    contact = safe_text(tip["contact"]) if tip.get("contact") else Text("—", style="dim")
    if tip["confidential"]:
        marker = Text("CONFIDENTIAL SOURCE: do not share ", style="bold red")
        source, contact = marker + source, marker + contact
    for label, value in (
            ("receipt", Text(tip["uid"])), ("received", Text(_when(tip["received_at"], at))),
            ("source", source), ("contact", contact),
            ("channel", Text(tip.get("channel") or "—")),
            ("state", Text(tip["state"], style="bold")),
            ("handled by", safe_text(tip["handled_by"]) if tip.get("handled_by")
             else Text("nobody yet", style="dim"))):
        facts.add_row(label, value)
    if tip.get("reason"):
        facts.add_row("reason", safe_text(tip["reason"]))
    urls = [Text.assemble(f"{n}. ", safe_text(u)) for n, u in enumerate(tip["urls"], 1)] or [
        Text("none", style="dim")]
    known = set(tip["in_roster"])
    numbers = [Text.assemble(f"{redact_a_number(a)}  ",
                             ("in the roster", "bold red") if a in known
                             else ("not in the roster", "dim"))
               for a in tip["a_numbers"]] or [Text("none", style="dim")]
    triage = [Text.assemble(f"{local_time(e.occurred_at, at)}  ",
                            f"{e.data.get('previous')} → ", (e.data["state"], "bold"),
                            "  by ", safe_text(e.data.get("handled_by") or e.actor or "?"),
                            *((" — ", safe_text(e.data["reason"])) if e.data.get("reason")
                              else ()))
              for e in events] or [Text("not triaged yet", style="dim")]
    return Group(facts, Text(""), Text("text", style="bold underline"),
                 safe_text(tip["text"], lines=True), Text(""),
                 Text("URLs", style="bold underline"), *urls, Text(""),
                 Text("A-numbers (redacted) and the roster's answer", style="bold underline"),
                 *numbers, Text(""), Text("triage", style="bold underline"), *triage)


class TipScreen(Dialog):
    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.tip: dict | None = None

    def title_text(self) -> Text:
        return Text(f"tip {self.ref}")

    def body(self) -> ComposeResult:
        yield Static(Text("reading the tip…", style="dim"), id="detail")

    def on_mount(self) -> None:
        self._read(self.ref)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tip-detail")
    def _read(self, ref: str) -> None:
        try:
            conn = self.app.connections.get()
            tip = queries.tip(conn, ref)
            self.post_message(TipRead(ref, tip, history(conn, tip) if tip else []))
        except Exception as exc:
            self.post_message(TipRead(ref, None, error=str(exc)))

    def on_tip_read(self, message: TipRead) -> None:
        self.tip = message.tip
        body = self.query_one("#detail", Static)
        if message.error:
            body.update(Text.assemble(("cannot read it: ", "red"), safe_text(message.error)))
        elif message.tip is None:
            body.update(Text(f"no tip {self.ref} in this journal", style="red"))
        else:
            body.update(detail(message.tip, message.history, self.app.clock()))
