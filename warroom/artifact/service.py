"""The artifact services the faces call: acquire, scan (and import) an evidence copy, with
every use of the copy journaled for the chain of custody."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warroom.artifact import sandbox
from warroom.artifact.acquire import Acquired, acquire
from warroom.artifact.roster import ImportResult, import_people
from warroom.artifact.scan import ScanResult, sha256_file
from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model.payloads import ArtifactScanned

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
            doc["imported"] = {"people": i.people, "added": i.added, "batches": i.batches}
        return doc


def scan_artifact(journal: Journal, sha256: str, *, import_people_too: bool = False,
                  progress: Progress | None = None, at: datetime | None = None,
                  high_risk: frozenset[str] | None = None,
                  ) -> tuple[ScanResult, ImportResult | None]:
    """Scan the sealed copy of an acquired artifact; journal the scan (counts only, no
    personal data in the event); with import, fill the roster from it."""
    row = queries.artifact(journal.conn, sha256)
    if row is None:
        raise WarroomError(f"no artifact {sha256[:12]}… in this journal: acquire it first")
    path = journal.path.parent / row["path"]
    if not path.exists():
        raise WarroomError(f"the evidence copy {path} is missing")
    if sha256_file(path) != sha256:
        raise WarroomError(f"the evidence copy {path.name} no longer matches its sha256:"
                           " it was altered after acquisition")
    stage = (lambda done, total: progress("scan", done, total)) if progress else None
    # read in a child process with limits; the whole file is read before anything is
    # written: a file that breaks half-way (truncated, corrupt, hostile) raises here and
    # leaves the roster untouched
    scanned = sandbox.scan(path, row["filename"], sha256=sha256, progress=stage,
                           high_risk=high_risk, people=import_people_too)
    imported = None
    if scanned.people is not None:
        total = len(scanned.people)
        counter = (lambda done: progress("import", done, total)) if progress else None
        imported = import_people(journal, scanned.people, artifact=sha256, progress=counter,
                                 at=at)
    r = scanned.result
    # counts, column verdicts and headers only: no person in the event
    summary = {k: v for k, v in r.as_json().items() if k not in ("preview", "file")}
    journal.record(ArtifactScanned(sha256=sha256, format=r.format, records=r.records,
                                   summary=summary,
                                   imported=imported.added if imported else None),
                   sha256, occurred_at=at)
    return r, imported


def acquire_and_scan(journal: Journal, source: str, *, import_people_too: bool = False,
                     progress: Progress | None = None, at: datetime | None = None,
                     high_risk: frozenset[str] | None = None) -> Outcome:
    fetch = (lambda done, total: progress("acquire", done, total)) if progress else None
    artifact = acquire(journal, source, progress=fetch, at=at)
    result, imported = scan_artifact(journal, artifact.sha256, at=at, high_risk=high_risk,
                                     import_people_too=import_people_too, progress=progress)
    result.file = source
    return Outcome(artifact, result, imported)


def scan_without_journal(source: str, progress: Progress | None = None,
                         high_risk: frozenset[str] | None = None) -> Outcome:
    """A quick look with no journal: nothing is kept (a URL is fetched to a private temporary
    folder and deleted after the scan)."""
    import tempfile

    from warroom.artifact.acquire import fetch_to, is_url

    stage = (lambda done, total: progress("scan", done, total)) if progress else None
    if not is_url(source):
        if not Path(source).is_file():
            raise WarroomError(f"no file at {source}")
        result = sandbox.scan(source, progress=stage, high_risk=high_risk).result
        result.file = source
        return Outcome(None, result, None)
    with tempfile.TemporaryDirectory(prefix="warroom-scan-") as tmp:
        target = Path(tmp) / "download"
        got = fetch_to(source, target, 1 << 30, None, 30.0)
        result = sandbox.scan(target, got["filename"], sha256=got["sha256"], progress=stage,
                              high_risk=high_risk).result
    result.file = source
    result.notes.append("no journal: the file was scanned and deleted; nothing was kept")
    return Outcome(None, result, None)
