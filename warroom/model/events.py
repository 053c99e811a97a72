"""An event as the journal keeps it, and an event not yet written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from warroom.model.times import parse_instant


@dataclass(frozen=True)
class Event:
    id: int
    uid: str
    occurred_at: str
    occurred_offset: str
    recorded_at: str
    recorded_offset: str
    actor: str
    kind: str
    subject: str | None
    data: dict[str, Any]
    prev_hash: str
    hash: str

    @property
    def occurred(self) -> datetime:
        return parse_instant(self.occurred_at)

    @property
    def recorded(self) -> datetime:
        return parse_instant(self.recorded_at)


@dataclass(frozen=True)
class Draft:
    """An event not yet written: the journal fills ids, clocks and hashes."""

    kind: str
    subject: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None
    actor: str | None = None
    uid: str | None = None
