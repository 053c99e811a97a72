"""Payloads of the artifact: acquisition, scans, and the roster's imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warroom.model.kinds import Kind
from warroom.model.payloads.base import Payload, payload

# ---------------------------------------------------------------- the artifact


@payload(Kind.ARTIFACT_ACQUIRED)
@dataclass(frozen=True, kw_only=True)
class ArtifactAcquired(Payload):
    """A copy of the leaked file was taken as sealed evidence (named by its sha256)."""
    BY = "`warroom scan`, the Artifact tab: `warroom.artifact.acquire.acquire`"
    DEFINES = ("artifact", "sha256")
    sha256: str
    size: int
    source: str
    filename: str
    path: str
    known: bool = False
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] | None = None
    redirects: list[str] | None = None


@payload(Kind.ARTIFACT_SCANNED)
@dataclass(frozen=True, kw_only=True)
class ArtifactScanned(Payload):
    """An evidence copy was scanned: counts and column verdicts, never a person."""
    BY = "`warroom scan`, the Artifact tab: `warroom.artifact.service.scan_artifact`"
    REFS = {"sha256": "artifact"}
    sha256: str
    format: str
    records: int
    summary: dict[str, Any]
    imported: int | None = None


@payload(Kind.ARTIFACT_USED)
@dataclass(frozen=True, kw_only=True)
class ArtifactUsed(Payload):
    """An evidence copy was opened for a purpose (custody record)."""
    BY = "the services that open an evidence copy"
    REFS = {"sha256": "artifact"}
    sha256: str
    purpose: str


@payload(Kind.IMPORT_STARTED)
@dataclass(frozen=True, kw_only=True)
class ImportStarted(Payload):
    """An import into the roster began: how many people, in how many batches."""
    BY = "`warroom scan --import`, the Artifact tab: `warroom.artifact.roster.import_people`"
    DEFINES = ("import", "import_id")
    REFS = {"artifact": "artifact"}
    import_id: str
    people: int
    batch_size: int
    batches: int
    artifact: str | None = None
    # the birth-date order the responder settled ('dmy' or 'mdy'): this import corrects the
    # dates an earlier import of the same artifact read the other way round
    date_order: str | None = None


@payload(Kind.PEOPLE_IMPORTED)
@dataclass(frozen=True, kw_only=True)
class PeopleImported(Payload):
    """A batch of exposed people entered the roster (field names, then one row a person)."""
    BY = "`warroom scan --import`, the Artifact tab: `warroom.artifact.roster.import_people`"
    REFS = {"artifact": "artifact", "import_id": "import"}
    fields: list[str]
    people: list[list[Any]]
    artifact: str | None = None
    batch: int | None = None
    import_id: str | None = None


@payload(Kind.IMPORT_FINISHED)
@dataclass(frozen=True, kw_only=True)
class ImportFinished(Payload):
    """An import into the roster ended: every batch is in."""
    BY = "`warroom scan --import`, the Artifact tab: `warroom.artifact.roster.import_people`"
    REFS = {"import_id": "import", "artifact": "artifact"}
    import_id: str
    people: int
    artifact: str | None = None


@payload(Kind.PERSON_REVEALED)
@dataclass(frozen=True, kw_only=True)
class PersonRevealed(Payload):
    """A responder revealed a person's full record, and why."""
    BY = "a responder revealing a person (`warroom people --reveal --why`)"
    person: str
    why: str
