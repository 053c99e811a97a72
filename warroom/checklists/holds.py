"""Removal holds, per person: none → requested → placed → lifted | expired. A hold that
ended may be requested or placed again (a new hold); every other move backwards is refused
unless recorded as a correction with a reason.

A hold has a type (policy delay, administrative stay, court stay; policy delay when placed
without one), who placed it and when (the event that placed it), and an end: a date, or by
default `[holds] days` (30) after the person's notice, read as such, so it follows the notice
whenever that comes. The scheduled removal date comes from the custody system; a removal that
happened is journaled as `removal_executed` (an alarm on the timeline), a custody review as
`custody_review`.

Alarms (computed by the journal's read side, `queries.PERSON_FLAGS`, so the list and the
filter agree): a scheduled removal inside an open hold, or before the person's notice; a
hold that ends before the notice (a fixed end before it, or before today with no notice, or
lifted or expired with no notice); a person removed before notice, or while a hold was placed.

Work order: scheduled removal soonest, then high-risk, then the rest (`order="work"`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from warroom.checklists import machine, people, tasks, when
from warroom.checklists.filters import PeopleFilter
from warroom.errors import WarroomError
from warroom.journal import Journal
from warroom.model import Draft, HoldState, Kind
from warroom.model.kinds import ENDED_HOLD_STATES, OPEN_HOLD_STATES, HoldType
from warroom.model.payloads import HoldChanged, payload_for

S = HoldState
HOLD = machine.Machine(
    "hold", HoldState,
    moves={
        S.NONE: frozenset({S.REQUESTED, S.PLACED}),
        S.REQUESTED: frozenset({S.PLACED}),
        S.PLACED: frozenset({S.LIFTED, S.EXPIRED}),
        S.LIFTED: frozenset({S.REQUESTED, S.PLACED}),     # a new hold
        S.EXPIRED: frozenset({S.REQUESTED, S.PLACED}),
    },
    chain=(S.NONE, S.REQUESTED, S.PLACED),
    reasons={
        (S.NONE, S.LIFTED): "there is no hold to lift",
        (S.NONE, S.EXPIRED): "there is no hold to expire",
        (S.REQUESTED, S.LIFTED): "the hold was requested, never placed: correct it with a"
                                 " reason to withdraw the request",
        (S.REQUESTED, S.EXPIRED): "the hold was requested, never placed: it cannot expire",
        (S.LIFTED, S.EXPIRED): "the hold was lifted: it cannot expire",
        (S.EXPIRED, S.LIFTED): "the hold expired: it cannot be lifted",
    })
ALARMS = people.ALARMS


@dataclass(frozen=True)
class HoldChange:
    """What to record for each selected person; None leaves a field as it is."""

    state: HoldState | None = None
    type: HoldType | None = None
    expires: str | None = None          # a date (YYYY-MM-DD); else days after notice
    removal_date: str | None = None     # '' cancels the scheduled removal
    removed: datetime | None = None     # the person was removed then (an alarm)
    review: str | None = None           # the custody review's outcome
    note: str | None = None
    correction: str | None = None
    at: datetime | None = None

    @classmethod
    def parse(cls, state: str | None = None, type: str | None = None,
              expires: str | None = None, removal_date: str | None = None,
              removed: str | None = None, **rest) -> HoldChange:
        return cls(state=HOLD.state(state) if state else None,
                   type=_hold_type(type) if type else None,
                   expires=_end(expires),
                   removal_date=when.day(removal_date),
                   removed=when.instant(removed), **rest)

    def describe(self) -> str:
        parts = [f"hold → {self.state}"] if self.state else ["hold details"]
        if self.removed:
            parts.append("removal executed")
        if self.correction:
            parts.append("(a correction)")
        return " ".join(parts)


def _end(text: str | None) -> str | None:
    day = when.day(text)
    if day == "":
        raise WarroomError("a hold's end is a date (without one, it ends 30 days after the"
                           " person's notice)")
    return day


def _hold_type(text: str) -> HoldType:
    wanted = text.strip().lower().replace("_", "-").replace(" ", "-")
    for member in HoldType:
        if wanted in (member.value, member.value.split("-")[0]):
            return member
    raise WarroomError(f"no hold type {text!r}: one of {', '.join(t.value for t in HoldType)}")


def decide(row: dict, change: HoldChange) -> machine.Decision:
    was = row["hold_state"]
    to = change.state or was
    reason = HOLD.refusal(was, to)
    if reason and not change.correction:
        return reason
    current = {k: row[column] for k, column in _COLUMNS.items()}
    current["removal_date"] = current["removal_date"] or ""     # '' cancels: none to cancel
    fresh = {k: v for k, v in (("type", change.type), ("expires", change.expires),
                               ("removal_date", change.removal_date), ("note", change.note))
             if v is not None and v != current[k]}
    if to == HoldState.PLACED and not (change.type or row["hold_type"]):
        fresh["type"] = HoldType.POLICY_DELAY
    new_hold = to != was and to in OPEN_HOLD_STATES
    if new_hold and not change.expires and (was in ENDED_HOLD_STATES
                                            or not (row["hold_until"] or row["hold_days"])):
        fresh["days"] = tasks.hold_days()     # until N days after the person's notice
    drafts: list[Draft] = []
    if to != was or fresh or change.correction:
        drafts.append(Draft(Kind.HOLD_STATE, row["person_key"], HoldChanged(
            person=row["person_key"], state=to, was=was, correction=change.correction,
            **fresh).data(), change.at))
    if change.removed and not row["removed_at"]:
        drafts.append(_step(Kind.REMOVAL_EXECUTED, row, change.note, change.removed))
    if change.review and change.review != row["custody_review"]:
        drafts.append(_step(Kind.CUSTODY_REVIEW, row, change.review, change.at))
    return drafts


_COLUMNS = {"type": "hold_type", "expires": "hold_until", "removal_date": "removal_date",
            "note": "hold_note"}


def _step(kind: Kind, row: dict, text: str | None, at: datetime | None) -> Draft:
    step = payload_for(kind)(person=row["person_key"], text=text)
    return Draft(kind, row["person_key"], step.data(), at)


def plan(conn: sqlite3.Connection, flt: PeopleFilter, change: HoldChange) -> machine.Plan:
    return people.plan(conn, flt, change.describe(), lambda row: decide(row, change))


# Record a plan, one event a person, in batches; refused as a whole when any move is.
apply = machine.apply


def hold(journal: Journal, flt: PeopleFilter, change: HoldChange,
         progress: Callable[[int, int], None] | None = None) -> machine.Outcome:
    return apply(journal, plan(journal.conn, flt, change), progress)


def alarms(conn: sqlite3.Connection, at: datetime | None = None,
           limit: int = -1) -> list[dict]:
    """The people with a removal alarm, in the work order, redacted."""
    return people.page(conn, PeopleFilter(alarm=True, order="work"), 0, limit, at)
