"""The review document: the one builder every export format renders.

`build` reads the journal once, in one read transaction (so the rows, the counts and the head
hash are the same snapshot), and returns a `Document` of plain values: the incident, the
exposure window, the counts, one `Row` per event (both clocks, actor, kind, the console's
one-line text, subject, hash), the checklists, the tips and, only when asked, the roster.
`Document.sections()` lays the same values out as titled paragraphs and tables, which the
document formats (md, html, pdf) render one to one; csv and timesketch render the rows.

Personal data (see redact.py): without `include_pii` people appear only as counts or redacted
keys. With it, the document formats add the roster as its own table, and every format shows
subjects and texts unredacted; a batch of imported people stays one counted row in the
timeline either way. A confidential tip's source is withheld always.

Every string in it that came from outside (names, URLs, tip texts, actors) is raw: each format
escapes for itself."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from warroom import __version__
from warroom.export import redact
from warroom.export.exposure import Window, exposure_window
from warroom.journal import queries
from warroom.model import ALARM_KINDS, Event, TaskState, now, parse_instant, to_utc_text
from warroom.render.text import summary

PII_MARKER = ("CONTAINS PERSONAL DATA — the names, birth dates and A-numbers of exposed people:"
              " keep it as the roster itself is kept, and never forward it")
REDACTED_MARKER = ("REDACTED — people appear only as counts, or as initials, birth year and the"
                   " last three digits of an A-number; confidential tip sources are withheld")


def zone(offset: str) -> timezone:
    """A stored offset ('-05:00') as a time zone."""
    sign = -1 if offset.startswith("-") else 1
    hours, _, minutes = offset[1:].partition(":")
    return timezone(sign * timedelta(hours=int(hours or 0), minutes=int(minutes or 0)))


def local(utc: str | None, offset: str) -> str:
    """A stored instant in its source's own offset: '2022-11-28 09:45:00 -05:00'."""
    if not utc:
        return "—"
    return parse_instant(utc).astimezone(zone(offset)).strftime("%Y-%m-%d %H:%M:%S ") + offset


def iso(utc: str) -> str:
    """ISO 8601 with a `T` and an explicit offset: '2022-11-28T14:45:00.000+00:00'."""
    return parse_instant(utc).isoformat(timespec="milliseconds")


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Row:
    """One event as every export shows it."""

    id: int
    occurred_at: str
    occurred_offset: str
    recorded_at: str
    recorded_offset: str
    actor: str
    kind: str
    text: str
    subject: str | None
    hash: str
    alarm: bool

    @property
    def occurred_local(self) -> str:
        return local(self.occurred_at, self.occurred_offset)

    @property
    def recorded_local(self) -> str:
        return local(self.recorded_at, self.recorded_offset)


@dataclass(frozen=True)
class Task:
    checklist: str
    title: str
    state: str
    due_at: str | None
    done_at: str | None
    assignee: str | None
    overdue: bool


@dataclass(frozen=True)
class Tip:
    received_at: str
    source: str
    text: str
    url: str | None
    state: str
    confidential: bool


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    strong: frozenset[int] = frozenset()     # rows to set apart (alarms, overdue tasks)
    title: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    incident: str
    description: str | None
    generated_at: str               # UTC text
    generated_offset: str
    include_pii: bool
    head: str | None
    events: int
    window: Window
    counts: dict[str, int]
    rows: list[Row]
    tasks: list[Task]
    tips: list[Tip]
    people: list[dict] = field(default_factory=list)    # empty unless include_pii
    version: str = __version__

    @property
    def marker(self) -> str:
        """The first line of every export."""
        return PII_MARKER if self.include_pii else REDACTED_MARKER

    @property
    def verify_hint(self) -> str:
        return f"warroom verify --head {self.head}"

    @property
    def provenance(self) -> str:
        if not self.head:
            return f"Exported {local(self.generated_at, self.generated_offset)}: the journal" \
                   " holds no events."
        return (f"Exported {local(self.generated_at, self.generated_offset)} by warroom"
                f" {self.version} from a journal of {plural(self.events, 'event')} whose head is"
                f" {self.head}. Confirm the journal still holds it: `{self.verify_hint}`.")

    def summary(self) -> list[str]:
        c, w = self.counts, self.window
        lines = [f"{self.incident}." + (f" {self.description}" if self.description else "")]
        if w.began is None:
            lines.append("When the file was first reachable is not yet recorded.")
        elif w.ended:
            lines.append(f"The file was reachable from {_at(w.began, w.moments)} until"
                         f" {_at(w.ended, w.moments)}: {w.headline}, every known location is"
                         " down.")
        else:
            lines.append(f"The file was reachable from {_at(w.began, w.moments)} and was still"
                         f" EXPOSED when this was exported (locations live: {w.live}, unchecked:"
                         f" {w.unknown}), for {w.duration} so far.")
        lines.append(f"{c['people']:,} people exposed, {c['high_risk']:,} of them high-risk;"
                     f" {c['notified']:,} notified; removal holds placed for {c['holds']:,}.")
        lines.append(f"Downloaders: {c['downloaders']:,}; {c['complete']:,} took the whole"
                     f" file, {c['partial']:,} part of it, {c['bots']:,} were bots.")
        lines.append(f"Checklist tasks: {c['tasks_done']:,} of {c['tasks']:,} done;"
                     f" {c['tasks_open']:,} open, {c['tasks_overdue']:,} of them overdue.")
        lines.append(f"Tips: {c['tips']:,}; {c['tips_new']:,} not yet triaged.")
        alarms = Counter(r.kind for r in self.rows if r.alarm)
        if alarms:
            said = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(alarms.items()))
            lines.append(f"ALARMS: {said}.")
        return lines

    def sections(self) -> list[Section]:
        from warroom.export.sections import sections

        return sections(self)


def _at(utc: str, moments) -> str:
    offset = next((m.offset for m in moments if m.at == utc and m.offset), "+00:00")
    return local(utc, offset)


def build(conn: sqlite3.Connection, *, include_pii: bool = False,
          at: datetime | None = None) -> Document:
    """The review document, from one snapshot of the journal."""
    at = at or now()
    generated, offset = to_utc_text(at)
    with queries.snapshot(conn):
        incident = queries.incident(conn) or {}
        locations = queries.locations(conn)
        events = queries.story(conn)
        counts = {**queries.counts(conn)}
        downloaders = queries.downloader_counts(conn)
        task_rows = queries.tasks(conn)
        tip_rows = sorted(queries.tips(conn), key=lambda t: (t["received_at"], t["id"]))
        people = queries.people_full(conn) if include_pii else []
        head = queries.head_hash(conn)
        total = queries.event_count(conn)
    tasks = [Task(t["checklist"], t["title"], t["state"], t["due_at"], t["done_at"],
                  t["assignee"], t["state"] != TaskState.DONE and bool(t["due_at"])
                  and parse_instant(t["due_at"]) < at) for t in task_rows]
    counts.update(complete=downloaders["complete"], partial=downloaders["partial"],
                  bots=downloaders["bots"], tasks=len(tasks),
                  tasks_done=sum(t.state == TaskState.DONE for t in tasks),
                  tasks_overdue=sum(t.overdue for t in tasks))
    tips = [_tip(t, include_pii) for t in tip_rows]
    return Document(
        incident=incident.get("name") or "(no incident opened)",
        description=incident.get("description"), generated_at=generated,
        generated_offset=offset, include_pii=include_pii, head=head, events=total,
        window=exposure_window(incident, locations, events, at), counts=counts,
        rows=[_row(e, include_pii) for e in events], tasks=tasks, tips=tips, people=people)


def _row(e: Event, include_pii: bool) -> Row:
    shown = redact.event(e, include_pii)
    return Row(e.id, e.occurred_at, e.occurred_offset, e.recorded_at, e.recorded_offset,
               e.actor, e.kind, summary(shown), shown.subject, e.hash, e.kind in ALARM_KINDS)


def _tip(t: dict, include_pii: bool) -> Tip:
    source, text = redact.tip(t["source"], t["text"], bool(t["confidential"]))
    return Tip(t["received_at"], source, text if include_pii else redact.text(text), t["url"],
               t["state"], bool(t["confidential"]))
