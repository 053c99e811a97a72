"""One event as one line of plain text, from a per-kind table of templates (no rich, no
Textual): the timeline, the command line and the exports all say an event the same way.
Every line is free of personal data: people appear only as counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import humanize

from warroom.model import (
    ALARM_KINDS,
    Event,
    Kind,
    initials,
    now,
    parse_instant,
    payload_for,
    redact_a_number,
    redact_date,
)
from warroom.render.safe import clean


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


def _import_started(d: dict) -> str:
    order = {"dmy": "day first", "mdy": "month first"}.get(d.get("date_order") or "")
    settled = (f"; birth dates that read both ways taken {order}, as settled: those an"
               " earlier import read the other way round are corrected") if order else ""
    batches = d.get("batches", 0)
    return (f"roster import began: {d.get('people', 0):,} people in {batches:,}"
            f" batch{'' if batches == 1 else 'es'}{settled}")


def _tip(d: dict) -> str:
    """A confidential source is named nowhere but in the Tips tab's detail."""
    if d.get("confidential"):
        return 'tip from a confidential source: "(confidential)"'
    return f"tip from {d.get('source')}: \"{d.get('text', '')}\""


def _letters(d: dict) -> str:
    people = d.get("count") or len(d.get("people") or [])
    langs = ", ".join(f"{k} {v}" for k, v in (d.get("languages") or {}).items())
    draft = " (draft translations)" if d.get("drafts") else ""
    return f"letters written: {people:,} ({langs}) as {d.get('format')}{draft}"


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
    Kind.IMPORT_STARTED: _import_started,
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
    Kind.LETTERS_WRITTEN: _letters,
    Kind.TAKEDOWN_REQUESTED: _takedown,
    Kind.TAKEDOWN_STATE: _takedown,
    Kind.PII_EXPORTED: lambda d: (f"personal data exported ({d.get('format')}) to"
                                  f" {d.get('file') or 'standard output'}:"
                                  f" {d.get('why') or 'no reason given'}"),
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


# ---------------------------------------------------------------- one event in full

_A_NUMBER = re.compile(r"A\d{9}")
_PERSON_NAME_KEYS = frozenset({"full_name", "family_name", "given_names", "person_name"})
_PERSON_NUMBER_KEYS = frozenset({"a_number", "alien_number"})
_PERSON_DATE_KEYS = frozenset({"birth_date", "date_of_birth", "dob"})


def redact_key(key: str) -> str:
    """A person key ('A:123456789', 'N:NAME|1990-01-01') or an A-number shown redacted;
    any other subject (a URL, a sha256, a client address) as it is."""
    if _A_NUMBER.fullmatch(key):
        return redact_a_number(key)
    if key.startswith("A:"):
        return redact_a_number(key[2:])
    if key.startswith("N:"):
        name, _, born = key[2:].partition("|")
        return f"{initials(name)} {redact_date(born) if born else ''}".strip()
    return key


def redact_field(name: str, value: Any) -> Any:
    """A field of an event's data as every face shows it: people redacted."""
    leaf = name.rsplit(".", 1)[-1]
    if value is None or isinstance(value, bool | int | float):
        return value
    if leaf in _PERSON_NAME_KEYS:
        return initials(str(value))
    if leaf in _PERSON_NUMBER_KEYS:
        return redact_a_number(str(value))
    if leaf in _PERSON_DATE_KEYS:
        return redact_date(str(value))
    if leaf == "person":
        return redact_key(str(value))
    return value


def _flat(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [item for k, v in value.items() for item in _flat(f"{prefix}.{k}", v)]
    return [(prefix, value)]


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) if value else "—"
    return str(value)


def both_clocks(utc: str, source_offset: str, at: datetime | None = None) -> str:
    """'2022-11-28 09:45:00 local · 14:45:00 UTC · source offset -05:00' (the UTC date is
    written too when it is another day than the local one)."""
    moment = parse_instant(utc)
    local = moment.astimezone((at or now()).tzinfo)
    utc_text = moment.strftime("%H:%M:%S" if moment.date() == local.date()
                               else "%Y-%m-%d %H:%M:%S")
    return f"{local:%Y-%m-%d %H:%M:%S} local · {utc_text} UTC · source offset {source_offset}"


def event_detail(event: Event, at: datetime | None = None) -> list[tuple[str, str]]:
    """One event in full, as (label, text) lines: both clocks, actor, kind and what it means,
    subject, every field of its data, the hashes. People are redacted as everywhere; a batch
    of imported people shows only its count. Shared by the console and the exports."""
    try:
        meaning = payload_for(event.kind).describe()
    except (KeyError, ValueError):
        meaning = "a kind from a newer program"
    lines = [("event", f"#{event.id:,} · uid {event.uid}"),
             ("happened", both_clocks(event.occurred_at, event.occurred_offset, at)),
             ("learned", both_clocks(event.recorded_at, event.recorded_offset, at)),
             ("actor", event.actor),
             ("kind", f"{event.kind}: {meaning}"),
             ("subject", redact_key(event.subject) if event.subject else "—"),
             ("says", summary(event))]
    data = dict(event.data)
    if event.kind == Kind.PEOPLE_IMPORTED:
        people = data.pop("people", None)
        count = data.pop("count", None)
        data.pop("truncated", None)
        data["people"] = f"{count if count is not None else len(people or []):,} people" \
                         " (not shown here: the roster shows them, redacted)"
    if event.kind == Kind.TIP_RECEIVED and data.get("confidential"):
        data["text"] = "(confidential)"
    for key, value in data.items():
        for name, leaf in _flat(key, value):
            lines.append((f"data.{name}", _show(redact_field(name, leaf))))
    lines += [("hash", event.hash), ("previous", event.prev_hash)]
    return lines


def detail_text(event: Event, at: datetime | None = None) -> str:
    """The detail as plain text, one 'label  value' line each (for exports and the CLI)."""
    lines = event_detail(event, at)
    width = max(len(label) for label, _ in lines)
    return "\n".join(f"{label:<{width}}  {clean(value)}" for label, value in lines)
