"""The exposure window with its evidence: when the file was posted, first taken, discovered,
taken down and verified down, each with its source and a confidence, and the gaps between
what was stated and what the evidence shows (shown, not hidden).

Confidence: `evidence` (a server's own record: access logs, a probe's check), `stated` (what
a responder or a tip recorded), `derived` (worked out from other moments)."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

from warroom.exposure.window import ClockState, exposure_clock
from warroom.journal import queries
from warroom.model import Kind, LocationKind, LocationState, parse_instant
from warroom.render.text import duration


@dataclass(frozen=True)
class Moment:
    what: str
    at: str | None          # UTC text
    source: str
    confidence: str         # evidence | stated | derived


def _min(values):
    values = [v for v in values if v]
    return min(values) if values else None


def exposure(conn: sqlite3.Connection) -> dict:
    """The window, its moments and its gaps, as plain values (`warroom exposure --json`)."""
    inc = queries.incident(conn) or {}
    locations = queries.locations(conn)
    access = queries.access_span(conn)
    moments: list[Moment] = []

    posted = queries.first_events(conn, Kind.POSTED, 1)
    if posted:
        e = posted[0]
        source = str(e.data.get("source") or f"recorded by {e.actor}")
        moments.append(Moment("posted", e.occurred_at, source,
                              "evidence" if "log" in source.lower() else "stated"))
    if access["first"]:
        moments.append(Moment("first access", access["first"],
                              f"access logs ({access['clients']:,} clients)", "evidence"))
    if inc.get("discovered_at"):
        tips = queries.first_events(conn, Kind.TIP_RECEIVED, 20)
        tip = next((t for t in tips if t.data.get("discovery")), None)
        source = (f"tip from {tip.data.get('source')}" if tip and not tip.data.get(
            "confidential") else "a tip (confidential source)" if tip else "recorded")
        moments.append(Moment("discovered", inc["discovered_at"], source, "stated"))
    origins = [x for x in locations if x["kind"] == LocationKind.ORIGIN and x["down_since"]]
    if origins:
        first_down = min(origins, key=lambda x: x["down_since"])
        moments.append(Moment("taken down at the origin", first_down["down_since"],
                              first_down["url"], "evidence" if first_down["verified_at"]
                              else "stated"))
    if access["last"]:
        moments.append(Moment("last access", access["last"], "access logs", "evidence"))
    clock = exposure_clock(inc.get("posted_at"), locations)
    if clock.state == ClockState.CONTAINED and clock.until:
        verified = all(x["state"] == LocationState.VERIFIED_DOWN for x in locations)
        moments.append(Moment("contained (every location down)",
                              clock.until.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                              f"{len(locations)} locations", "evidence" if verified
                              else "derived"))
    moments.sort(key=lambda m: m.at or "")
    return {
        "clock": clock.state.value,
        "since": clock.since.isoformat() if clock.since else None,
        "until": clock.until.isoformat() if clock.until else None,
        "live": [x["url"] for x in locations if x["state"] == LocationState.LIVE],
        "unchecked": [x["url"] for x in locations if x["state"] == LocationState.UNKNOWN],
        "moments": [asdict(m) for m in moments],
        "gaps": _gaps(moments),
        "downloaders": {k: access[k] for k in ("clients", "complete", "bots")},
    }


def _gaps(moments: list[Moment]) -> list[str]:
    """Where the evidence and what was stated disagree, in words."""
    found = {m.what: m for m in moments}
    gaps = []
    posted, first = found.get("posted"), found.get("first access")
    if posted and first and first.at and posted.at:
        a, b = parse_instant(posted.at), parse_instant(first.at)
        if b < a:
            gaps.append(f"the access logs show the file taken {duration(a - b)} before the"
                        " stated posting time: the file was up earlier than stated")
    down = found.get("taken down at the origin")
    last = found.get("last access")
    if down and last and down.at and last.at and last.at > down.at:
        late = duration(parse_instant(last.at) - parse_instant(down.at))
        gaps.append(f"the file was accessed {late} after the origin was taken down: a cache"
                    " or a copy still served it")
    return gaps
