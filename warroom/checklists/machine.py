"""State machines as data, and bulk moves journaled one event a person (or downloader).

A `Machine` says which moves are allowed from each state; any other move is refused with its
reason, unless it is recorded as a correction with a reason of its own. A `Plan` is what a
move over a selection would do (moves, unchanged, refused), read once; `apply` writes it in
batches (one transaction each, `append_many`), each move carrying the state it was decided
from (`was`). When another responder moved someone in between, the journal refuses the batch
(`StaleState`); the batch is read again and decided again, so both responders' moves land,
in order, and a move that no longer makes sense is refused instead of overwriting theirs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from warroom.errors import RefusedAction, WarroomError
from warroom.journal import Journal
from warroom.journal.projections import StaleState
from warroom.model import Draft

BATCH = 1000       # moves a transaction: 6,252 holds in seven transactions
RETRIES = 8        # re-reads of a batch another responder keeps changing


@dataclass(frozen=True)
class Machine:
    """The allowed moves of one state machine. `chain` is the main order (a move to an
    earlier state of it goes backwards); `reasons` explains some refused moves better than
    the general words."""

    name: str
    states: type[StrEnum]
    moves: Mapping[str, frozenset[str]]
    chain: tuple[str, ...] = ()
    reasons: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def state(self, text: str) -> Any:
        """The state named by text (its value, or its name in any case)."""
        wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
        for member in self.states:
            if wanted in (member.value.replace("-", "_"), member.name.lower()):
                return member
        raise WarroomError(f"no {self.name} state {text!r}: one of"
                           f" {', '.join(m.value for m in self.states)}")

    def refusal(self, was: str, to: str) -> str | None:
        """None when was → to is allowed (staying is always allowed: an update), else why
        not."""
        if was == to or to in self.moves.get(was, ()):
            return None
        if (was, to) in self.reasons:
            return self.reasons[(was, to)]
        if was in self.chain and to in self.chain and self.chain.index(to) < self.chain.index(was):
            return f"{was} → {to} goes backwards"
        return f"{was} → {to} is not a move the procedure knows"


# What a decision on one row gives: the events to write (none: nothing changes), or the
# reason the move is refused.
Decision = list[Draft] | str


@dataclass
class Plan:
    """What a move over a selection would do, as read once. `decide` and `read` let `apply`
    decide again on fresh rows when another responder wrote first."""

    what: str                                   # "notification → delivered"
    selected: int
    moves: list[tuple[Any, list[Draft]]]        # (row key, its events)
    unchanged: list[Any]
    refused: list[tuple[Any, str]]
    decide: Callable[[dict], Decision]
    read: Callable[[sqlite3.Connection, list], list[dict]]
    key: str = "id"
    label: Callable[[Any], str] = str

    @property
    def count(self) -> int:
        return len(self.moves)

    def summary(self) -> str:
        """'notification → delivered: 240 of 252 selected (12 unchanged)'."""
        rest = [f"{len(self.unchanged):,} unchanged"] if self.unchanged else []
        if self.refused:
            rest.append(f"{len(self.refused):,} refused")
        extra = f" ({', '.join(rest)})" if rest else ""
        return f"{self.what}: {self.count:,} of {self.selected:,} selected{extra}"

    def check(self) -> None:
        """Refuse the whole plan when any of its moves is refused: nothing is recorded."""
        if not self.refused:
            return
        reasons: dict[str, list[Any]] = {}
        for key, reason in self.refused:
            reasons.setdefault(reason, []).append(key)
        reason, keys = max(reasons.items(), key=lambda item: len(item[1]))
        who = ", ".join(self.label(k) for k in keys[:3]) + (" …" if len(keys) > 3 else "")
        others = (f"; {len(self.refused) - len(keys):,} more for other reasons"
                  if len(self.refused) > len(keys) else "")
        raise RefusedAction(
            f"{self.what}: {len(self.refused):,} of {self.selected:,} refused, so nothing was"
            f" recorded: {reason} ({len(keys):,}: {who}){others}; narrow the selection, or"
            " record a correction with --correct REASON")


def plan(what: str, rows: Iterable[dict], decide: Callable[[dict], Decision],
         read: Callable[[sqlite3.Connection, list], list[dict]], key: str = "id",
         label: Callable[[Any], str] = str) -> Plan:
    moves, unchanged, refused, selected = [], [], [], 0
    for row in rows:
        selected += 1
        decision = decide(row)
        if isinstance(decision, str):
            refused.append((row[key], decision))
        elif decision:
            moves.append((row[key], decision))
        else:
            unchanged.append(row[key])
    return Plan(what, selected, moves, unchanged, refused, decide, read, key, label)


@dataclass(frozen=True)
class Outcome:
    what: str
    selected: int
    changed: list[Any]          # row keys moved
    unchanged: int
    events: list[int]           # event ids written

    def as_json(self) -> dict:
        return {"action": self.what, "selected": self.selected, "changed": len(self.changed),
                "unchanged": self.unchanged, "events": len(self.events),
                "first_event": self.events[0] if self.events else None,
                "last_event": self.events[-1] if self.events else None,
                "ids": self.changed}


def apply(journal: Journal, plan: Plan, progress: Callable[[int, int], None] | None = None,
          batch: int = BATCH) -> Outcome:
    """Write the plan's moves, a batch a transaction; refused when any move is refused."""
    plan.check()
    events: list[int] = []
    changed: list[Any] = []
    unchanged = len(plan.unchanged)
    for start in range(0, len(plan.moves), batch):
        chunk = plan.moves[start:start + batch]
        for _attempt in range(RETRIES):
            try:
                written = journal.append_many([d for _, drafts in chunk for d in drafts])
                break
            except StaleState:
                chunk, skipped = _decide_again(journal.conn, plan, chunk, len(changed))
                unchanged += skipped
        else:
            raise WarroomError(f"{plan.what}: other responders kept changing the same people;"
                               f" {len(changed):,} recorded, try again for the rest")
        events += [e.id for e in written]
        changed += [k for k, _ in chunk]
        if progress:
            progress(min(start + batch, len(plan.moves)), len(plan.moves))
    return Outcome(plan.what, plan.selected, changed, unchanged, events)


def _decide_again(conn: sqlite3.Connection, plan: Plan, chunk: list, done: int):
    fresh = {row[plan.key]: row for row in plan.read(conn, [k for k, _ in chunk])}
    again, skipped = [], 0
    for key, _ in chunk:
        decision = plan.decide(fresh[key])
        if isinstance(decision, str):
            raise RefusedAction(f"{plan.what}: {plan.label(key)} was changed by another"
                                f" responder meanwhile, and now: {decision}"
                                f" ({done:,} recorded before it)")
        if decision:
            again.append((key, decision))
        else:
            skipped += 1
    return again, skipped
