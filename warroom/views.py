"""What the dashboard says, as plain values and rich renderables: shared by `demo --headless`,
the command line and the console, so every face says the same thing. No Textual here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

import humanize
from rich.console import Group
from rich.table import Table
from rich.text import Text

from warroom.journal import queries
from warroom.model import ALARM_KINDS, Event, now, parse_instant


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


def clock_text(clock: queries.Clock, at: datetime | None = None) -> Text:
    at = at or now()
    if clock.state == "EXPOSED":
        return Text(f"■ EXPOSED for {duration(clock.duration(at))}", style="bold white on red")
    if clock.state == "CONTAINED":
        return Text(f"■ CONTAINED after {duration(clock.duration(at))}", style="bold black on green")
    return Text("■ EXPOSURE NOT YET KNOWN", style="bold black on yellow")


def counts_line(c: dict[str, int]) -> str:
    people = c["people"]
    return " · ".join([
        f"people {people:,}",
        f"high-risk {c['high_risk']:,}",
        f"notified {c['notified']:,}/{people:,}",
        f"holds {c['holds']:,}/{people:,}",
        f"downloaders {c['downloaders']:,} ({c['bots']} bots)",
        f"locations live {c['live']}/{c['locations']}",
        f"tips new {c['tips_new']}",
        f"events {c['events']:,}",
    ])


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


def summary(event: Event) -> str:
    """One line of what an event says, with no personal data in it."""
    d = event.data
    k = event.kind
    if k == "people_imported":
        n = d["count"] if "count" in d else len(d.get("people") or [])
        return f"roster: {n:,} people imported (batch {d.get('batch')})"
    if k == "tip_received":
        text = d.get("text", "")
        if d.get("confidential"):
            text = "(confidential)"
        return f"tip from {d.get('source')}: \"{text[:70]}\""
    if k in ("location_added",):
        return f"location added ({d.get('kind')}): {d.get('url')}"
    if k in ("location_state", "verified"):
        status = f" (HTTP {d['status']})" if d.get("status") else ""
        return f"{str(d.get('state', '?')).replace('_', ' ')}{status}: {d.get('url')}"
    if k in ("posted", "taken_down", "cdn_purged"):
        return f"{k.replace('_', ' ')}: {d.get('url')}"
    if k == "artifact_acquired":
        again = " (same bytes as before)" if d.get("known") else ""
        return (f"artifact acquired{again}: {d.get('filename')} · {d.get('size', 0):,} bytes ·"
                f" sha256 {str(d.get('sha256'))[:12]}… · from {d.get('source')}")
    if k == "artifact_scanned":
        sm = d.get("summary") or {}
        imported = f", {d['imported']:,} new in the roster" if d.get("imported") is not None else ""
        return (f"artifact scanned: {d.get('records', 0):,} people, {sm.get('high_risk', 0):,}"
                f" high-risk{imported} · sha256 {str(d.get('sha256'))[:12]}…")
    if k == "artifact_used":
        return f"evidence copy used: {d.get('purpose')} · sha256 {str(d.get('sha256'))[:12]}…"
    if k == "incident_opened":
        return f"incident opened: {d.get('name')}"
    if k == "downloaded":
        how = "complete" if d.get("complete") else "partial"
        return f"{how} download by {d.get('client')}"
    text = d.get("text") or d.get("note") or ""
    label = k.replace("_", " ")
    return f"{label}: {text}" if text else label


def is_alarm(event: Event) -> bool:
    return event.kind in {a.value for a in ALARM_KINDS}


@dataclass(frozen=True)
class Dashboard:
    name: str
    clock: queries.Clock
    counts: dict[str, int]
    locations: list[dict]
    recent: list[Event]


def dashboard(conn: sqlite3.Connection, recent: int = 12) -> Dashboard:
    inc = queries.incident(conn) or {"name": "(no incident opened)"}
    return Dashboard(inc["name"], queries.exposure_clock(conn), queries.counts(conn),
                     queries.locations(conn), queries.timeline(conn, 0, recent))


def location_rows(locations: list[dict], at: datetime | None = None, width: int = 40) -> Table:
    """Each location as a bar from when it went live to when it went down (or now)."""
    at = at or now()
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    widths = {"kind": 12, "bar": width, "span": 15, "state": 13}
    for col in ("kind", "bar", "span", "state"):
        table.add_column(col, no_wrap=True, min_width=widths[col], max_width=widths[col])
    table.add_column("url", no_wrap=True, overflow="ellipsis", ratio=1, min_width=20)
    starts = [parse_instant(x["live_since"]) for x in locations if x["live_since"]]
    if not starts:
        for x in locations:
            table.add_row(x["kind"], "", "", x["state"], x["url"])
        return table
    origin = min(starts)
    span = max((at - origin).total_seconds(), 1)
    for x in locations:
        bar = Text()
        if x["live_since"]:
            a = parse_instant(x["live_since"])
            b = parse_instant(x["down_since"]) if x["down_since"] else at
            left = int((a - origin).total_seconds() / span * width)
            fill = max(1, int((b - a).total_seconds() / span * width))
            bar.append(" " * left)
            bar.append("█" * min(fill, width - left), style="red" if not x["down_since"] else "")
            bar.append("░" * max(0, width - left - fill), style="dim")
            span_text = f"{local_time(x['live_since'], at)} ─ " + (
                local_time(x["down_since"], at) if x["down_since"] else "now")
        else:
            span_text = ""
        state = x["state"].replace("_", " ").upper()
        style = "bold red" if x["state"] == "live" else ("green" if "down" in x["state"] else "")
        table.add_row(x["kind"], bar, span_text, Text(state, style=style), x["url"])
    return table


def timeline_table(events: list[Event], at: datetime | None = None) -> Table:
    at = at or now()
    table = Table(expand=True, box=None, header_style="bold")
    table.add_column("happened", no_wrap=True)
    table.add_column("learned", no_wrap=True)
    table.add_column("what", ratio=1, overflow="ellipsis", no_wrap=True)
    table.add_column("by", no_wrap=True)
    for e in events:
        style = "bold red" if is_alarm(e) else ""
        table.add_row(f"{local_time(e.occurred_at, at)} ({age(e.occurred_at, at)})",
                      local_time(e.recorded_at, at), Text(summary(e), style=style), e.actor)
    return table


def render(board: Dashboard, at: datetime | None = None) -> Group:
    at = at or now()
    title = Text.assemble(("WARROOM ", "bold reverse"), " ", (board.name, "bold"), "   ",
                          clock_text(board.clock, at))
    return Group(title, Text(counts_line(board.counts)), Text(""),
                 location_rows(board.locations, at), Text(""), timeline_table(board.recent, at))


def nationality_bars(nationalities: dict[str, int], high_risk: list[str], top: int = 12,
                     width: int = 30) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("country", no_wrap=True)
    table.add_column("bar", no_wrap=True)
    table.add_column("n", justify="right")
    items = sorted(nationalities.items(), key=lambda kv: -kv[1])
    most = items[0][1] if items else 1
    for country, n in items[:top]:
        risky = country in high_risk
        bar = Text("█" * max(1, round(n / most * width)), style="red" if risky else "cyan")
        table.add_row(Text(country + (" ▲" if risky else ""), style="bold red" if risky else ""),
                      bar, f"{n:,}")
    if len(items) > top:
        table.add_row(f"{len(items) - top} more", "", f"{sum(n for _, n in items[top:]):,}")
    return table


def scan_report(doc: dict) -> Group:
    """What `warroom scan` found, as a responder reads it. People only redacted."""
    head = Text.assemble(
        ("records ", "bold"), (f"{doc['records']:,}", "bold"), "   distinct A-numbers ",
        f"{doc['a_numbers']:,}", "   high-risk ", (f"{doc['high_risk']:,}", "bold red"),
        f" ({', '.join(doc.get('high_risk_list') or [])})")
    meta = Text(f"{doc.get('file') or ''} · {doc['format']} · {doc.get('size', 0):,} bytes ·"
                f" sha256 {doc['sha256'][:16]}… · {doc.get('rows', 0):,} rows read ·"
                f" {doc.get('nlp', '')}", style="dim")
    columns = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("table", "column", "entity", "role", "confidence"):
        columns.add_column(name, no_wrap=True)
    for t in doc.get("tables") or []:
        for c in t["columns"]:
            if c["entity"]:
                columns.add_row(t["name"], c["header"], c["entity"], c["role"] or "",
                                f"{c['confidence']:.0%} of {c['sampled']}")
    if not doc.get("tables"):
        for header, entity in (doc.get("columns") or {}).items():
            columns.add_row("", header, entity, "", "")
    parts = [head, meta, Text("")]
    if columns.row_count:
        parts += [Text("columns", style="bold underline"), columns, Text("")]
    if doc["nationalities"]:
        parts += [Text("nationalities", style="bold underline"),
                  nationality_bars(doc["nationalities"], doc["high_risk_list"]), Text("")]
    if doc.get("preview"):
        parts += [Text("first people (redacted)", style="bold underline"),
                  *(Text("  " + p) for p in doc["preview"]), Text("")]
    if doc.get("imported"):
        i = doc["imported"]
        parts.append(Text(f"imported into the roster: {i['added']:,} new of {i['people']:,}"
                          f" in {i['batches']} batches", style="green"))
    if doc.get("artifact"):
        a = doc["artifact"]
        parts.append(Text(("same bytes as an earlier acquisition; " if a["known"] else "")
                          + f"evidence copy: {a['evidence']}", style="dim"))
    parts += [Text(note, style="yellow") for note in doc.get("notes") or []]
    return Group(*parts)
