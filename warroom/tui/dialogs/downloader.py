"""One downloader in full: what it took (complete or partial, bytes, requests, when), its
user agents, what each import of access logs says of it, and its contact state. Read in a
worker; the dialog opens at once and fills in when the read arrives."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from warroom.journal import queries
from warroom.render.safe import safe_text
from warroom.render.text import local_time
from warroom.tui.dialogs.base import Dialog
from warroom.tui.messages import DownloaderRead


def _when(utc: str | None, at: datetime) -> str:
    return f"{local_time(utc, at)}  ({utc})" if utc else "—"


def _import_name(share: dict) -> Text:
    found = share.get("import")
    if found is None:   # a `downloaded` event of its own: a responder's entry
        return Text(f"entered by hand (event #{share['event_id']})")
    files = ", ".join(f.get("file", "?") for f in found["files"])
    return Text.assemble(safe_text(found["path"]), (f"  {files}", "dim"))


def contact_lines(row: dict, at: datetime) -> list[Text]:
    """Where the claw-back work stands. The downloader checklist (letters, attestations)
    moves it on; its keys will join the Downloaders tab."""
    state = row["contact_state"].replace("_", " ")
    lines = [Text.assemble(("contact: ", "bold"), state)]
    if row.get("attested_at"):
        lines.append(Text(f"deletion attested {_when(row['attested_at'], at)}"))
    return lines


def detail(row: dict, at: datetime) -> Group:
    facts = Table(box=None, show_header=False, pad_edge=False, expand=True)
    facts.add_column("field", style="bold", no_wrap=True)
    facts.add_column("value", ratio=1, overflow="fold")
    took = (Text("complete: the whole file", style="bold red") if row["complete"]
            else Text("partial: part of the file"))
    for label, value in (
            ("client", safe_text(row["client"])), ("took", took),
            ("bot", Text("yes (crawler, archive or script)" if row["bot"] else "no")),
            ("bytes", Text(f"{row['bytes']:,}") if row["bytes"] else Text("not recorded",
                                                                          style="dim")),
            ("requests", Text(f"{row['requests']:,}")),
            ("first seen", Text(_when(row["first_seen"], at))),
            ("last seen", Text(_when(row["last_seen"], at))),
            ("organisation", safe_text(row["organisation"]) if row.get("organisation")
             else Text("not attributed yet", style="dim"))):
        facts.add_row(label, value)
    agents = [Text.assemble(f"{n}. ", safe_text(a))
              for n, a in enumerate(row["user_agents"], start=1)] or [
        Text("none recorded", style="dim")]
    shares = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    for name in ("import", "took", "bytes", "reqs", "first", "last"):
        shares.add_column(name, no_wrap=name != "import", overflow="fold",
                          ratio=1 if name == "import" else None,
                          justify="right" if name in ("bytes", "reqs") else "left")
    for s in row["shares"]:
        shares.add_row(_import_name(s), "complete" if s["complete"] else "partial",
                       f"{s['bytes']:,}" if s["bytes"] else "—", f"{s['requests']:,}",
                       local_time(s["first_seen"], at) if s["first_seen"] else "—",
                       local_time(s["last_seen"], at) if s["last_seen"] else "—")
    return Group(facts, Text(""), Text("user agents", style="bold underline"), *agents,
                 Text(""), Text("per import of access logs", style="bold underline"), shares,
                 Text(""), *contact_lines(row, at))


class DownloaderScreen(Dialog):
    def __init__(self, client: str) -> None:
        super().__init__()
        self.client = client
        self.row: dict | None = None

    def title_text(self) -> Text:
        return Text.assemble("downloader · ", safe_text(self.client))

    def body(self) -> ComposeResult:
        yield Static(Text("reading the downloader…", style="dim"), id="detail")

    def on_mount(self) -> None:
        self._read(self.client)

    @work(thread=True, exclusive=True, exit_on_error=False, group="downloader-detail")
    def _read(self, client: str) -> None:
        try:
            conn = self.app.connections.get()
            row = queries.downloader(conn, client)
            if row is not None:
                imports = {i["logs"]: i for i in queries.log_imports(conn, current=False)}
                for share in row["shares"]:
                    share["import"] = imports.get(share["logs"])
            self.post_message(DownloaderRead(client, row))
        except Exception as exc:
            self.post_message(DownloaderRead(client, None, str(exc)))

    def on_downloader_read(self, message: DownloaderRead) -> None:
        self.row = message.row
        body = self.query_one("#detail", Static)
        if message.error:
            body.update(Text.assemble(("cannot read it: ", "red"), safe_text(message.error)))
        elif message.row is None:
            body.update(Text.assemble("no downloader ", safe_text(self.client),
                                      " in this journal", style="red"))
        else:
            body.update(detail(message.row, self.app.clock()))
