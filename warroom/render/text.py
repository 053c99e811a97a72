"""One event as one line of plain text, from a per-kind table of templates (no rich, no
Textual): the timeline, the command line and the exports all say an event the same way.
Every line is free of personal data: people appear only as counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import humanize

from warroom.model import ALARM_KINDS, Event, Kind, now, parse_instant


def duration(delta: timedelta | None) -> str:
    """'4h 52m', '3d 2h', '12m', '40s'."""
    if delta is None:
        return "?"
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"


def local_time(utc: str, at: datetime | None = None) -> str:
    """'14:04' today, 'Mon 28 Nov 14:04' another day, in the machine's zone."""
    at = at or now()
    moment = parse_instant(utc).astimezone(at.tzinfo)
    if moment.date() == at.date():
        return moment.strftime("%H:%M")
    if moment.year == at.year:
        return moment.strftime("%a %d %b %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def age(utc: str, at: datetime | None = None) -> str:
    at = at or now()
    return humanize.naturaltime(at - parse_instant(utc))


def _sha(d: dict) -> str:
    return str(d.get("sha256"))[:12] + "…"


def _imported(d: dict) -> str:
    n = d["count"] if "count" in d else len(d.get("people") or [])
    return f"roster: {n:,} people imported (batch {d.get('batch')})"


def _tip(d: dict) -> str:
    text = "(confidential)" if d.get("confidential") else d.get("text", "")
    return f"tip from {d.get('source')}: \"{text}\""


def _state(d: dict) -> str:
    """A responder's statement, or a probe's check: what changed (or that nothing did), and
    the evidence in a few words."""
    state = str(d.get("state", "?")).replace("_", " ")
    status = f"HTTP {d['status']}" if d.get("status") else ""
    if d.get("verdict") is None:
        return f"{state}{f' ({status})' if status else ''}: {d.get('url')}"
    was = str(d.get("was") or "").replace("_", " ")
    moved = f"{was} → {state}" if was and was != state else f"still {state}"
    evidence = {"sha256": "same bytes (sha256)",
                "a-numbers": f"{(d.get('share') or 0):.0%} of the A-numbers"}.get(
                    str(d.get("match")), d.get("error") or "")
    detail = ", ".join(x for x in (status, evidence) if x)
    return f"probe: {moved}{f' ({detail})' if detail else ''}: {d.get('url')}"


def _takedown(d: dict) -> str:
    state = d.get("state") or "requested"
    reason = f" ({d['reason']})" if d.get("reason") else ""
    ref = f" ref {d['ref']}" if d.get("ref") else ""
    return f"takedown {state} via {d.get('via')}{ref}{reason}: {d.get('url')}"


def _acquired(d: dict) -> str:
    again = " (same bytes as before)" if d.get("known") else ""
    return (f"artifact acquired{again}: {d.get('filename')} · {d.get('size', 0):,} bytes ·"
            f" sha256 {_sha(d)} · from {d.get('source')}")


def _scanned(d: dict) -> str:
    sm = d.get("summary") or {}
    imported = f", {d['imported']:,} new in the roster" if d.get("imported") is not None else ""
    return (f"artifact scanned: {d.get('records', 0):,} people, {sm.get('high_risk', 0):,}"
            f" high-risk{imported} · sha256 {_sha(d)}")


def _url_step(kind: Kind) -> Callable[[dict], str]:
    label = kind.replace("_", " ")
    return lambda d: f"{label}: {d.get('url')}"


TEMPLATES: dict[Kind, Callable[[dict[str, Any]], str]] = {
    Kind.INCIDENT_OPENED: lambda d: f"incident opened: {d.get('name')}",
    Kind.PEOPLE_IMPORTED: _imported,
    Kind.TIP_RECEIVED: _tip,
    Kind.LOCATION_ADDED: lambda d: f"location added ({d.get('kind')}): {d.get('url')}",
    Kind.LOCATION_STATE: _state,
    Kind.VERIFIED: _state,
    Kind.POSTED: _url_step(Kind.POSTED),
    Kind.TAKEN_DOWN: _url_step(Kind.TAKEN_DOWN),
    Kind.CDN_PURGED: _url_step(Kind.CDN_PURGED),
    Kind.ARTIFACT_ACQUIRED: _acquired,
    Kind.ARTIFACT_SCANNED: _scanned,
    Kind.ARTIFACT_USED: lambda d: f"evidence copy used: {d.get('purpose')} · sha256 {_sha(d)}",
    Kind.TAKEDOWN_REQUESTED: _takedown,
    Kind.TAKEDOWN_STATE: _takedown,
    Kind.DOWNLOADED: lambda d: (f"{'complete' if d.get('complete') else 'partial'} download"
                                f" by {d.get('client')}"),
}


def _generic(kind: str, d: dict[str, Any]) -> str:
    """Every other kind: its name, and its text, note or reference when it has one."""
    label = kind.replace("_", " ")
    text = d.get("text") or d.get("note") or d.get("ticket") or d.get("ref") or ""
    return f"{label}: {text}" if text else label


def summary(event: Event) -> str:
    """One line of what an event says, with no personal data in it."""
    try:
        template = TEMPLATES.get(Kind(event.kind))
    except ValueError:   # a kind from a newer program: still said, by its name
        template = None
    return template(event.data) if template else _generic(event.kind, event.data)


def is_alarm(event: Event) -> bool:
    return event.kind in ALARM_KINDS


def shorten_middle(text: str, width: int) -> str:
    """Cut the middle of a long text, keeping both ends. A URL keeps its host and its file
    name as long as the width allows: 'https://cdn.agency.example/…/stats.xlsx', then
    'cdn.agency.example/…/stats.xlsx', then 'cdn.agency…stats.xlsx'."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:max(width, 0)]
    if "://" in text:
        scheme, _, rest = text.partition("://")
        host, _, path = rest.partition("/")
        tail = path.rsplit("/", 1)[-1]
        for candidate in (f"{scheme}://{host}/…/{tail}", f"{host}/…/{tail}"):
            if len(candidate) <= width:
                return candidate
        room = width - 1 - len(tail)
        if tail and room >= min(8, len(host)):
            return host[:room] + "…" + tail
    keep = width - 1
    left = (keep + 1) // 2
    return text[:left] + "…" + text[len(text) - (keep - left):]
