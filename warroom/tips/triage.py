"""Triage: a tip goes new → verified → actioned, or is dismissed with a reason; a dismissed
tip can be verified after all (new evidence), an actioned one is done.

Two responders triaging the same tip at the same moment cannot both win: each triage event's
uid is the tip's receipt and the number of its triage, so the journal refuses the second
(its author hears who moved it first and looks again)."""

from __future__ import annotations

from dataclasses import dataclass

from warroom.errors import JournalError, WarroomError
from warroom.journal import Journal, queries
from warroom.journal.connection import Integrity
from warroom.model import TipState
from warroom.model.payloads import TipTriaged

MAX_REASON = 1_000

TRANSITIONS: dict[TipState, frozenset[TipState]] = {
    TipState.NEW: frozenset({TipState.VERIFIED, TipState.DISMISSED}),
    TipState.VERIFIED: frozenset({TipState.ACTIONED, TipState.DISMISSED}),
    TipState.DISMISSED: frozenset({TipState.VERIFIED}),
    TipState.ACTIONED: frozenset(),
}


@dataclass(frozen=True)
class Triaged:
    tip: dict            # the tip's row after the change
    previous: str
    event_id: int


def allowed(state: str) -> list[str]:
    """The states a tip in `state` may move to, in the order of TipState."""
    nexts = TRANSITIONS.get(TipState(state), frozenset())
    return [s.value for s in TipState if s in nexts]


def triage(journal: Journal, ref: str | int, state: str, reason: str | None = None,
           handled_by: str | None = None) -> Triaged:
    """Move tip `ref` (its number or its receipt) to `state`. Dismissing needs a reason;
    a move the state machine does not allow is refused, naming the moves it does."""
    try:
        target = TipState(state)
    except ValueError:
        raise WarroomError(f"unknown tip state {state!r}: one of"
                           f" {', '.join(TipState)}") from None
    reason = " ".join((reason or "").split()) or None
    if reason and len(reason) > MAX_REASON:
        raise WarroomError(f"the reason is longer than {MAX_REASON:,} characters")
    if target == TipState.DISMISSED and not reason:
        raise WarroomError("dismissing a tip needs a reason (--reason): the review will ask")
    tip = queries.tip(journal.conn, ref)
    if tip is None:
        raise WarroomError(f"no tip {ref}: `warroom tip list` shows them")
    current = TipState(tip["state"])
    if target not in TRANSITIONS[current]:
        nexts = allowed(current)
        raise WarroomError(f"tip {tip['id']} is {current}: it can go to"
                           f" {' or '.join(nexts) if nexts else 'no other state'}, not {target}")
    payload = TipTriaged(uid=tip["uid"], state=target, previous=current,
                         handled_by=handled_by or journal.actor, reason=reason)
    try:
        event = journal.record(payload, tip["uid"], uid=f"tip-{tip['uid']}-{tip['triages'] + 1}")
    except JournalError as exc:
        if not isinstance(exc.__cause__, Integrity):
            raise
        now = queries.tip(journal.conn, tip["uid"])
        raise WarroomError(f"tip {tip['id']} was just moved to {now['state']} by"
                           f" {now['handled_by']}: look again") from exc
    return Triaged(queries.tip(journal.conn, tip["uid"]), current, event.id)
