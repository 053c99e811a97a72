"""The review document laid out: titled sections of paragraphs and tables, in reading order.
md, html and pdf render these one to one, so the three say the same words."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from warroom.export.document import Section, Table, local
from warroom.model import TaskState

if TYPE_CHECKING:
    from warroom.export.document import Document

UTC = "+00:00"
HASH_SHOWN = 12   # hex digits of an event's hash in the documents (csv and jsonl: all 64)


def sections(doc: Document) -> list[Section]:
    out = [Section("summary", "Summary", [*doc.summary(), doc.provenance]),
           _window(doc), _counts(doc), _timeline(doc), _checklists(doc), _tips(doc)]
    if doc.include_pii:
        out.append(_people(doc))
    return out


def _window(doc: Document) -> Section:
    w = doc.window
    moments = Table(("moment", "when", "source", "confidence"),
                    [(m.what, local(m.at, m.offset), m.source, m.confidence)
                     for m in w.moments], title="Moments")
    spans = Table(("location", "kind", "state", "live since", "down since", "verified down"),
                  [(s.url, s.kind, s.state.replace("_", " "), local(s.live_since, UTC),
                    local(s.down_since, UTC), local(s.verified_at, UTC)) for s in w.spans],
                  title="Locations")
    return Section("window", "Exposure window", [w.headline], [moments, spans])


def _counts(doc: Document) -> Section:
    c = doc.counts
    people = c["people"]
    rows = [
        ("people exposed", f"{people:,}"),
        ("high-risk", f"{c['high_risk']:,}"),
        ("notified", f"{c['notified']:,} of {people:,}"),
        ("removal holds placed", f"{c['holds']:,} of {people:,}"),
        ("downloaders", f"{c['downloaders']:,}"),
        ("  complete", f"{c['complete']:,}"),
        ("  partial", f"{c['partial']:,}"),
        ("  bots", f"{c['bots']:,}"),
        ("locations", f"{c['locations']:,} ({c['live']:,} live)"),
        ("tips", f"{c['tips']:,} ({c['tips_new']:,} new)"),
        ("checklist tasks", f"{c['tasks']:,} ({c['tasks_open']:,} open,"
                            f" {c['tasks_overdue']:,} overdue)"),
        ("events in the journal", f"{doc.events:,}"),
    ]
    return Section("counts", "Counts", [], [Table(("what", "count"), rows)])


def _timeline(doc: Document) -> Section:
    rows = [(str(r.id), r.occurred_local, r.recorded_local, r.actor, r.kind, r.text,
             r.subject or "", r.hash[:HASH_SHOWN]) for r in doc.rows]
    strong = frozenset(i for i, r in enumerate(doc.rows) if r.alarm)
    note = ("Every event, in the order things happened. Two clocks: when it happened and when"
            " the journal recorded it, each in its source's own UTC offset. Alarms are marked.")
    return Section("timeline", "Timeline", [note], [Table(
        ("#", "happened", "recorded", "by", "kind", "what", "subject", "hash"), rows, strong)])


def _checklists(doc: Document) -> Section:
    by: dict[str, list] = defaultdict(list)
    for t in doc.tasks:
        by[t.checklist].append(t)
    totals = Table(("checklist", "tasks", "done", "open", "overdue"), [
        (name, str(len(ts)), str(sum(t.state == TaskState.DONE for t in ts)),
         str(sum(t.state != TaskState.DONE for t in ts)), str(sum(t.overdue for t in ts)))
        for name, ts in by.items()])
    still = [t for t in doc.tasks if t.state != TaskState.DONE]
    open_ = Table(("checklist", "task", "due", "assignee", "overdue"),
                  [(t.checklist, t.title, local(t.due_at, UTC), t.assignee or "",
                    "OVERDUE" if t.overdue else "") for t in still],
                  frozenset(i for i, t in enumerate(still) if t.overdue), title="Still open")
    said = (f"{doc.counts['tasks_done']:,} of {doc.counts['tasks']:,} tasks done."
            if doc.tasks else "No checklist tasks are recorded.")
    return Section("checklists", "Checklists", [said], [totals, open_] if doc.tasks else [])


def _tips(doc: Document) -> Section:
    rows = [(local(t.received_at, UTC), t.source, t.text, t.url or "", t.state)
            for t in doc.tips]
    said = "Confidential sources are withheld." if doc.tips else "No tips are recorded."
    return Section("tips", "Tips", [said],
                   [Table(("received", "source", "text", "url", "state"), rows)] if rows else [])


def _people(doc: Document) -> Section:
    rows = [(p["a_number"] or "", p["full_name"] or ", ".join(
        x for x in (p["family_name"], p["given_names"]) if x), p["birth_date"] or "",
        p["nationality"] or "", p["facility"] or "", "yes" if p["high_risk"] else "",
        p["notify_state"], p["hold_state"]) for p in doc.people]
    return Section("people", "People (personal data)",
                   [f"The whole roster: {len(rows):,} people, unredacted, as asked."],
                   [Table(("A-number", "name", "birth date", "nationality", "facility",
                           "high-risk", "notification", "hold"), rows)])
