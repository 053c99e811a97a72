"""The artifact services the faces call: acquire, scan (and import) an evidence copy, with
every use of the copy journaled for the chain of custody."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warroom.artifact import sandbox
from warroom.artifact.acquire import STALL_TIMEOUT, TOTAL_TIMEOUT, Acquired, acquire
from warroom.artifact.roster import ImportResult, import_people
from warroom.artifact.scan import ScanResult, sha256_file
from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model.payloads import ArtifactScanned
from warroom.model.urls import is_url, mask_url

Progress = Callable[[str, int, "int | None"], None]   # (stage, done, total)


@dataclass(frozen=True)
class Outcome:
    artifact: Acquired | None
    scan: ScanResult
    imported: ImportResult | None

    def as_json(self) -> dict:
        doc = self.scan.as_json()
        if self.artifact:
            a = self.artifact
            doc["artifact"] = {"sha256": a.sha256, "size": a.size, "source": a.source,
                               "final_url": a.final_url, "status": a.status,
                               "filename": a.filename, "known": a.known,
                               "evidence": str(a.path), "redirects": a.redirects}
        if self.imported:
            i = self.imported
            doc["imported"] = {"people": i.people, "added": i.added, "batches": i.batches,
                               "conflicts": i.conflicts, "corrected": i.corrected}
        return doc


def scan_artifact(journal: Journal, sha256: str, *, import_people_too: bool = False,
                  progress: Progress | None = None, at: datetime | None = None,
                  high_risk: frozenset[str] | None = None, date_order: str | None = None,
                  ) -> tuple[ScanResult, ImportResult | None]:
    """Scan the sealed copy of an acquired artifact; journal the scan (counts only, no
    personal data in the event); with import, fill the roster from it. `date_order` ('dmy'
    or 'mdy') reads the birth dates whose day and month could be either."""
    row = queries.artifact(journal.conn, sha256)
    if row is None:
        raise WarroomError(f"no artifact {sha256[:12]}… in this journal: acquire it first")
    path = journal.path.parent / row["path"]
    if not path.exists():
        raise WarroomError(f"the evidence copy {path} is missing")
    with evidence_copy(journal, path) as readable:
        result, imported = _scan_copy(journal, sha256, row, readable, at=at,
                                      import_people_too=import_people_too, progress=progress,
                                      high_risk=high_risk, date_order=date_order)
    for cut in queries.unfinished_imports(journal.conn):
        result.notes.append(
            f"an import of {cut['people']:,} people is unfinished ({cut['batches_done']} of"
            f" {cut['batches']} batches): scan the same artifact again with --import to"
            " complete it")
    return result, imported


@contextmanager
def evidence_copy(journal: Journal, path: Path) -> Iterator[Path]:
    """A path the readers can open: the copy itself, or, for an encrypted journal's sealed
    copy, its bytes unsealed into memory for as long as the block runs."""
    from warroom.artifact.vault import is_sealed, unsealed

    if not is_sealed(path):
        yield path
        return
    key = journal.evidence_key()
    if key is None:
        raise WarroomError(f"the evidence copy {path.name} is sealed, and this journal is not"
                           " encrypted: it belongs to another journal")
    with unsealed(path, key) as plain:
        yield plain


def _scan_copy(journal: Journal, sha256: str, row: dict, path: Path, *,
               import_people_too: bool, progress: Progress | None, at: datetime | None,
               high_risk: frozenset[str] | None, date_order: str | None,
               ) -> tuple[ScanResult, ImportResult | None]:
    if sha256_file(path) != sha256:
        raise WarroomError(f"the evidence copy of {row['filename']} ({sha256[:12]}…) no longer"
                           " matches its sha256:"
                           " it was altered after acquisition")
    stage = (lambda done, total: progress("scan", done, total)) if progress else None
    # read in a child process with limits; the whole file is read before anything is
    # written: a file that breaks half-way (truncated, corrupt, hostile) raises here and
    # leaves the roster untouched
    scanned = sandbox.scan(path, row["filename"], sha256=sha256, progress=stage,
                           high_risk=high_risk, people=import_people_too,
                           date_order=date_order)
    imported = None
    if scanned.people is not None:
        total = len(scanned.people)
        counter = (lambda done: progress("import", done, total)) if progress else None
        # the order settles something only where a column was ambiguous: else this is the
        # same import as one without the option (nothing written twice)
        settled = date_order if any(c["ambiguous"] for c in scanned.result.dates) else None
        imported = import_people(journal, scanned.people, artifact=sha256, progress=counter,
                                 at=at, date_order=settled)
    r = scanned.result
    # counts, column verdicts and headers only: no person in the event (not even redacted)
    summary = {k: v for k, v in r.as_json().items()
               if k not in ("preview", "file", "conflicts")}
    journal.record(ArtifactScanned(sha256=sha256, format=r.format, records=r.records,
                                   summary=summary,
                                   imported=imported.added if imported else None),
                   sha256, occurred_at=at)
    return r, imported


def acquire_and_scan(journal: Journal, source: str, *, import_people_too: bool = False,
                     progress: Progress | None = None, at: datetime | None = None,
                     high_risk: frozenset[str] | None = None, timeout: float = TOTAL_TIMEOUT,
                     stall: float = STALL_TIMEOUT, date_order: str | None = None) -> Outcome:
    """Acquire (a URL: ended after `timeout` seconds in all, or `stall` seconds without a
    byte), then scan; the outcome names a URL with its secrets masked."""
    fetch = (lambda done, total: progress("acquire", done, total)) if progress else None
    artifact = acquire(journal, source, progress=fetch, at=at, timeout=timeout, stall=stall)
    if is_url(source):   # where the file was found is a place to take it down from
        from warroom.exposure.locations import record_acquired_url

        record_acquired_url(journal, source, final_url=artifact.final_url, at=at)
    result, imported = scan_artifact(journal, artifact.sha256, at=at, high_risk=high_risk,
                                     import_people_too=import_people_too, progress=progress,
                                     date_order=date_order)
    result.file = mask_url(source) if is_url(source) else source
    return Outcome(artifact, result, imported)


def scan_without_journal(source: str, progress: Progress | None = None,
                         high_risk: frozenset[str] | None = None,
                         timeout: float = TOTAL_TIMEOUT, stall: float = STALL_TIMEOUT,
                         date_order: str | None = None) -> Outcome:
    """A quick look with no journal: nothing is kept (a URL is fetched to a private temporary
    folder and deleted after the scan)."""
    import tempfile

    from warroom.artifact.acquire import fetch_to

    stage = (lambda done, total: progress("scan", done, total)) if progress else None
    if not is_url(source):
        if not Path(source).is_file():
            raise WarroomError(f"no file at {source}")
        result = sandbox.scan(source, progress=stage, high_risk=high_risk,
                              date_order=date_order).result
        result.file = source
        return Outcome(None, result, None)
    with tempfile.TemporaryDirectory(prefix="warroom-scan-") as tmp:
        target = Path(tmp) / "download"
        got = fetch_to(source, target, timeout=timeout, stall=stall)
        result = sandbox.scan(target, got["filename"], sha256=got["sha256"], progress=stage,
                              high_risk=high_risk, date_order=date_order).result
    result.file = mask_url(source)
    result.notes.append("no journal: the file was scanned and deleted; nothing was kept")
    return Outcome(None, result, None)
