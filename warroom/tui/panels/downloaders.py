"""The Downloaders tab: who took the file, from the access logs. At the top the access window
(first and last access) and the counts; then every downloader, first seen first, in a list
that reads only the rows in view (it stays quick with 100,000 clients). Keys filter it (all,
complete, partial, bots), `/` searches the addresses, Enter opens one downloader in full.

Contact work on a downloader (claw-back letter, attestation of deletion) belongs to the
downloader checklist: its actions join this tab in the registry (`actions.py`, the
downloaders section) and its state is shown in the detail (`dialogs/downloader.py`)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Static

from warroom.dashboard import Dashboard
from warroom.journal import queries
from warroom.render.text import local_time
from warroom.tui import actions
from warroom.tui.messages import AccessRead, ListCounted, ReadFailed
from warroom.tui.panels.base import Panel
from warroom.tui.widgets.downloaders import DownloadersView, Shown, header_line


class DownloadersPanel(Panel):
    BINDINGS = actions.bindings("downloaders")
    DEFAULT_CSS = """
    DownloadersPanel #dl-summary { height: 3; padding: 0 1;
                                   border-bottom: solid $primary-darken-2; }
    DownloadersPanel #dl-header { height: 1; padding: 0 1; text-style: bold;
                                  background: $boost; }
    DownloadersPanel DownloadersView { padding: 0 1; }
    DownloadersPanel #dl-search { display: none; }
    DownloadersPanel #dl-search.visible { display: block; }
    """

    def __init__(self, tab: str, **kwargs) -> None:
        super().__init__(tab, **kwargs)
        self.window: dict | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("reading the downloaders…", style="dim"), id="dl-summary")
        yield Static(id="dl-header")
        yield DownloadersView(self.connection, self.now, Shown(), id="downloaders-view")
        yield Input(placeholder="show the addresses holding this text (Enter applies it,"
                                " Escape clears it)", id="dl-search")

    @property
    def view(self) -> DownloadersView:
        return self.query_one(DownloadersView)

    def focus_target(self) -> Widget:
        return self.view

    # -------------------------------------------------------------- news (workers)
    def show_news(self, board: Dashboard) -> None:
        self.view.reload()
        self._read_window()

    @work(thread=True, exclusive=True, exit_on_error=False, group="downloaders-window")
    def _read_window(self) -> None:
        try:
            conn = self.connection()
            window = queries.access_window(conn)
            if not window["imports"]:   # no logs imported: what the recorded downloads say
                span = queries.access_span(conn)
                window.update(first_seen=span["first"], last_seen=span["last"])
            self.post_message(AccessRead(window))
        except Exception as exc:
            self.post_message(ReadFailed("access window", str(exc)))

    def on_access_read(self, message: AccessRead) -> None:
        self.window = message.window
        self._summarise()

    @on(ListCounted)
    def _counted(self, message: ListCounted) -> None:
        message.stop()
        self._summarise()
        self.refresh_bindings()

    def _summarise(self) -> None:
        if self.board is None:
            return
        c, at = self.board.counts, self.now()
        n = c["downloaders"]
        counts = Text.assemble(
            (f"{n:,} downloader{'' if n == 1 else 's'}", "bold"),
            f" · {c['complete']:,} complete · {n - c['complete']:,} partial"
            f" · {c['bots']:,} bot{'' if c['bots'] == 1 else 's'}")
        shown = self.view.filter
        if self.view.loaded and (shown.mode != "all" or shown.search):
            what = shown.mode + (f", address holds “{shown.search}”" if shown.search else "")
            counts.append(f"   showing {self.view.total:,} ({what})", style="cyan")
        w = self.window or {}
        if w.get("first_access"):
            window = Text(f"access window: first access {local_time(w['first_access'], at)}"
                          f" · last access {local_time(w['last_access'], at)}"
                          f" ({w['imports']} log import{'s' if w['imports'] != 1 else ''})")
        elif w.get("first_seen"):
            window = Text(f"no access logs imported: recorded downloads from"
                          f" {local_time(w['first_seen'], at)} to"
                          f" {local_time(w['last_seen'], at)}", style="yellow")
        else:
            window = Text("no access logs imported yet: `warroom logs FILE --path URLPATH"
                          " --import`", style="dim")
        self.query_one("#dl-summary", Static).update(Text("\n").join([counts, window]))

    def on_resize(self) -> None:
        self.query_one("#dl-header", Static).update(
            Text(header_line(max(20, self.size.width - 2))))

    # -------------------------------------------------------------- actions
    def action_show_only(self, mode: str) -> None:
        self.view.set_filter(Shown(mode, self.view.filter.search))
        self.view.focus()
        self._summarise()

    def action_open_search(self) -> None:
        box = self.query_one("#dl-search", Input)
        box.add_class("visible")
        box.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#dl-search")
    def _search(self, event: Input.Submitted) -> None:
        text = event.value.strip() or None
        self.view.set_filter(Shown(self.view.filter.mode, text))
        if not text:
            event.input.remove_class("visible")
        self.view.focus()
        self.refresh_bindings()
        self._summarise()

    def action_clear_search(self) -> None:
        box = self.query_one("#dl-search", Input)
        if box.has_class("visible") or self.view.filter.search:
            box.value = ""
            box.remove_class("visible")
            self.view.set_filter(Shown(self.view.filter.mode))
        self.view.focus()
        self.refresh_bindings()
        self._summarise()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "clear_search":   # offered in the footer only while a search is set
            return bool(self.view.filter.search) or self.query_one("#dl-search").has_class(
                "visible")
        if action == "open_detail":
            return None if not self.view.total else True
        return True

    def action_open_detail(self) -> None:
        from warroom.tui.dialogs.downloader import DownloaderScreen

        row = self.view.current()
        if row is None:
            return  # its page is still being read; Enter again in a moment
        self.app.push_screen(DownloaderScreen(row["client"]))
