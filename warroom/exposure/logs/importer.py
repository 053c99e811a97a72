"""`import_downloaders`: an analysis of access logs into the journal, for the Downloaders tab,
the header's counts and the timeline.

What it writes, in chunks of events (one transaction a chunk):
- one `logs_imported`: the logs (files, formats, counts) and the access window;
- `posted` at the first access, when it is earlier than the incident's known posting and
  any earlier import's first access (`source: "access log: first download"`): the
  exposure clock starts no later than that;
- `last_accessed` at the last access, when it is later than any import said before;
- one `downloaded` a downloader, at its first download, with its totals in these logs.

Importing the same logs again does not double-count: an import is named by the digest of
the file's path and the log files' fingerprints (`LogReport.logs`), each `downloaded` carries
that name, and the projection keeps one share per (import, client) that a newer import of
the same name replaces. An import that reads every file of an earlier one of the same path,
and more, supersedes it (yesterday's logs, then yesterday's and today's). Imports of other
files add up: the origin's logs and the CDN's are different downloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from warroom.exposure.logs.analysis import LogReport
from warroom.journal import Journal, queries
from warroom.model import Draft, Kind
from warroom.model.payloads import Downloaded, LastAccessed, LogsImported, Posted

CHUNK = 2000
SOURCE = "access log"


@dataclass(frozen=True)
class LogImport:
    logs: str
    downloaders: int
    events: int
    supersedes: list[str]
    posted: bool           # the first access moved the incident's posting earlier
    last: bool             # the last access is later than any import said before


def superseded(conn, report: LogReport) -> list[str]:
    """Current imports of the same path whose files this report read too (not itself)."""
    mine = {f.fingerprint for f in report.files if f.fingerprint}
    return [row["logs"] for row in queries.log_imports(conn, report.path)
            if row["logs"] != report.logs
            and {f.get("fingerprint") for f in row["files"]} <= mine]


def _summary(report: LogReport) -> str:
    complete = sum(d.complete for d in report.downloaders)
    bots = sum(d.bot for d in report.downloaders)
    files = len(report.files)
    return (f"{len(report.downloaders):,} downloaders ({complete:,} complete, {bots:,} bots)"
            f" of {report.path} in {report.lines:,} lines of {files} file"
            f"{'s' if files != 1 else ''}")


def import_downloaders(journal: Journal, report: LogReport, at: datetime | None = None, *,
                       chunk: int = CHUNK,
                       progress: Callable[[int, int], None] | None = None) -> LogImport:
    """Journal an analysis (see the module's rules); `progress(done, total)` in events."""
    conn = journal.conn
    supersedes = superseded(conn, report)
    incident = queries.incident(conn)
    posted_at = incident["posted_at"] if incident else None
    window = queries.access_window(conn, report.path)
    known_first = min(filter(None, (posted_at, window["first_access"])), default=None)
    files = [{k: v for k, v in vars(f).items() if v is not None} for f in report.files]
    drafts = [Draft(Kind.LOGS_IMPORTED, report.path, LogsImported(
        logs=report.logs, path=report.path, files=files, lines=report.lines,
        bad_lines=report.bad_lines, downloaders=len(report.downloaders),
        first_access=report.first_access, last_access=report.last_access, size=report.size,
        supersedes=supersedes or None, note=_summary(report)).data(), at)]
    posted = bool(report.first_access
                  and (known_first is None or report.first_access < known_first))
    if posted:
        drafts.append(Draft(Kind.POSTED, report.path, Posted(
            url=report.path, source=f"{SOURCE}: first download").data(), report.first_access))
    known_last = window["last_access"]
    last = bool(report.last_access and (known_last is None or report.last_access > known_last))
    if last:
        by = max(report.downloaders, key=lambda d: d.last_download).client
        drafts.append(Draft(Kind.LAST_ACCESSED, report.path, LastAccessed(
            url=report.path, client=by, logs=report.logs, source=f"{SOURCE}: last download",
            note=f"last download of {report.path} in the access logs, by {by}").data(),
            report.last_access))
    for d in report.downloaders:
        drafts.append(Draft(Kind.DOWNLOADED, d.client, Downloaded(
            client=d.client, complete=d.complete, bot=d.bot, bytes=d.bytes, source=SOURCE,
            requests=d.requests, first_seen=d.first_seen, last_seen=d.last_seen,
            user_agents=d.user_agents, complete_by=d.complete_by, logs=report.logs).data(),
            d.first_download))
    for start in range(0, len(drafts), chunk):
        journal.append_many(drafts[start:start + chunk])
        if progress:
            progress(min(start + chunk, len(drafts)), len(drafts))
    return LogImport(report.logs, len(report.downloaders), len(drafts), supersedes, posted, last)
