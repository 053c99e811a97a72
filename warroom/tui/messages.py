"""Typed messages of the console. Workers read the journal on their own threads and post
these; handlers on the UI thread touch widgets. Frequent ones coalesce: Textual drops a
queued message when `queued.can_replace(next_one)` says the next one supersedes it."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from warroom.dashboard import Dashboard
from warroom.model import Event


@dataclass
class JournalChanged(Message):
    """The journal has new events: a fresh dashboard read by the poll worker."""

    max_id: int
    board: Dashboard

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JournalChanged)


@dataclass
class ReadFailed(Message):
    """A read of the journal failed (the file went away, a lock held too long)."""

    what: str
    error: str


@dataclass
class ListWindow(Message, bubble=False):
    """A fresh count of a long list (for its filter) with the pages around the view;
    `total` is None when the read failed."""

    generation: int
    filter: object
    total: int | None
    pages: dict[int, list] = field(default_factory=dict)

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ListWindow)   # the newer window supersedes


@dataclass
class ListCounted(Message):
    """A long list shows a fresh count for its filter (its panel may say so)."""

    total: int
    filter: object

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ListCounted)


@dataclass
class ListPages(Message, bubble=False):
    """Pages of a long list read while scrolling."""

    generation: int
    pages: dict[int, list]


@dataclass
class EventRead(Message, bubble=False):
    """One event in full, for its detail."""

    event: Event | None


@dataclass
class ArtifactsRead(Message, bubble=False):
    """The artifact table as the journal has it."""

    rows: list[dict]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ArtifactsRead)


@dataclass
class WorkProgress(Message):
    """A long service reports how far it is (stage, done, total)."""

    stage: str
    done: int
    total: int | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, WorkProgress) and message.stage == self.stage


@dataclass
class ScanFinished(Message):
    report: dict


@dataclass
class WorkFailed(Message):
    what: str
    error: str
    sha256: str | None = None


# ---------------------------------------------------------------- the exposure views


@dataclass
class AccessRead(Message, bubble=False):
    """The access window of the downloaders (first and last access, how many log imports
    say so; `first_seen`/`last_seen` of the downloaders when no logs were imported)."""

    window: dict

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AccessRead)


@dataclass
class DownloaderRead(Message, bubble=False):
    """One downloader in full, with its rows per log import (None: no such client), or why
    it could not be read."""

    client: str
    row: dict | None
    error: str | None = None


@dataclass
class ExposureRead(Message, bubble=False):
    """The exposure window with its moments, sources, confidence and gaps."""

    doc: dict | None
    error: str | None = None


@dataclass
class DraftRead(Message, bubble=False):
    """A takedown request drafted for a location, or why it cannot be drafted."""

    text: str | None
    error: str | None = None


@dataclass
class LocationsRead(Message, bubble=False):
    """Every location with its probe state and its takedown requests."""

    rows: list[dict]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LocationsRead)


@dataclass
class ProbeDone(Message, bubble=False):
    """A round of probes ended: what each check found (`ProbeResult`s), or why it failed."""

    results: list
    error: str | None = None


@dataclass
class Written(Message, bubble=False):
    """A service wrote to the journal for the console (`what` it did), or refused (`error`)."""

    what: str
    text: str = ""
    error: str | None = None


# ---------------------------------------------------------------- the Tips tab (issue 10)


@dataclass
class TipRead(Message, bubble=False):
    """One tip in full with its triage history (`TipTriaged` events, oldest first), or why it
    could not be read (None: no such tip)."""

    ref: str
    tip: dict | None
    history: list = field(default_factory=list)
    error: str | None = None


@dataclass
class TipSubmitted(Message, bubble=False):
    """A tip recorded from the console's form (its `Receipt`), or why it was refused."""

    receipt: object | None
    error: str | None = None


# ---------------------------------------------------------------- the Notify, Holds and Tasks
# tabs (issue 9's console part); a write they asked for answers with `Written`


@dataclass
class RosterStates(Message, bubble=False):
    """How many people are in each notification and hold state, how many have an alarm or
    overdue work, and T0 (what the forms read a 'T0+3d' against)."""

    states: dict[str, dict[str, int]]
    alarms: int
    overdue: int
    t0: str | None
    conflicts: int = 0          # people with more than one identity (name, birth date)

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RosterStates)


@dataclass
class FacetsRead(Message, bubble=False):
    """The roster's facilities or nationalities with their counts, for a picker."""

    what: str                       # "facility" | "nationality"
    choices: list[tuple[str, int]]


@dataclass
class PlanReady(Message, bubble=False):
    """What a bulk change would do (a `machine.Plan`), read once, to be confirmed; or why it
    cannot be planned."""

    plan: object | None
    scope: str                      # whom it is for, in words
    error: str | None = None


@dataclass
class PersonRead(Message, bubble=False):
    """One person as shown (redacted, or revealed after the reveal was journaled) with the
    events about them, newest first; or why they could not be read."""

    person: dict | None
    history: list[Event] = field(default_factory=list)
    error: str | None = None


@dataclass
class TasksRead(Message, bubble=False):
    """Every task in due order (`checklists.tasks.task_list`), or why they could not be read."""

    rows: list[dict]
    error: str | None = None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TasksRead)
