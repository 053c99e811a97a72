"""The locations on the Artifact tab: each place the file is or was, with its probe state and
its takedown request side by side. `p` probes every location now (a worker), `t` drafts the
takedown request for the row under the cursor, `l` adds a location. Reads and writes run in
workers; the handlers here only touch widgets."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, ProgressBar

from warroom.journal import Journal
from warroom.model import LocationState
from warroom.render.console import match_label, short_time
from warroom.render.safe import clean, safe_text
from warroom.render.text import shorten_middle, summary
from warroom.tui.messages import LocationsRead, ProbeDone, ReadFailed, Written

COLUMNS = ("kind", "state", "checked", "match", "takedown", "url")
# the rule a probe from the console moves a location by: the command line's defaults
CONFIRM, OVER = 3, timedelta(minutes=30)
STATE_STYLE = {LocationState.LIVE: "bold red", LocationState.DOWN: "yellow",
               LocationState.VERIFIED_DOWN: "green", LocationState.UNKNOWN: "dim"}


def state_text(state: str) -> Text:
    return Text(state.replace("_", " ").upper(), style=STATE_STYLE.get(state, ""))


def takedown_text(x: dict) -> Text:
    """The open request's state; else how the last one ended (dim); else a dash."""
    if x["takedown"]:
        return Text(x["takedown"], style="bold")
    if x["takedowns"]:
        return Text(x["takedowns"][-1]["state"], style="dim")
    return Text("—", style="dim")


def cells(x: dict, at) -> list[Text]:
    """A location's cells; the URL whole (the table shortens it to the room it has)."""
    checked = (Text(short_time(x["last_checked_at"], at)) if x["last_checked_at"]
               else Text("never", style="dim"))
    return [safe_text(x["kind"]), state_text(x["state"]), checked,
            Text(match_label(x) or "—"), takedown_text(x), safe_text(x["url"])]


class LocationsPane(Vertical):
    DEFAULT_CSS = """
    LocationsPane { height: auto; max-height: 10; }
    LocationsPane #loc-title { height: 1; }
    LocationsPane #loc-title Label { width: auto; }
    LocationsPane #probe-bar { display: none; width: 24; }
    LocationsPane #probe-bar.busy { display: block; }
    LocationsPane #location-list { height: auto; max-height: 9; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, dict] = {}
        self.loaded = False
        self.probing = False
        self._when_read: list = []    # asked for before the first read arrived (the palette)

    def compose(self) -> ComposeResult:
        with Horizontal(id="loc-title"):
            yield Label(Text("locations", style="bold"), id="loc-heading")
            yield Label("", id="probe-state")
            yield ProgressBar(id="probe-bar", total=None, show_eta=False,
                              show_percentage=False)
        table = DataTable(id="location-list", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table

    @property
    def table(self) -> DataTable:
        return self.query_one("#location-list", DataTable)

    def selected(self) -> dict | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key)

    # -------------------------------------------------------------- reading (a worker)
    def reload(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="locations-read")
    def _read(self) -> None:
        from warroom.exposure.locations import list_locations

        try:
            self.post_message(LocationsRead(list_locations(self.app.connections.get())))
        except Exception as exc:
            self.post_message(ReadFailed("locations", str(exc)))

    def on_locations_read(self, message: LocationsRead) -> None:
        self.rows = {x["url"]: x for x in message.rows}
        self.loaded = True
        self._fill()
        while self._when_read:
            self._when_read.pop(0)()
        if not self.probing:
            self._say(f"{len(self.rows)} · p probes them now" if self.rows else
                      "none yet · l adds one")

    def _fill(self) -> None:
        """Rows keyed by URL, changed cells updated in place (locations are never removed), so
        the cursor stays on the responder's row. The URL gets what the other columns leave,
        shortened in the middle (host and file name kept)."""
        table, at = self.table, self.app.clock()
        built = {url: cells(x, at) for url, x in self.rows.items()}
        others = sum(max([len(title)] + [row[n].cell_len for row in built.values()]) + 2
                     for n, title in enumerate(COLUMNS[:-1]))
        room = max(16, table.size.width - others - 3)
        with self.app.batch_update():
            for url, row in built.items():
                row[-1] = safe_text(shorten_middle(url, room))
                if url not in table.rows:
                    table.add_row(*row, key=url)
                    continue
                for column, cell in zip(table.ordered_columns, row):
                    if table.get_cell(url, column.key) != cell:
                        table.update_cell(url, column.key, cell, update_width=True)

    def on_resize(self) -> None:
        if self.rows:
            self._fill()

    def _say(self, text: str) -> None:
        self.query_one("#probe-state", Label).update(Text(f"  {text}", style="dim"))

    # -------------------------------------------------------------- probe
    def probe(self) -> None:
        if self.probing:   # a thread cannot be stopped: one round at a time
            self.app.notify("A probe is running already; its results come in a moment.",
                            severity="warning")
            return
        self.probing = True
        self.query_one("#probe-bar").add_class("busy")
        self._say(f"probing {len(self.rows)} location{'s' if len(self.rows) != 1 else ''}…")
        self._probe()

    @work(thread=True, exclusive=True, exit_on_error=False, group="probe")
    def _probe(self) -> None:
        from warroom.exposure.probe import probe_all

        try:
            self.post_message(ProbeDone(probe_all(self.app.db, confirm=CONFIRM, over=OVER)))
        except Exception as exc:   # shown to the responder, never a crash
            self.post_message(ProbeDone([], str(exc)))

    def on_probe_done(self, message: ProbeDone) -> None:
        self.probing = False
        self.query_one("#probe-bar").remove_class("busy")
        notify = self.app.notify
        if message.error:
            self._say("the probe failed")
            notify(message.error, title="probe failed", severity="error", markup=False)
            return
        changed = 0
        for r in message.results:
            url = clean(r.url)
            if r.alarm:
                notify(f"{url} serves the file again after it was verified down:"
                       f" {clean(r.check.note)}", title="ALARM: the file is back",
                       severity="error", timeout=60, markup=False)
            elif r.changed:
                notify(f"{r.was} → {r.state}: {url} ({clean(r.check.note)})",
                       severity="warning" if r.state == LocationState.LIVE else "information",
                       timeout=10, markup=False)
            changed += r.changed or r.alarm
            for added in r.added:
                notify(f"a redirect from {url} led to a new location: {clean(added)}",
                       severity="warning", timeout=10, markup=False)
        n = len(message.results)
        self._say(f"{n} probed, {changed} changed" if n else "none to probe · l adds one")
        if n and not changed:
            notify(f"{n} location{'s' if n != 1 else ''} probed: no change", timeout=4)
        self.reload()

    # -------------------------------------------------------------- takedown, new location
    def takedown(self) -> None:
        from warroom.tui.dialogs.takedown import TakedownScreen

        if not self.loaded:   # the tab was just opened (from the palette): once read
            self._when_read.append(self.takedown)
            return
        row = self.selected()
        if row is None:
            self.app.notify("No location yet: add one first (l).", severity="warning")
            return
        self.app.push_screen(TakedownScreen(row), lambda _: self.reload())

    def add(self) -> None:
        from warroom.tui.dialogs.location import NewLocationScreen

        def added(new) -> None:
            if new is not None:
                self._add(new.url, new.kind, new.note)

        self.app.push_screen(NewLocationScreen(), added)

    @work(thread=True, exit_on_error=False, group="location-add")
    def _add(self, url: str, kind: str, note: str | None) -> None:
        from warroom.exposure.locations import add

        try:
            with Journal(self.app.db) as journal:
                event = add(journal, url, kind, note)
            self.post_message(Written("location", summary(event)))
        except Exception as exc:   # a refused URL, a journal that went away: said, not raised
            self.post_message(Written("location", error=str(exc)))

    def on_written(self, message: Written) -> None:
        if message.error:
            self.app.notify(message.error, title="location not added", severity="error",
                            markup=False)
        else:
            self.app.notify(clean(message.text), markup=False)
        self.reload()
