"""The incident itself: opening it, the places the file was found, and timeline entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from warroom.errors import WarroomError
from warroom.journal import Journal
from warroom.model import Event, Kind, LocationKind, LocationState


def open_incident(journal: Journal, name: str, description: str | None = None,
                  at: datetime | None = None) -> Event:
    name = name.strip()
    if not name:
        raise WarroomError("an incident needs a name")
    if journal.conn.execute("SELECT 1 FROM incidents").fetchone():
        raise WarroomError(f"{journal.path} already holds an incident")
    return journal.append(Kind.INCIDENT_OPENED, None,
                          {"name": name, "description": description}, occurred_at=at)


def add_location(journal: Journal, url: str, kind: str = LocationKind.ORIGIN.value,
                 state: str | None = None, at: datetime | None = None,
                 note: str | None = None) -> Event:
    try:
        kind = LocationKind(kind).value
        state = LocationState(state).value if state else None
    except ValueError as exc:
        raise WarroomError(str(exc)) from exc
    data: dict[str, Any] = {"url": url, "kind": kind}
    if state:
        data["state"] = state
    if note:
        data["note"] = note
    return journal.append(Kind.LOCATION_ADDED, url, data, occurred_at=at)


def location_state(journal: Journal, url: str, state: str, at: datetime | None = None,
                   kind: str = Kind.LOCATION_STATE.value, **detail: Any) -> Event:
    """Journal what a location does now: live, down, verified_down (a probe or a person)."""
    state = LocationState(state).value
    return journal.append(kind, url, {"url": url, "state": state, **detail}, occurred_at=at)


def record(journal: Journal, kind: str, subject: str | None = None,
           data: dict[str, Any] | None = None, at: datetime | None = None,
           actor: str | None = None) -> Event:
    """A timeline entry of any kind (a responder's note, a report filed, a decision)."""
    return journal.append(kind, subject, data or {}, occurred_at=at, actor=actor)
