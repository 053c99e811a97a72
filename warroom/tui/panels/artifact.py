"""The Artifact tab: acquire the leaked file (URL or path), scan it with a progress bar, see
what it holds (columns, counts, nationalities, a redacted preview), import the roster."""

from __future__ import annotations

import json
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, ProgressBar, Static

from warroom.journal import Journal, queries
from warroom.render.scan import scan_report
from warroom.render.text import local_time
from warroom.tui.messages import ScanFinished, WorkFailed, WorkProgress


class ArtifactPanel(VerticalScroll):
    BINDINGS = [
        Binding("a", "acquire", "Acquire", tooltip="Acquire a file or URL and scan it"),
        Binding("s", "scan", "Scan", tooltip="Scan the selected artifact again"),
        Binding("i", "import_roster", "Import",
                tooltip="Scan the selected artifact and import its people into the roster"),
    ]
    DEFAULT_CSS = """
    ArtifactPanel { padding: 0 1; }
    ArtifactPanel #source-row { height: 3; }
    ArtifactPanel #source { width: 1fr; }
    ArtifactPanel #progress-row { height: 1; display: none; }
    ArtifactPanel #progress-row.busy { display: block; }
    ArtifactPanel #artifacts { height: auto; max-height: 8; }
    ArtifactPanel #report { height: auto; padding-top: 1; }
    """

    def __init__(self, db: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.db = db
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="source-row"):
            yield Input(placeholder="URL or path of the leaked file; Enter acquires and scans it",
                        id="source")
        with Horizontal(id="progress-row"):
            yield Label("", id="stage")
            yield ProgressBar(id="progress", show_eta=False)
        table = DataTable(id="artifacts", cursor_type="row", zebra_stripes=True)
        table.add_columns("acquired", "file", "bytes", "people", "format", "sha256", "uses")
        yield table
        yield Static("No artifact yet: give a URL or a path above.", id="report")

    # -------------------------------------------------------------- journal view
    def refresh_from(self, conn) -> None:
        rows = queries.artifacts(conn)
        table = self.query_one(DataTable)
        selected = self._selected(quiet=True)
        table.clear()
        for a in rows:
            table.add_row(local_time(a["acquired_at"]), a["filename"] or "",
                          f"{a['size']:,}", "" if a["records"] is None else f"{a['records']:,}",
                          a["format"] or "", a["sha256"][:16] + "…",
                          str(a["uses"]), key=a["sha256"])
        if selected and selected in {a["sha256"] for a in rows}:
            table.move_cursor(row=table.get_row_index(selected))   # keep the responder's row
        if rows and self.shown is None:
            last = rows[-1]
            if last["scan"] and last["scan"] != "{}":
                self._show({**json.loads(last["scan"]), "file": last["filename"]})

    def _selected(self, quiet: bool = False) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            if not quiet:
                self.app.notify("No artifact yet: acquire one first (a).", severity="warning")
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # -------------------------------------------------------------- actions
    def action_acquire(self) -> None:
        self.query_one("#source", Input).focus()

    @on(Input.Submitted, "#source")
    def submitted(self, event: Input.Submitted) -> None:
        source = event.value.strip()
        if source:
            self.run_service("acquire", source, False)

    def action_scan(self) -> None:
        if sha := self._selected():
            self.run_service("scan", sha, False)

    def action_import_roster(self) -> None:
        if sha := self._selected():
            self.run_service("scan", sha, True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="artifact")
    def run_service(self, what: str, target: str, import_people: bool) -> None:
        from warroom.artifact import service

        def progress(stage: str, done: int, total: int | None) -> None:
            self.post_message(WorkProgress(stage, done, total))

        self.post_message(WorkProgress("starting", 0, None))
        try:
            with Journal(self.db) as journal:
                if what == "acquire":
                    outcome = service.acquire_and_scan(journal, target, progress=progress)
                    report = outcome.as_json()
                else:
                    result, imported = service.scan_artifact(
                        journal, target, import_people_too=import_people, progress=progress)
                    report = result.as_json()
                    if imported:
                        report["imported"] = {"people": imported.people,
                                              "added": imported.added,
                                              "batches": imported.batches}
        except Exception as exc:  # shown to the responder, never a crash
            self.post_message(WorkFailed(what, f"{exc}"))
            return
        self.post_message(ScanFinished(report))

    # -------------------------------------------------------------- results
    def on_work_progress(self, message: WorkProgress) -> None:
        self.query_one("#progress-row").add_class("busy")
        self.query_one("#stage", Label).update(f"{message.stage} ")
        bar = self.query_one(ProgressBar)
        bar.update(total=message.total, progress=message.done)

    def on_scan_finished(self, message: ScanFinished) -> None:
        self.query_one("#progress-row").remove_class("busy")
        self._show(message.report)
        self.app.notify(f"{message.report['records']:,} people in {message.report['file']}")

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one("#progress-row").remove_class("busy")
        self.query_one("#report", Static).update(Text(f"{message.what} failed: {message.error}",
                                                      style="bold red"))
        self.app.notify(message.error, title=f"{message.what} failed", severity="error")

    def _show(self, report: dict) -> None:
        self.shown = report.get("sha256")
        self.query_one("#report", Static).update(scan_report(report))
