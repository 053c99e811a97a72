"""Notification, per person: pending → prepared → delivered → acknowledged, or a failed
attempt: undeliverable → substitute notice. A later state implies the earlier ones
(acknowledged from pending sets the notice date too). A move backwards, or one that makes no
sense, is refused with its reason unless it is recorded as a correction with a reason.

Channels: in-person (hand delivery in custody), mail, counsel, court (notice to the
immigration judge). A home government or consulate is never one (`channels`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from warroom.checklists import channels, machine, people
from warroom.checklists.filters import PeopleFilter
from warroom.journal import Journal
from warroom.model import Channel, Draft, Kind, NotifyState
from warroom.model.payloads import NotifyChanged

S = NotifyState
NOTIFY = machine.Machine(
    "notification", NotifyState,
    moves={
        S.PENDING: frozenset({S.PREPARED, S.DELIVERED, S.ACKNOWLEDGED, S.UNDELIVERABLE}),
        S.PREPARED: frozenset({S.DELIVERED, S.ACKNOWLEDGED, S.UNDELIVERABLE}),
        S.DELIVERED: frozenset({S.ACKNOWLEDGED}),
        S.ACKNOWLEDGED: frozenset(),
        S.UNDELIVERABLE: frozenset({S.PREPARED, S.SUBSTITUTE}),     # a new attempt, or not
        S.SUBSTITUTE: frozenset({S.PREPARED, S.ACKNOWLEDGED}),
    },
    chain=(S.PENDING, S.PREPARED, S.DELIVERED, S.ACKNOWLEDGED),
    reasons={
        (S.UNDELIVERABLE, S.DELIVERED): "delivered after undeliverable needs a new attempt:"
                                        " record it first (--state prepared)",
        (S.UNDELIVERABLE, S.ACKNOWLEDGED): "acknowledged after undeliverable needs a new"
                                           " attempt: record it first (--state prepared)",
        (S.PENDING, S.SUBSTITUTE): "a substitute notice follows an undeliverable attempt:"
                                   " record that first",
        (S.PREPARED, S.SUBSTITUTE): "a substitute notice follows an undeliverable attempt:"
                                    " record that first",
        (S.DELIVERED, S.UNDELIVERABLE): "delivered → undeliverable: a notice already"
                                        " delivered cannot fail; correct it with a reason",
        (S.SUBSTITUTE, S.DELIVERED): "delivered after a substitute notice needs a new"
                                     " attempt: record it first (--state prepared)",
    })
# Moves that are a delivery attempt: they need to know by which channel.
NEEDS_CHANNEL = frozenset({S.DELIVERED, S.UNDELIVERABLE})


@dataclass(frozen=True)
class NotifyChange:
    """What to record for each selected person; None leaves a field as it is (a state of
    None keeps each person's state: a change of counsel, language or note)."""

    state: NotifyState | None = None
    channel: Channel | None = None
    counsel: str | None = None
    language: str | None = None
    note: str | None = None
    correction: str | None = None      # record a refused move anyway, for this reason
    at: datetime | None = None         # when it happened (default: now)

    @classmethod
    def parse(cls, state: str | None = None, channel: str | None = None, **rest):
        """From typed text: a consular channel or counsel is refused (RefusedAction, exit 2),
        an unknown state or channel is a clear error."""
        return cls(state=NOTIFY.state(state) if state else None,
                   channel=channels.channel(channel),
                   counsel=channels.destination(rest.pop("counsel", None), "the counsel"),
                   **rest)

    def describe(self) -> str:
        parts = [f"notification → {self.state or 'same state'}"]
        if self.channel:
            parts.append(f"by {self.channel}")
        if self.correction:
            parts.append("(a correction)")
        return " ".join(parts)


def decide(row: dict, change: NotifyChange) -> machine.Decision:
    """The events for one person, [] when nothing changes, or why the move is refused."""
    was = row["notify_state"]
    to = change.state or was
    reason = NOTIFY.refusal(was, to)
    if reason and not change.correction:
        return reason
    channel = change.channel or row["notify_channel"]
    if to in NEEDS_CHANNEL and to != was and not channel:
        return f"{to} is an attempt: say by which channel (--channel in-person|mail|counsel|court)"
    if channel == Channel.COUNSEL and not (change.counsel or row["counsel"]):
        return "notice through counsel needs the counsel of record (--counsel NAME)"
    fresh = {k: v for k, v in (("channel", change.channel), ("counsel", change.counsel),
                               ("language", change.language), ("note", change.note))
             if v is not None and v != row[_COLUMNS[k]]}
    if to == was and not fresh and not change.correction:
        return []
    event = NotifyChanged(person=row["person_key"], state=to, was=was,
                          correction=change.correction, **fresh)
    return [Draft(Kind.NOTIFY_STATE, row["person_key"], event.data(), change.at)]


_COLUMNS = {"channel": "notify_channel", "counsel": "counsel", "language": "language",
            "note": "notify_note"}


def plan(conn: sqlite3.Connection, flt: PeopleFilter, change: NotifyChange) -> machine.Plan:
    """What the change would do to the people the filter selects (read once)."""
    return people.plan(conn, flt, change.describe(), lambda row: decide(row, change))


# Record a plan, one event a person, in batches; refused as a whole when any move is.
apply = machine.apply


def notify(journal: Journal, flt: PeopleFilter, change: NotifyChange,
           progress: Callable[[int, int], None] | None = None) -> machine.Outcome:
    return apply(journal, plan(journal.conn, flt, change), progress)
