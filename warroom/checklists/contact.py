"""Downloader contact: identified → attributed → claw-back sent → deletion attested; when a
letter meets silence: no response → chased; legal process needed where an internet provider
must name a subscriber. A move backwards, or one that makes no sense, is refused with its
reason unless recorded as a correction with a reason.

A crawler (a search engine, a web archive) is not asked to delete: it becomes a removal task
of its own (`tasks.ensure_tasks`), and contact moves on it are refused, unless recorded as
a correction (a person behind a crawler's user agent)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from warroom.checklists import machine
from warroom.checklists.filters import DownloaderFilter
from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model import ContactState, Draft, Kind
from warroom.model.payloads import ContactChanged

S = ContactState
CONTACT = machine.Machine(
    "contact", ContactState,
    moves={
        S.UNIDENTIFIED: frozenset({S.IDENTIFIED, S.ATTRIBUTED, S.LEGAL_PROCESS}),
        S.IDENTIFIED: frozenset({S.ATTRIBUTED, S.LEGAL_PROCESS}),
        S.LEGAL_PROCESS: frozenset({S.IDENTIFIED, S.ATTRIBUTED}),
        S.ATTRIBUTED: frozenset({S.CLAWBACK_SENT}),
        S.CLAWBACK_SENT: frozenset({S.DELETION_ATTESTED, S.NO_RESPONSE}),
        S.NO_RESPONSE: frozenset({S.CHASED, S.DELETION_ATTESTED, S.LEGAL_PROCESS}),
        S.CHASED: frozenset({S.DELETION_ATTESTED, S.NO_RESPONSE, S.LEGAL_PROCESS}),
        S.DELETION_ATTESTED: frozenset(),
    },
    chain=(S.UNIDENTIFIED, S.IDENTIFIED, S.ATTRIBUTED, S.CLAWBACK_SENT, S.DELETION_ATTESTED),
    reasons={
        (S.UNIDENTIFIED, S.CLAWBACK_SENT): "a claw-back letter needs someone to write to:"
                                           " attribute the address first",
        (S.IDENTIFIED, S.CLAWBACK_SENT): "a claw-back letter needs someone to write to:"
                                         " attribute the address first",
        (S.ATTRIBUTED, S.DELETION_ATTESTED): "an attestation answers a claw-back letter:"
                                             " record the letter first",
        (S.ATTRIBUTED, S.NO_RESPONSE): "no response to what? record the claw-back letter"
                                       " first",
        (S.CLAWBACK_SENT, S.CHASED): "chase after the deadline passed: record no response"
                                     " first",
    })
# From attribution on, the downloader has an organisation (or a person) behind it.
NEEDS_ORGANISATION = frozenset({S.ATTRIBUTED, S.CLAWBACK_SENT, S.NO_RESPONSE, S.CHASED,
                                S.DELETION_ATTESTED})


@dataclass(frozen=True)
class ContactChange:
    state: ContactState | None = None
    organisation: str | None = None
    contact: str | None = None         # whom to write to: an address, a name
    note: str | None = None
    correction: str | None = None
    at: datetime | None = None

    @classmethod
    def parse(cls, state: str | None = None, **rest) -> ContactChange:
        clean = {k: (" ".join(v.split()) or None) if isinstance(v, str) and
                 k in ("organisation", "contact") else v for k, v in rest.items()}
        return cls(state=CONTACT.state(state) if state else None, **clean)

    def describe(self) -> str:
        return (f"contact → {self.state or 'same state'}"
                + (" (a correction)" if self.correction else ""))


def decide(row: dict, change: ContactChange) -> machine.Decision:
    was = row["contact_state"]
    to = change.state or was
    if row["bot"] and not change.correction:
        return (f"{row['client']} is a crawler: it is not asked to delete; its removal is task"
                f" crawler-{row['client']} (`warroom task list`)")
    reason = CONTACT.refusal(was, to)
    if reason and not change.correction:
        return reason
    if to in NEEDS_ORGANISATION and not (change.organisation or row["organisation"]):
        return f"{to} needs the organisation behind the address (--organisation NAME)"
    if to == S.CLAWBACK_SENT and to != was and not (change.contact or row["contact"]):
        return "a claw-back letter goes to someone: say whom (--contact NAME-OR-ADDRESS)"
    fresh = {k: v for k, v in (("organisation", change.organisation),
                               ("contact", change.contact), ("note", change.note))
             if v is not None and v != row["contact_note" if k == "note" else k]}
    if to == was and not fresh and not change.correction:
        return []
    event = ContactChanged(client=row["client"], state=to, was=was,
                           correction=change.correction, **fresh)
    return [Draft(Kind.CONTACT_STATE, row["client"], event.data(), change.at)]


def rows(conn: sqlite3.Connection, flt: DownloaderFilter) -> list[dict]:
    return queries.contact_rows(conn, **flt.query())


def plan(conn: sqlite3.Connection, flt: DownloaderFilter, change: ContactChange) -> machine.Plan:
    selected = rows(conn, flt)
    missing = set(flt.clients) - {row["client"] for row in selected}
    if missing and not flt.narrowed:
        raise WarroomError(f"no downloader {sorted(missing)[0]!r} in the journal"
                           " (`warroom downloader` lists them)")

    def read(conn: sqlite3.Connection, clients: list) -> list[dict]:
        return rows(conn, DownloaderFilter(clients=tuple(clients)))

    return machine.plan(change.describe(), selected, lambda row: decide(row, change), read,
                        key="client")


# Record a plan, one event a person, in batches; refused as a whole when any move is.
apply = machine.apply


def contact(journal: Journal, flt: DownloaderFilter, change: ContactChange,
            progress: Callable[[int, int], None] | None = None) -> machine.Outcome:
    return apply(journal, plan(journal.conn, flt, change), progress)
