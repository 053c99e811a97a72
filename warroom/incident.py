"""The incident itself: opening it, the places the file was found, and timeline entries.

A URL is journaled with its secrets masked (`mask_url`): the journal is append-only, so a
password or a signed-URL signature written into it could never be taken out. A location is
known by its masked URL; probing a place that needs the secret takes the real URL again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model import Event, Kind, LocationKind, LocationState, mask_url, payload_for
from warroom.model.payloads import IncidentOpened, LocationAdded, LocationChecked
from warroom.model.urls import is_url


def open_incident(journal: Journal, name: str, description: str | None = None,
                  at: datetime | None = None) -> Event:
    name = name.strip()
    if not name:
        raise WarroomError("an incident needs a name")
    if queries.has_incident(journal.conn):
        raise WarroomError(f"{journal.path} already holds an incident")
    return journal.record(IncidentOpened(name=name, description=description), occurred_at=at)


def add_location(journal: Journal, url: str, kind: str = LocationKind.ORIGIN,
                 state: str | None = None, at: datetime | None = None,
                 note: str | None = None) -> Event:
    try:
        kind = LocationKind(kind)
        state = LocationState(state) if state else None
    except ValueError as exc:
        raise WarroomError(str(exc)) from exc
    url = mask_url(url)
    return journal.record(LocationAdded(url=url, kind=kind, state=state, note=note), url,
                          occurred_at=at)


def location_state(journal: Journal, url: str, state: str, at: datetime | None = None,
                   kind: Kind = Kind.LOCATION_STATE, status: int | None = None,
                   sha256: str | None = None, note: str | None = None) -> Event:
    """Journal what a location does now: live, down, verified_down (a probe or a person)."""
    url = mask_url(url)
    checked = LocationChecked(url=url, state=LocationState(state), status=status,
                              sha256=sha256, note=note)
    return journal.append(kind, url, checked.data(), occurred_at=at)


def record(journal: Journal, kind: Kind, subject: str | None = None,
           data: dict[str, Any] | None = None, at: datetime | None = None,
           actor: str | None = None) -> Event:
    """A timeline entry of any kind (a responder's note, a report filed, a decision), its
    data checked against the kind's payload (an unknown field is refused), its URLs masked."""
    data = dict(data or {})
    if isinstance(data.get("url"), str):
        data["url"] = mask_url(data["url"])
    if subject and is_url(subject):
        subject = mask_url(subject)
    try:
        payload = payload_for(kind)(**data)
    except TypeError as exc:
        raise WarroomError(f"{kind}: {exc}") from exc
    return journal.append(kind, subject, payload.data(), occurred_at=at, actor=actor)
