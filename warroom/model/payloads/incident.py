"""Payloads of the incident itself and of the response procedure's steps."""

from __future__ import annotations

from dataclasses import dataclass

from warroom.model.kinds import Kind
from warroom.model.payloads.base import Payload, payload

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


@payload(Kind.PII_EXPORTED)
@dataclass(frozen=True, kw_only=True)
class PiiExported(Payload):
    """A responder exported the journal with the exposed people's personal data, and why.

    A reveal of everyone at once, journaled like a reveal of one, before the export is
    written. `head` and `events` name the journal as it was just before this event."""
    BY = "`warroom export --include-pii --why`: `warroom.export.export`"
    format: str
    file: str | None        # None: written to standard output
    head: str | None
    events: int
    why: str | None = None   # the contract's `--include-pii` alone still exports
