"""The rich renderables the faces share: the header's clock and counts, the location bars,
the timeline table, the dashboard and the scan report. Text from outside goes in as rich
`Text` (never as markup)."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.console import Group
from rich.table import Table
from rich.text import Text

from warroom.dashboard import Dashboard
from warroom.exposure.window import Clock, ClockState
from warroom.model import LocationState, parse_instant
from warroom.model import now as _now
from warroom.render.safe import safe_text
from warroom.render.text import (
    age,
    clean,
    duration,
    is_alarm,
    local_time,
    shorten_middle,
    summary,
)


def clock_text(clock: Clock, at: datetime | None = None) -> Text:
    at = at or _now()
    if clock.state == ClockState.EXPOSED:
        return Text(f"■ EXPOSED for {duration(clock.duration(at))}", style="bold white on red")
    if clock.state == ClockState.CONTAINED:
        return Text(f"■ CONTAINED after {duration(clock.duration(at))}",
                    style="bold black on green")
    return Text("■ EXPOSURE NOT YET KNOWN", style="bold black on yellow")


def counts_line(c: dict[str, int], width: int | None = None) -> str:
    """The counts that matter, most important first; at a narrow width the tail is dropped
    whole (never a count cut in half)."""
    people = c["people"]
    parts = [
        f"people {people:,}",
        f"high-risk {c['high_risk']:,}",
        f"notified {c['notified']:,}/{people:,}",
        f"holds {c['holds']:,}/{people:,}",
        f"downloaders {c['downloaders']:,} ({c['bots']} bots)",
        f"live {c['live']}/{c['locations']} locations",
        f"tips new {c['tips_new']}",
        f"events {c['events']:,}",
    ]
    if width is None:
        return " · ".join(parts)
    line = parts[0]
    for part in parts[1:]:
        if len(line) + 3 + len(part) > width:
            break
        line += " · " + part
    return line


def _span(a: datetime, b: datetime | None, at: datetime) -> str:
    """'09:45 ─ 14:04' today; '24 Nov 09:45 ─ 14:04' another day; '… ─ now' while live."""
    a, end = a.astimezone(at.tzinfo), b.astimezone(at.tzinfo) if b else None
    start = a.strftime("%H:%M" if a.date() == at.date() else "%d %b %H:%M")
    if end is None:
        return f"{start} ─ now"
    return f"{start} ─ " + end.strftime("%H:%M" if end.date() == a.date() else "%d %b %H:%M")


def location_rows(locations: list[dict], at: datetime | None = None, width: int = 40,
                  total_width: int | None = None) -> Table:
    """Each location as a bar from when it went live to when it went down (or now). With
    `total_width`, the URL gets the room it needs first (shortened in the middle, keeping
    host and file name), the bar what is left (at least 8 cells, at most `width`)."""
    at = at or _now()
    starts = [parse_instant(x["live_since"]) for x in locations if x["live_since"]]
    origin = min(starts) if starts else at
    span = max((at - origin).total_seconds(), 1)
    rows = []
    for x in locations:
        a = parse_instant(x["live_since"]) if x["live_since"] else None
        b = parse_instant(x["down_since"]) if x["down_since"] else None
        rows.append((x, a, b, _span(a, b, at) if a else ""))
    kind_w = max([len(x["kind"]) for x in locations] + [4])
    span_w = max([len(r[3]) for r in rows] + [1])
    state_w = max([len(x["state"]) for x in locations] + [5])
    bar_width, url_width = width, None
    if total_width is not None:
        room = total_width - kind_w - span_w - state_w - 4     # one space between columns
        longest = max([len(x["url"]) for x in locations] + [12])
        bar_width = max(8, min(width, room - longest))
        url_width = max(12, room - bar_width)
    table = Table(box=None, show_header=False, pad_edge=False, expand=total_width is None,
                  padding=(0, 1, 0, 0))
    for col, w in (("kind", kind_w), ("bar", bar_width), ("span", span_w), ("state", state_w)):
        table.add_column(col, no_wrap=True, min_width=w, max_width=w)
    table.add_column("url", no_wrap=True, overflow="ellipsis", ratio=1, min_width=12,
                     max_width=url_width)
    for x, a, b, span_text in rows:
        bar = Text()
        if a is not None:
            left = int((a - origin).total_seconds() / span * bar_width)
            fill = max(1, int(((b or at) - a).total_seconds() / span * bar_width))
            bar.append(" " * left)
            bar.append("█" * min(fill, bar_width - left), style="red" if b is None else "")
            bar.append("░" * max(0, bar_width - left - fill), style="dim")
        state = x["state"].replace("_", " ").upper()
        style = ("bold red" if x["state"] == LocationState.LIVE
                 else "green" if "down" in x["state"] else "")
        url = shorten_middle(x["url"], url_width) if url_width else x["url"]
        table.add_row(safe_text(x["kind"]), bar, span_text, Text(state, style=style),
                      safe_text(url))
    return table


def timeline_table(events: list, at: datetime | None = None) -> Table:
    at = at or _now()
    table = Table(expand=True, box=None, header_style="bold")
    table.add_column("happened", no_wrap=True)
    table.add_column("learned", no_wrap=True)
    table.add_column("what", ratio=1, overflow="ellipsis", no_wrap=True)
    table.add_column("by", no_wrap=True)
    for e in events:
        style = "bold red" if is_alarm(e) else ""
        table.add_row(f"{local_time(e.occurred_at, at)} ({age(e.occurred_at, at)})",
                      local_time(e.recorded_at, at), safe_text(summary(e), style),
                      safe_text(e.actor))
    return table


def render(board: Dashboard, at: datetime | None = None, shown: int | None = None) -> Group:
    """The dashboard; says how many events exist beyond the ones shown."""
    at = at or _now()
    title = Text.assemble(("WARROOM ", "bold reverse"), " ", safe_text(board.name, "bold"),
                          "   ", clock_text(board.clock, at))
    parts = [title, Text(counts_line(board.counts)), Text(""),
             location_rows(board.locations, at), Text(""), timeline_table(board.recent, at)]
    total = board.counts["events"]
    if total > len(board.recent):
        parts.append(Text(f"… {total - len(board.recent):,} earlier events not shown"
                          f" ({len(board.recent)} of {total:,}); open the console"
                          " (`warroom tui`) or use --json for the whole timeline", style="dim"))
    return Group(*parts)


def nationality_bars(nationalities: dict[str, int], high_risk: list[str], top: int = 12,
                     width: int = 30) -> Table:
    """The most frequent nationalities as bars; high-risk ones (▲) are always listed, however
    few, and only the rest is folded into 'N more'."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("country", no_wrap=True)
    table.add_column("bar", no_wrap=True)
    table.add_column("n", justify="right")
    items = sorted(nationalities.items(), key=lambda kv: -kv[1])
    most = items[0][1] if items else 1
    risky = set(high_risk)
    shown = [kv for i, kv in enumerate(items) if i < top or kv[0] in risky]
    rest = [kv for kv in items if kv not in shown]
    for country, n in shown:
        is_risky = country in risky
        bar = Text("█" * max(1, round(n / most * width)), style="red" if is_risky else "cyan")
        table.add_row(safe_text(country + (" ▲" if is_risky else ""),
                                "bold red" if is_risky else ""), bar, f"{n:,}")
    if rest:
        table.add_row(f"{len(rest)} more", "", f"{sum(n for _, n in rest):,}")
    return table


def fit(text: str, width: int) -> str:
    """Exactly `width` cells: padded, or cut with '…' (never a silent cut)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def columns_line(cells: list[str], widths: list[int]) -> str:
    """Cells fitted to their widths, one space between columns."""
    return " ".join(fit(clean(text), w) for text, w in zip(cells, widths))


# ---------------------------------------------------------------- the exposure views


def cut_middle(text: str, width: int) -> str:
    """A text that is no URL (a user agent, an IPv6 address) cut in the middle, both ends
    kept: 'Mozilla/5.0 (Wind…ko) Chrome/120.0'."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:max(width, 0)]
    left = width // 2
    return text[:left] + "…" + text[len(text) - (width - 1 - left):]


def match_label(location: dict) -> str:
    """How the last probe recognised the file: 'sha256', '92% A-numbers', or ''."""
    match = location.get("match") or ""
    if match == "a-numbers" and location.get("share") is not None:
        return f"{location['share']:.0%} A-numbers"
    return "" if match == "none" else match


_CONFIDENCE = {"evidence": "green", "stated": "yellow", "derived": "cyan"}


def exposure_view(doc: dict, at: datetime | None = None, width: int | None = None) -> Group:
    """The exposure window (`warroom.exposure.summary.exposure`): the clock, each moment with
    its time, source and confidence, the places still live or never checked, the gaps. With
    `width`, a source that is a URL is shortened in the middle to fit its column."""
    at = at or _now()
    clock = {ClockState.EXPOSED: ("EXPOSED", "bold white on red"),
             ClockState.CONTAINED: ("CONTAINED", "bold black on green")}.get(
                 doc["clock"], ("EXPOSURE NOT YET KNOWN", "bold black on yellow"))
    span = ""
    if doc["since"]:
        span = f"  from {local_time(doc['since'], at)}"
        span += f" to {local_time(doc['until'], at)}" if doc["until"] else " until now"
    parts: list = [Text.assemble((f" {clock[0]} ", clock[1]), span), Text("")]
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    for name, options in (("when", {"no_wrap": True}), ("what", {"no_wrap": True}),
                          ("confidence", {"no_wrap": True}),
                          ("source", {"ratio": 1, "overflow": "fold"})):
        table.add_column(name, **options)
    rows = [(local_time(m["at"], at) if m["at"] else "?", m["what"], m["confidence"],
             m["source"]) for m in doc["moments"]]
    room = None
    if width and rows:
        fixed = [max([len(r[n]) for r in rows] + [len(title)])
                 for n, title in enumerate(("when", "what", "confidence"))]
        room = max(20, width - sum(fixed) - 2 * len(fixed))
    for when, what, confidence, source in rows:
        if room and "://" in source:
            source = shorten_middle(source, room)
        table.add_row(when, Text(what, "bold"), Text(confidence, _CONFIDENCE.get(confidence,
                                                                                  "")),
                      safe_text(source))
    parts.append(table if doc["moments"] else
                 Text("No moment known yet: add the locations and import the access logs.",
                      style="dim"))
    d = doc.get("downloaders") or {}
    if d.get("clients"):
        n = d["clients"]
        parts.append(Text(f"\n{n:,} downloader{'' if n == 1 else 's'} known:"
                          f" {d['complete']:,} complete, {d['bots']:,} bots"))
    for label, urls, style in (("still live", doc["live"], "bold red"),
                               ("never checked", doc["unchecked"], "yellow")):
        for url in urls:
            parts.append(Text.assemble((f"{label}: ", style), safe_text(url)))
    if doc["gaps"]:
        parts.append(Text("\ngaps between what was stated and what the evidence shows",
                          style="bold"))
        parts.extend(Text.assemble(("• ", "yellow"), safe_text(gap)) for gap in doc["gaps"])
    else:
        parts.append(Text("\nno gap between what was stated and what the evidence shows",
                          style="dim"))
    return Group(*parts)


def short_time(utc: str | None, at: datetime, wide: bool = False) -> str:
    """'10:11' the same day, '24 Nov 10:11' another (with the weekday when `wide`)."""
    if not utc:
        return "—"
    moment = parse_instant(utc).astimezone(at.tzinfo)
    if moment.date() == at.date():
        return moment.strftime("%H:%M")
    if moment.year == at.year:
        return moment.strftime("%a %d %b %H:%M" if wide else "%d %b %H:%M")
    return moment.strftime("%Y-%m-%d")
