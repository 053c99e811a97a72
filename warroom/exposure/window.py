"""The exposure clock, and its rule: the file is contained once every known location is down.

EXPOSED while any location is live or unchecked (or none is known down yet); CONTAINED from
the moment the last location went down; UNKNOWN until the journal knows when it was posted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from warroom.model import DOWN_STATES, LocationState, parse_instant


class ClockState(StrEnum):
    EXPOSED = "EXPOSED"
    CONTAINED = "CONTAINED"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Clock:
    """The exposure clock: EXPOSED for …, CONTAINED after …, or not yet known."""

    state: ClockState
    since: datetime | None      # when exposure began
    until: datetime | None      # when the last copy went down (CONTAINED only)
    live: int                   # locations still serving the file
    unknown: int                # locations nobody has checked

    def duration(self, at: datetime) -> timedelta | None:
        if self.since is None:
            return None
        end = self.until if self.state == ClockState.CONTAINED else at
        return max(end - self.since, timedelta(0))


def exposure_clock(posted_at: str | None, locations: Iterable[Mapping]) -> Clock:
    """The clock from the incident's earliest posting and its locations' states."""
    locations = list(locations)
    states = [x["state"] for x in locations]
    live = states.count(LocationState.LIVE)
    unknown = states.count(LocationState.UNKNOWN)
    down = sum(1 for s in states if s in DOWN_STATES)
    starts = [t for t in (posted_at, *(x["live_since"] for x in locations)) if t]
    if not starts:
        return Clock(ClockState.UNKNOWN, None, None, live, unknown)
    since = parse_instant(min(starts))
    if live or unknown or not down:
        return Clock(ClockState.EXPOSED, since, None, live, unknown)
    last_down = max(x["down_since"] for x in locations if x["down_since"])
    return Clock(ClockState.CONTAINED, since, parse_instant(last_down), live, unknown)
