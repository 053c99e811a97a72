"""What the dashboard says, as plain values: the incident, the exposure clock, the counts
that matter, the locations and the latest events. Shared by `demo --headless` and the console,
so every face says the same thing."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from warroom.exposure.window import Clock, exposure_clock
from warroom.journal import queries
from warroom.model import Event


@dataclass(frozen=True)
class Dashboard:
    name: str
    clock: Clock
    counts: dict[str, int]
    locations: list[dict]
    recent: list[Event]
    head: str | None = None


def dashboard(conn: sqlite3.Connection, recent: int | None = 12) -> Dashboard:
    """The dashboard with the `recent` latest events (None: every event)."""
    inc = queries.incident(conn) or {"name": "(no incident opened)", "posted_at": None}
    locations = queries.locations(conn)
    events = queries.timeline(conn, 0, -1 if recent is None else recent)  # -1: no LIMIT
    return Dashboard(inc["name"], exposure_clock(inc["posted_at"], locations),
                     queries.counts(conn), locations, events,
                     queries.head_hash(conn))
