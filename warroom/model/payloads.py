"""One small typed payload per event kind, with its one-line description (the class's
docstring). Services build payloads; the journal stores `payload.data()`; `parse` reads an
event's data back. `docs/events.md` is generated from this registry."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar

from warroom.model.kinds import Kind

PAYLOADS: dict[Kind, type[Payload]] = {}


@dataclass(frozen=True, kw_only=True)
class Payload:
    KIND: ClassVar[Kind]
    # What the event brings into being, as (namespace, field): e.g. ("artifact", "sha256").
    DEFINES: ClassVar[tuple[str, str] | None] = None
    # What it refers to, as {field: namespace}: a reference to something not yet recorded
    # is a fault that `verify` names (an event moved before what it speaks of).
    REFS: ClassVar[dict[str, str]] = {}
    # Who writes it: the service function (and so the commands and keys that call it).
    BY: ClassVar[str] = "a responder: `warroom.incident.record`"

    def data(self) -> dict[str, Any]:
        """The event's data: every field that is set (None is left out)."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    @classmethod
    def describe(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Payload:
        """The payload of a stored event (fields it does not know are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def payload(*kinds: Kind):
    """Register a payload class for one kind (or several that carry the same fields: the
    first is its `KIND`)."""
    def register(cls: type[Payload]) -> type[Payload]:
        cls.KIND = kinds[0]
        for kind in kinds:
            PAYLOADS[kind] = cls
        return cls

    return register


def payload_for(kind: str) -> type[Payload]:
    return PAYLOADS[Kind(kind)]


def field_names(cls: type[Payload]) -> list[tuple[str, bool]]:
    """(name, required) for each field of a payload class."""
    return [(f.name, f.default is MISSING and f.default_factory is MISSING) for f in fields(cls)]


# ---------------------------------------------------------------- the incident


@payload(Kind.INCIDENT_OPENED)
@dataclass(frozen=True, kw_only=True)
class IncidentOpened(Payload):
    """The incident is opened: its name and what happened."""
    BY = "`warroom init`: `warroom.incident.open_incident`"
    name: str
    description: str | None = None
    discovered_at: str | None = None


@payload(Kind.NOTE)
@dataclass(frozen=True, kw_only=True)
class Note(Payload):
    """A responder's note on the timeline."""
    text: str


@payload(Kind.CLOSED)
@dataclass(frozen=True, kw_only=True)
class Closed(Payload):
    """The incident is closed."""
    text: str | None = None


# ---------------------------------------------------------------- where the file is


@payload(Kind.LOCATION_ADDED)
@dataclass(frozen=True, kw_only=True)
class LocationAdded(Payload):
    """A place where the file is or was reachable (origin, CDN, mirror, cache, archive)."""
    BY = "`warroom.incident.add_location` (a responder, an acquisition from a URL)"
    DEFINES = ("location", "url")
    url: str
    kind: str
    state: str | None = None
    note: str | None = None


@payload(Kind.LOCATION_STATE, Kind.VERIFIED)
@dataclass(frozen=True, kw_only=True)
class LocationChecked(Payload):
    """What a location does now (live, down, verified down), with the check's evidence.

    A responder's statement carries the state alone. A probe's check carries its `verdict`
    and the evidence; the state then follows from the verdict, the location's run of
    negative checks and the rule (`confirm` checks over `over` seconds), and the journal
    refuses a check whose `was`, `state` or `negatives` disagree with that (a decision taken
    from a stale read by another process)."""
    BY = ("`warroom.incident.location_state` (a responder);"
          " `warroom.exposure.probe` (`warroom probe`, the console's `p`)")
    REFS = {"url": "location", "artifact": "artifact"}
    url: str
    state: str
    status: int | None = None           # the last HTTP status (after redirects)
    sha256: str | None = None           # of the bytes fetched, when they were read whole
    note: str | None = None
    was: str | None = None              # the state before this check
    verdict: str | None = None          # found | gone | unsure (a probe's check)
    match: str | None = None            # sha256 | a-numbers | none
    share: float | None = None          # of the evidence copy's A-numbers found in the bytes
    found: int | None = None            # how many of them
    artifact: str | None = None         # the evidence copy it was compared with
    head: int | None = None             # the HEAD request's status
    redirects: list[str] | None = None  # each hop: "301 https://…"
    final_url: str | None = None
    bytes: int | None = None            # body bytes read
    error: str | None = None            # why the check could not tell (timeout, refused, …)
    negatives: int | None = None        # consecutive negative checks, this one included
    confirm: int | None = None          # the rule: this many negatives …
    over: int | None = None             # … spread over at least this many seconds


@payload(Kind.POSTED)
@dataclass(frozen=True, kw_only=True)
class Posted(Payload):
    """The file became reachable at a location (stated, or the earliest access in a log)."""
    url: str
    source: str | None = None


@payload(Kind.TAKEN_DOWN, Kind.CDN_PURGED)
@dataclass(frozen=True, kw_only=True)
class TakenDown(Payload):
    """The file was pulled from a location (deleted at the origin, purged from a CDN)."""
    url: str
    by: str | None = None


@payload(Kind.DOWNLOADED)
@dataclass(frozen=True, kw_only=True)
class Downloaded(Payload):
    """A client received bytes of the file (complete or partial), from an access log."""
    BY = ("`warroom logs --import`: `warroom.exposure.logs.importer.import_downloaders`"
          " (or a responder)")
    REFS = {"logs": "logs"}
    client: str
    complete: bool = False
    bot: bool = False
    bytes: int | None = None
    source: str | None = None
    # From an access-log import: the client's totals in the logs of `logs_imported` `logs`
    # (an import of the same logs again replaces them, it does not add to them).
    requests: int | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    user_agents: list[str] | None = None
    complete_by: str | None = None
    logs: str | None = None


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


# ---------------------------------------------------------------- tips and tasks


@payload(Kind.TIP_RECEIVED)
@dataclass(frozen=True, kw_only=True)
class TipReceived(Payload):
    """A tip from an advocacy group or the public (a copy found, a client affected)."""
    BY = ("a responder (`warroom tip add`, `tip import`, the Tips tab) or the intake server:"
          " `warroom.tips.submit`")
    DEFINES = ("tip", "uid")
    uid: str                                # the receipt: the same for a retried submission
    source: str
    text: str
    url: str | None = None                  # the first of `urls`, masked
    confidential: bool = False
    discovery: bool = False
    contact: str | None = None
    channel: str | None = None
    org: str | None = None                  # the organisation whose intake token sent it
    urls: list[str] | None = None           # masked
    a_numbers: list[str] | None = None      # canonical form
    in_roster: list[str] | None = None      # those of `a_numbers` the roster held on receipt


@payload(Kind.TASK_ADDED)
@dataclass(frozen=True, kw_only=True)
class TaskAdded(Payload):
    """A task joins a checklist, with its due time (fixed, or an offset after T0)."""
    BY = ("the checklists: `warroom.checklists.tasks` (`warroom task list|add|load`, the"
          " Tasks tab)")
    DEFINES = ("task", "key")
    key: str
    checklist: str
    title: str
    due_at: str | None = None
    due_offset: int | None = None     # seconds after T0 (discovery, else the opening)
    owner: str | None = None          # the role that owns it
    step: str | None = None           # the procedure step (a Kind) that completes it


@payload(Kind.TASK_STATE)
@dataclass(frozen=True, kw_only=True)
class TaskChanged(Payload):
    """A task changed state, owner or note."""
    BY = "the checklists: `warroom.checklists.tasks` (`warroom task done|assign`)"
    REFS = {"key": "task"}
    key: str
    state: str
    assignee: str | None = None
    note: str | None = None


# ---------------------------------------------------------------- takedown requests


@payload(Kind.TAKEDOWN_REQUESTED)
@dataclass(frozen=True, kw_only=True)
class TakedownRequested(Payload):
    """Removal of the file from a location was requested (from whom, by whom, their ref)."""
    BY = "`warroom takedown`: `warroom.exposure.takedown.request`"
    DEFINES = ("takedown", "request_id")
    REFS = {"url": "location"}
    request_id: str
    url: str
    via: str                 # site | cdn-purge | search-engine | archive | host
    by: str                  # the responder who asked
    ref: str | None = None   # the ticket or case number they gave
    note: str | None = None


@payload(Kind.TAKEDOWN_STATE)
@dataclass(frozen=True, kw_only=True)
class TakedownChanged(Payload):
    """A takedown request moved on: acknowledged, done, or refused (with the reason)."""
    BY = "`warroom takedown --state`: `warroom.exposure.takedown.set_state`"
    REFS = {"request_id": "takedown", "url": "location"}
    request_id: str
    url: str
    via: str
    state: str
    was: str                 # the state it moved from (a stale move is refused)
    by: str
    reason: str | None = None
    ref: str | None = None


# ---------------------------------------------------------------- the procedure's steps
# Steps of the response procedure that carry a free text, a reference and a person or client.


def _step(kind: Kind, doc: str) -> type[Payload]:
    cls = type(kind.name.title().replace("_", ""), (ProcedureStep,), {"__doc__": doc})
    return payload(kind)(dataclass(frozen=True, kw_only=True)(cls))


@dataclass(frozen=True, kw_only=True)
class ProcedureStep(Payload):
    text: str | None = None
    ref: str | None = None
    ticket: str | None = None
    person: str | None = None
    client: str | None = None
    url: str | None = None


STEPS = {
    Kind.SEARCH_REMOVAL_REQUESTED: "Removal from a search engine's results was requested.",
    Kind.ARCHIVE_REMOVAL_REQUESTED: "Removal of an archived copy was requested.",
    Kind.CISA_REPORTED: "The incident was reported to CISA.",
    Kind.PRIVACY_OFFICER_NOTIFIED: "The privacy officer was notified.",
    Kind.BRT_CONVENED: "The breach response team was convened.",
    Kind.MAJOR_INCIDENT_DETERMINED: "The major-incident determination was made.",
    Kind.CONGRESS_NOTIFIED: "Congress was notified.",
    Kind.HOLD_PLACED: "A removal hold was placed for a person.",
    Kind.HOLD_EXPIRED: "A removal hold expired.",
    Kind.REMOVAL_EXECUTED: "An exposed person was removed (an alarm).",
    Kind.CUSTODY_REVIEW: "A custody review was held for a person.",
    Kind.RELEASED: "A person was released from custody.",
    Kind.NOTICE_SENT: "A notice was sent to an exposed person.",
    Kind.NOTICE_UNDELIVERABLE: "A notice could not be delivered.",
    Kind.ATTORNEY_NOTIFIED: "A person's counsel was notified.",
    Kind.IJ_NOTICE_FILED: "Notice was filed with the immigration judge.",
    Kind.DOWNLOADER_IDENTIFIED: "A downloader was identified.",
    Kind.CLAWBACK_SENT: "A deletion request was sent to a downloader.",
    Kind.DELETION_ATTESTED: "A downloader attested deletion.",
    Kind.REPOST_DETECTED: "The file was found posted again (an alarm).",
    Kind.PUBLIC_STATEMENT: "A public statement was made.",
    Kind.SECONDARY_DISCLOSURE: "Data from the file was disclosed further (an alarm).",
}
for _kind, _doc in STEPS.items():
    _step(_kind, _doc)


# ---------------------------------------------------------------- access logs


@payload(Kind.LOGS_IMPORTED)
@dataclass(frozen=True, kw_only=True)
class LogsImported(Payload):
    """Access logs were read for the file: which logs, what they hold, when it was served."""
    BY = "`warroom logs --import`: `warroom.exposure.logs.importer.import_downloaders`"
    DEFINES = ("logs", "logs")
    logs: str                        # digest of the path and the log files' fingerprints
    path: str
    files: list[dict[str, Any]]      # file, format, lines, bad_lines, requests, fingerprint
    lines: int
    bad_lines: int
    downloaders: int
    first_access: str | None = None
    last_access: str | None = None
    size: int | None = None
    # earlier imports of this path from some of the same files: their counts give way
    supersedes: list[str] | None = None
    note: str | None = None


@payload(Kind.LAST_ACCESSED)
@dataclass(frozen=True, kw_only=True)
class LastAccessed(Payload):
    """The last time the access logs show a client receiving bytes of the file."""
    BY = "`warroom logs --import`: `warroom.exposure.logs.importer.import_downloaders`"
    REFS = {"logs": "logs"}
    url: str
    client: str | None = None
    logs: str | None = None
    source: str | None = None
    note: str | None = None

# ---------------------------------------------------------------- notice letters


@payload(Kind.LETTERS_WRITTEN)
@dataclass(frozen=True, kw_only=True)
class LettersWritten(Payload):
    """Notice letters were written for people (roster ids): languages, format; no name."""
    BY = "`warroom letters`: `warroom.checklists.letters.write_letters`"
    count: int
    format: str
    people: list[int]
    languages: dict[str, int]
    dated: str
    batch: bool = False
    drafts: list[str] | None = None
    placeholders: bool = False
# ---------------------------------------------------------------- checklists (issue 9)
# One event a person (or downloader) a move, also in bulk: `was` is the state the move was
# decided from; the projection refuses the event when the state moved on in between (another
# responder wrote first), and the service reads again and decides again.


@payload(Kind.NOTIFY_STATE)
@dataclass(frozen=True, kw_only=True)
class NotifyChanged(Payload):
    """A person's notification moved (prepared, delivered, undeliverable, …) or was corrected."""
    BY = "`warroom notify`, the Notify tab: `warroom.checklists.notify.apply`"
    person: str                        # the person key
    state: str
    was: str | None = None
    channel: str | None = None
    counsel: str | None = None
    language: str | None = None
    note: str | None = None
    correction: str | None = None     # why a move the rules refuse was recorded anyway


@payload(Kind.HOLD_STATE)
@dataclass(frozen=True, kw_only=True)
class HoldChanged(Payload):
    """A person's removal hold moved (requested, placed, lifted, expired) or was corrected."""
    BY = "`warroom hold`, the Holds tab: `warroom.checklists.holds.apply`"
    person: str
    state: str
    was: str | None = None
    type: str | None = None
    expires: str | None = None        # a date; else `days` after the person's notice
    days: int | None = None
    removal_date: str | None = None   # the scheduled removal, as the custody system says
    note: str | None = None
    correction: str | None = None


@payload(Kind.CONTACT_STATE)
@dataclass(frozen=True, kw_only=True)
class ContactChanged(Payload):
    """A downloader's contact moved (attributed, claw-back sent, attested, …) or was corrected."""
    BY = "`warroom downloader`, the Downloaders tab: `warroom.checklists.contact.apply`"
    client: str
    state: str
    was: str | None = None
    organisation: str | None = None
    contact: str | None = None
    note: str | None = None
    correction: str | None = None
# ---------------------------------------------------------------- tips, tokens, lookups


@payload(Kind.TIP_TRIAGED)
@dataclass(frozen=True, kw_only=True)
class TipTriaged(Payload):
    """A tip moved on: verified, actioned, or dismissed (with the reason)."""
    BY = "a responder: `warroom tip triage`, the Tips tab: `warroom.tips.triage.triage`"
    REFS = {"uid": "tip"}
    uid: str
    state: str
    previous: str
    handled_by: str
    reason: str | None = None


@payload(Kind.TOKEN_ADDED)
@dataclass(frozen=True, kw_only=True)
class TokenAdded(Payload):
    """An organisation was given an intake token (only its sha256 is kept)."""
    BY = "`warroom intake token add`: `warroom.tips.tokens.add_token`"
    DEFINES = ("token", "token_hash")
    org: str
    token_hash: str
    token_id: str


@payload(Kind.TOKEN_REVOKED)
@dataclass(frozen=True, kw_only=True)
class TokenRevoked(Payload):
    """An organisation's intake token was revoked: the server refuses it from now on."""
    BY = "`warroom intake token revoke`: `warroom.tips.tokens.revoke_tokens`"
    REFS = {"token_hash": "token"}
    org: str
    token_hash: str
    token_id: str


@payload(Kind.LOOKUP)
@dataclass(frozen=True, kw_only=True)
class Lookup(Payload):
    """An advocate asked whether one client is in the file (never the birth date asked)."""
    BY = "the intake server's `POST /lookup`: `warroom.tips.lookup.lookup`"
    org: str
    token_id: str
    result: str                             # a LookupResult (in_file, absent, mismatch, …)
    receipt: str
    a_number: str                           # redacted: the last three digits only
    person_id: int | None = None            # the roster row, when the client is in the file


assert set(PAYLOADS) == set(Kind), f"kinds without a payload: {set(Kind) - set(PAYLOADS)}"
