"""Payloads of the work on people and tasks: tips received, tasks, notice letters, notification,
removal holds and downloader contact."""

from __future__ import annotations

from dataclasses import dataclass

from warroom.model.kinds import Kind
from warroom.model.payloads.base import Payload, payload

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
