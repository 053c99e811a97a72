"""The Artifact tab: acquire the leaked file (URL or path), scan it with a progress bar, see
what it holds (columns, counts, nationalities, a redacted preview), import the roster; below
the artifacts, the places the file is or was with their probe and takedown states
(`widgets/locations.py`: `p` probes, `t` drafts a takedown, `l` adds a location).

The details always describe the artifact under the cursor, and `s`/`i` act on that one.
An acquisition is journaled (and its sealed copy kept) before the scan reads it, so a file
that cannot be read (empty, binary junk) is still evidence on the record: its row stays, marked
"unreadable", with the reason when this console saw the scan fail."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, ProgressBar, Static

from warroom.dashboard import Dashboard
from warroom.journal import Journal, queries
from warroom.render.safe import safe_text
from warroom.render.scan import scan_report
from warroom.render.text import local_time
from warroom.tui import actions
from warroom.tui.messages import (
    ArtifactsRead,
    ReadFailed,
    ScanFinished,
    WorkFailed,
    WorkProgress,
)
from warroom.tui.panels.base import Panel
from warroom.tui.widgets.locations import LocationsPane

SHA256 = re.compile(r"\b[0-9a-f]{64}\b")
COLUMNS = ("acquired", "file", "bytes", "people", "format", "state", "sha256")


def name_the_file(error: str, filename: str | None) -> tuple[str, str | None]:
    """Errors about the sealed copy name it by its sha256; a responder knows the file by its
    name. Returns (the error with the name, the sha256 it was about)."""
    found = SHA256.search(error)
    if not found:
        return error, None
    return error.replace(found.group(0), filename or found.group(0)[:12] + "…"), found.group(0)


class PathBox(Input):
    """Where a URL or path is typed; Escape returns to the artifact list."""

    BINDINGS = actions.bindings("artifact-path")

    def action_back_to_list(self) -> None:
        self.parent.query_one("#artifacts").focus()


class ArtifactPanel(Panel):
    BINDINGS = actions.bindings("artifact")
    DEFAULT_CSS = """
    ArtifactPanel { padding: 0 1; }
    ArtifactPanel #source { width: 1fr; }
    ArtifactPanel #progress-row { height: 1; display: none; }
    ArtifactPanel #progress-row.busy { display: block; }
    ArtifactPanel #artifacts { height: auto; max-height: 8; }
    ArtifactPanel #details { height: 1fr; border-top: solid $primary-darken-2; }
    ArtifactPanel #report { height: auto; padding-top: 1; }
    """

    def __init__(self, tab: str, **kwargs) -> None:
        super().__init__(tab, **kwargs)
        self.rows: dict[str, dict] = {}
        self.reports: dict[str, dict] = {}      # full reports (with the preview) seen here
        self.failures: dict[str, str] = {}      # why a scan failed, seen here
        self.busy_on: set[str] = set()          # what the running service works on
        self.orders: dict[str, str] = {}        # birth-date order chosen, by sha256 (o)
        self._select: str | None = None

    def compose(self) -> ComposeResult:
        yield PathBox(placeholder="URL or path of the leaked file; Enter acquires and scans it",
                      id="source")
        with Horizontal(id="progress-row"):
            yield Label("", id="stage")
            yield ProgressBar(id="progress", show_eta=False)
        table = DataTable(id="artifacts", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield LocationsPane(id="locations-pane")
        with VerticalScroll(id="details"):
            yield Static(Text("No artifact yet: press a and give a URL or a path."),
                         id="report")

    @property
    def table(self) -> DataTable:
        return self.query_one("#artifacts", DataTable)

    def focus_target(self) -> Widget:
        return self.table

    # -------------------------------------------------------------- reading (a worker)
    def show_news(self, board: Dashboard) -> None:
        self._read_artifacts()
        self.locations.reload()

    @property
    def locations(self) -> LocationsPane:
        return self.query_one(LocationsPane)

    @work(thread=True, exclusive=True, exit_on_error=False, group="artifact-read")
    def _read_artifacts(self) -> None:
        try:
            self.post_message(ArtifactsRead(queries.artifacts(self.connection())))
        except Exception as exc:
            self.post_message(ReadFailed("artifacts", str(exc)))

    def on_artifacts_read(self, message: ArtifactsRead) -> None:
        """Rows keyed by sha256, updated in place (artifacts are never removed), so the
        cursor stays on the responder's row."""
        table = self.table
        at = self.now()
        first_fill = not self.rows
        with self.app.batch_update():
            for a in message.rows:
                sha = a["sha256"]
                cells = self._cells(a, at)
                if sha not in self.rows:
                    table.add_row(*cells, key=sha)
                else:
                    for column, (new, old) in enumerate(zip(cells, self._cells(self.rows[sha],
                                                                               at))):
                        if new != old:
                            table.update_cell(sha, table.ordered_columns[column].key, new)
                self.rows[sha] = a
        if self._select in self.rows:
            table.move_cursor(row=table.get_row_index(self._select), animate=False)
            self._select = None
        elif first_fill and self.rows:
            table.move_cursor(row=len(self.rows) - 1, animate=False)   # the newest
            self.refresh_bindings()
        self.show_details(self.selected())

    def _cells(self, a: dict, at) -> list[Text]:
        return [Text(local_time(a["acquired_at"], at)), safe_text(a["filename"]),
                Text(f"{a['size']:,}"),
                Text("—" if a["records"] is None else f"{a['records']:,}"),
                safe_text(a["format"] or "—"), self._state(a), Text(a["sha256"][:10] + "…")]

    def _state(self, a: dict) -> Text:
        if a["scan"] and a["scan"] != "{}":
            return Text("scanned", style="green")
        if a["sha256"] in self.busy_on or a["source"] in self.busy_on:
            return Text("scanning…", style="yellow")
        return Text("unreadable", style="bold red")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("scan", "import_roster", "date_order") and not self.rows:
            return None    # shown dimmed: there is nothing to scan yet
        return True

    # -------------------------------------------------------------- the locations
    def action_probe(self) -> None:
        self.locations.probe()

    def action_takedown(self) -> None:
        self.locations.takedown()

    def action_add_location(self) -> None:
        self.locations.add()

    def selected(self) -> str | None:
        """The sha256 of the row under the cursor."""
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # -------------------------------------------------------------- details follow the cursor
    @on(DataTable.RowHighlighted, "#artifacts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_details(event.row_key.value)

    def show_details(self, sha: str | None) -> None:
        report = self.query_one("#report", Static)
        row = self.rows.get(sha) if sha else None
        if row is None:
            return
        if row["scan"] and row["scan"] != "{}":
            doc = {**json.loads(row["scan"]), "sha256": sha, "size": row["size"],
                   **self.reports.get(sha, {}), "file": row["filename"]}
            report.update(Group(scan_report(doc, console=True), self._custody(row)))
            return
        why = self.failures.get(sha, "no scan of it is on record (it failed or was stopped)")
        report.update(Group(
            Text.assemble(safe_text(row["filename"], "bold"), (" cannot be read as a roster",
                                                             "bold red")),
            Text.assemble("why: ", safe_text(why)),
            Text(""),
            Text("The acquisition is on the record and its sealed copy is kept as evidence.",
                 style="dim"),
            self._custody(row),
            Text("Press s to scan it again, or a to acquire another copy.", style="dim")))

    @staticmethod
    def _custody(row: dict) -> Text:
        return Text.assemble(
            f"sha256 {row['sha256']} · {row['size']:,} bytes · acquired"
            f" {row['acquisitions']}× · used {row['uses']}× · from ", safe_text(row["source"]),
            style="dim")

    # -------------------------------------------------------------- actions
    def action_acquire(self) -> None:
        self.query_one("#source", Input).focus()

    @on(Input.Submitted, "#source")
    def submitted(self, event: Input.Submitted) -> None:
        source = event.value.strip()
        if source and self.run_service("acquire", source, False):
            event.input.value = ""
        self.table.focus()

    def action_scan(self) -> None:
        if sha := self._target():
            self.run_service("scan", sha, False)

    def action_import_roster(self) -> None:
        if sha := self._target():
            self.run_service("scan", sha, True)

    def action_date_order(self) -> None:
        """Choose how this artifact's ambiguous birth dates are read; scan it again so."""
        if not (sha := self._target()):
            return
        from warroom.tui.dialogs.date_order import DateOrderScreen

        def chosen(order: str | None) -> None:
            if order is None or order == self.orders.get(sha, ""):
                return
            if order:
                self.orders[sha] = order
            else:
                self.orders.pop(sha, None)
            if self.run_service("scan", sha, False):
                self.app.notify("Scanning it again in that order; press i to import it so.",
                                markup=False)

        row = self.rows[sha]
        dates = json.loads(row["scan"]).get("dates") if row["scan"] else None
        proven = dates is not None and not any(c["ambiguous"] for c in dates)
        self.app.push_screen(DateOrderScreen(row["filename"], self.orders.get(sha), proven),
                             chosen)

    def _target(self) -> str | None:
        sha = self.selected()
        if sha is None:
            self.app.notify("No artifact yet: acquire one first (a).", severity="warning")
        return sha

    @property
    def busy(self) -> bool:
        return bool(self.busy_on)

    def run_service(self, what: str, target: str, import_people: bool) -> bool:
        if self.busy:   # a thread cannot be stopped: one service at a time
            self.app.notify("Still working on the last request; wait for it to finish.",
                            severity="warning")
            return False
        self.busy_on = {target, str(Path(target).expanduser().resolve())}
        self._select = target if what == "scan" else None
        self._service(what, target, import_people, self.orders.get(target))
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="artifact")
    def _service(self, what: str, target: str, import_people: bool,
                 date_order: str | None) -> None:
        from warroom.artifact import service

        def progress(stage: str, done: int, total: int | None) -> None:
            self.post_message(WorkProgress(stage, done, total))

        self.post_message(WorkProgress("starting", 0, None))
        with Journal(self.app.db) as journal:
            try:
                if what == "acquire":
                    report = service.acquire_and_scan(journal, target,
                                                      progress=progress).as_json()
                else:
                    result, imported = service.scan_artifact(
                        journal, target, import_people_too=import_people, progress=progress,
                        date_order=date_order)
                    report = result.as_json()
                    if imported:
                        report["imported"] = {"people": imported.people,
                                              "added": imported.added,
                                              "batches": imported.batches,
                                              "conflicts": imported.conflicts,
                                              "corrected": imported.corrected}
            except Exception as exc:  # shown to the responder, never a crash
                sha = SHA256.search(str(exc))
                row = queries.artifact(journal.conn, sha.group(0)) if sha else None
                error, sha = name_the_file(str(exc), row["filename"] if row else None)
                self.post_message(WorkFailed(what, error, sha))
                return
        self.post_message(ScanFinished(report))

    # -------------------------------------------------------------- results
    def on_work_progress(self, message: WorkProgress) -> None:
        self.query_one("#progress-row").add_class("busy")
        self.query_one("#stage", Label).update(Text(f"{message.stage} "))
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_scan_finished(self, message: ScanFinished) -> None:
        self._done()
        report = message.report
        self.reports[report["sha256"]] = report
        self.failures.pop(report["sha256"], None)
        self._select = report["sha256"]
        self._read_artifacts()
        self.app.notify(f"{report['records']:,} people in {report['file']}", markup=False)
        conflicts = (report.get("imported") or {}).get("conflicts")
        if conflicts:     # nothing merged: both identities kept, the people flagged (≠)
            self.app.notify(f"{conflicts:,} people in the roster now have conflicting"
                            " identities: review them (Notify or Holds tab, key i)",
                            markup=False, severity="warning")
        if corrected := (report.get("imported") or {}).get("corrected"):
            self.app.notify(f"{corrected:,} people's birth dates corrected in the roster (an"
                            " earlier import read them the other way round)", markup=False)

    def on_work_failed(self, message: WorkFailed) -> None:
        self._done()
        if message.sha256:
            self.failures[message.sha256] = message.error
            self._select = message.sha256
            self._read_artifacts()   # the row is evidence: it shows, marked unreadable
        else:  # nothing was acquired (no such file, HTTP error): nothing to list
            self.query_one("#report", Static).update(
                Text.assemble((f"{message.what} failed: ", "bold red"), safe_text(message.error)))
        self.app.notify(message.error, title=f"{message.what} failed", severity="error",
                        markup=False)

    def _done(self) -> None:
        self.busy_on = set()
        self.query_one("#progress-row").remove_class("busy")
