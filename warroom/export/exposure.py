"""The exposure window as the export tells it: each moment with where the journal has it
from and how sure that is.

Built from what the journal holds today (the incident's posted and discovered times, the
locations' live/down/verified times, the first `posted` and `downloaded` events), with the
clock rule of `warroom.exposure.window`. It is kept apart so that the fuller exposure
service can replace `exposure_window` without touching the formats: they read `Window` only.

Confidence: `high` when an event carries its own evidence (a log line, an HTTP status, a
tip), `medium` when a responder stated it without evidence, `low` for a bound only (the
file was posted no later than the first check that found it live), `none` when not known."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from warroom.export import redact
from warroom.exposure.window import ClockState, exposure_clock
from warroom.model import DOWN_STATES, Event, Kind, LocationState, to_utc_text
from warroom.render.text import duration

HIGH, MEDIUM, LOW, NONE = "high", "medium", "low", "none"
_DOWN_KINDS = {Kind.TAKEN_DOWN, Kind.CDN_PURGED, Kind.LOCATION_STATE, Kind.VERIFIED}


@dataclass(frozen=True)
class Moment:
    """One moment of the window: when (UTC text, None if not known), from what, how sure."""

    what: str
    at: str | None
    offset: str
    source: str
    confidence: str


@dataclass(frozen=True)
class Span:
    """One place the file was reachable, from live to down."""

    url: str
    kind: str
    state: str
    live_since: str | None
    down_since: str | None
    verified_at: str | None


@dataclass(frozen=True)
class Window:
    state: str                  # EXPOSED, CONTAINED or UNKNOWN (the console's clock)
    began: str | None           # UTC text
    ended: str | None           # UTC text, when CONTAINED
    duration: str               # '4h 19m' (until the export, while EXPOSED)
    live: int
    unknown: int
    moments: list[Moment]
    spans: list[Span]

    @property
    def headline(self) -> str:
        if self.state == ClockState.CONTAINED:
            return f"CONTAINED after {self.duration}"
        if self.state == ClockState.EXPOSED:
            return f"EXPOSED for {self.duration} at the time of export"
        return "EXPOSURE NOT YET KNOWN"


def exposure_window(incident: Mapping | None, locations: Iterable[Mapping],
                    events: list[Event], at: datetime) -> Window:
    """The window from the incident row, the locations and every event (oldest first)."""
    locations = list(locations)
    incident = incident or {}
    clock = exposure_clock(incident.get("posted_at"), locations)
    moments = [_posted(events, locations), _first_access(events),
               _discovered(incident, events), _contained(clock, locations, events),
               _verified(locations, events)]
    spans = [Span(x["url"], x["kind"], x["state"], x["live_since"], x["down_since"],
                  x["verified_at"]) for x in locations]
    return Window(str(clock.state), clock.since and to_utc_text(clock.since)[0],
                  clock.until and to_utc_text(clock.until)[0], duration(clock.duration(at)),
                  clock.live, clock.unknown, moments, spans)


def _first(events: list[Event], kinds: set[str], where=lambda e: True) -> Event | None:
    return next((e for e in events if e.kind in kinds and where(e)), None)


def _said(e: Event, evidence: str | None) -> tuple[str, str]:
    """(source, confidence) of an event: its evidence if it has one, else who stated it."""
    if evidence:
        return f"{evidence} (recorded by {e.actor})", HIGH
    return f"stated by {e.actor}", MEDIUM


def _posted(events: list[Event], locations: list[Mapping]) -> Moment:
    what = "posted (first reachable)"
    posted = _first(events, {Kind.POSTED})
    seen = min((x["live_since"] for x in locations if x["live_since"]), default=None)
    if posted and (seen is None or posted.occurred_at <= seen):
        source, confidence = _said(posted, posted.data.get("source"))
        return Moment(what, posted.occurred_at, posted.occurred_offset,
                      f"{source}: {posted.data.get('url')}", confidence)
    if seen:
        check = _first(events, _DOWN_KINDS | {Kind.LOCATION_ADDED},
                       lambda e: e.occurred_at == seen)
        return Moment(what, seen, check.occurred_offset if check else "+00:00",
                      "no later than: the first check that found it live", LOW)
    return Moment(what, None, "", "not recorded", NONE)


def _first_access(events: list[Event]) -> Moment:
    first = _first(events, {Kind.DOWNLOADED})
    if first is None:
        return Moment("first access", None, "", "no download recorded", NONE)
    source, confidence = _said(first, first.data.get("source"))
    return Moment("first access", first.occurred_at, first.occurred_offset,
                  f"{source}: {first.data.get('client')}", confidence)


def _discovered(incident: Mapping, events: list[Event]) -> Moment:
    at = incident.get("discovered_at")
    tip = _first(events, {Kind.TIP_RECEIVED}, lambda e: bool(e.data.get("discovery")))
    if at and tip:
        source, _ = redact.tip(tip.data.get("source", ""), "", bool(tip.data.get("confidential")))
        return Moment("discovered", tip.occurred_at, tip.occurred_offset,
                      f"tip from {source}", HIGH)
    opened = _first(events, {Kind.INCIDENT_OPENED})
    if opened:
        return Moment("discovered", opened.occurred_at, opened.occurred_offset,
                      "no later than: the incident was opened (no discovery tip recorded)", LOW)
    return Moment("discovered", None, "", "not recorded", NONE)


def _down_event(events: list[Event], url: str, at: str) -> Event | None:
    return _first(events, _DOWN_KINDS,
                  lambda e: e.data.get("url") == url and e.occurred_at == at)


def _contained(clock, locations: list[Mapping], events: list[Event]) -> Moment:
    what = "contained (last copy down)"
    if clock.state != ClockState.CONTAINED:
        return Moment(what, None, "", f"not yet: locations live {clock.live}, unchecked"
                      f" {clock.unknown}", NONE)
    last = max((x for x in locations if x["down_since"]), key=lambda x: x["down_since"])
    e = _down_event(events, last["url"], last["down_since"])
    if e is None:
        return Moment(what, last["down_since"], "+00:00", f"{last['url']}", MEDIUM)
    evidence = e.data.get("by") or (f"HTTP {e.data['status']}" if e.data.get("status") else None)
    source, confidence = _said(e, evidence)
    return Moment(what, e.occurred_at, e.occurred_offset,
                  f"{e.kind.replace('_', ' ')}, {source}: {last['url']}", confidence)


def _verified(locations: list[Mapping], events: list[Event]) -> Moment:
    what = "verified down everywhere"
    verified = [x for x in locations if x["state"] == LocationState.VERIFIED_DOWN]
    if not locations or len(verified) < len(locations):
        down = sum(1 for x in locations if x["state"] in DOWN_STATES)
        return Moment(what, None, "", f"not yet: {len(verified)} of {len(locations)}"
                      f" locations verified down ({down} down)", NONE)
    last = max(verified, key=lambda x: x["verified_at"])
    e = _first(events, {Kind.VERIFIED, Kind.LOCATION_STATE},
               lambda e: e.data.get("url") == last["url"] and e.occurred_at == last["verified_at"])
    if e is None:
        return Moment(what, last["verified_at"], "+00:00", last["url"], MEDIUM)
    status = f"HTTP {e.data['status']}" if e.data.get("status") else None
    source, confidence = _said(e, status)
    return Moment(what, e.occurred_at, e.occurred_offset, f"{source}: {last['url']}",
                  confidence)
