"""The exposure as an inline SVG chart, built in Python: one bar a location (from when it was
live to when it went down, or to the export while it is still live), the key moments as
labelled lines, and every event in the window as a tick (alarms in their own colour).

No script, no font file, no external reference: it renders in a browser with the network
off, and the PDF embeds the same drawing. Text in it is escaped here (it is handed to the
HTML template as markup)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import escape

from warroom.export.document import Document, zone
from warroom.model import DOWN_STATES, parse_instant
from warroom.render.safe import clean
from warroom.render.text import shorten_middle

WIDTH, LABEL, RIGHT = 960, 230, 20
BAR, GAP, TOP = 22, 10, 46
STEPS = [timedelta(minutes=m) for m in (5, 10, 15, 30, 60, 120, 180, 360, 720)] + \
        [timedelta(days=d) for d in (1, 2, 7, 14, 30)]
# a bar is the time the file was reachable there: red while it still is, a lighter red once down
COLOURS = {"live": "#c62828", "down": "#ef9a9a", "moment": "#1d3557", "event": "#457b9d",
           "alarm": "#e63946"}


def _text(value: object) -> str:
    return escape(clean(value), quote=True)


def _range(doc: Document, end: datetime) -> tuple[datetime, datetime]:
    w = doc.window
    starts = [parse_instant(s.live_since) for s in w.spans if s.live_since]
    if w.began:
        starts.append(parse_instant(w.began))
    if not starts:   # the exposure is not known: the whole timeline
        times = [parse_instant(r.occurred_at) for r in doc.rows] or [end]
        return min(times), max(times)
    ends = [parse_instant(s.down_since) for s in w.spans if s.down_since]
    if w.state != "CONTAINED" or not ends:
        ends.append(end)
    first, last = min(starts), max(ends)
    pad = max((last - first) / 20, timedelta(minutes=5))
    return first - pad, last + pad


def _offset(doc: Document) -> str:
    """The clock the chart reads in: the offset of the first moment that has one (the
    source's own, as in the tables), else UTC."""
    return next((m.offset for m in doc.window.moments if m.at and m.offset), "+00:00")


def _step(span: timedelta) -> timedelta:
    return next((s for s in STEPS if span / s <= 10), STEPS[-1])


def svg(doc: Document, *, font: str = "sans-serif", titles: bool = True) -> str:
    """The chart as an `<svg>` element (a string of markup). The PDF passes its own font
    and leaves out the hover titles, which it cannot draw."""
    end = parse_instant(doc.generated_at)
    offset = _offset(doc)
    tz = zone(offset)
    first, last = (moment.astimezone(tz) for moment in _range(doc, end))
    span = max(last - first, timedelta(minutes=1))
    plot = WIDTH - LABEL - RIGHT
    spans = doc.window.spans
    height = TOP + (len(spans) + 1) * (BAR + GAP) + 60

    def x(moment: datetime) -> float:
        return round(LABEL + plot * ((moment - first) / span), 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH}'
           f' {height}" width="{WIDTH}" height="{height}" role="img"'
           f' aria-labelledby="chart-title" font-family="{_text(font)}" font-size="12">',
           f'<title id="chart-title">Exposure timeline: {_text(doc.window.headline)}</title>']
    step = _step(span)
    tick = first.replace(hour=0, minute=0, second=0, microsecond=0)   # local midnight
    while tick <= first:
        tick += step
    axis = TOP + (len(spans) + 1) * (BAR + GAP)
    while tick < last:
        label = tick.strftime("%H:%M" if step < timedelta(days=1) else "%d %b")
        out.append(f'<line class="grid" x1="{x(tick)}" y1="{TOP - 6}" x2="{x(tick)}"'
                   f' y2="{axis}" stroke="#ddd"/>'
                   f'<text x="{x(tick)}" y="{axis + 16}" text-anchor="middle"'
                   f' fill="#555">{label}</text>')
        tick += step
    out.append(f'<text x="{LABEL}" y="{axis + 34}" fill="#555">from {first:%Y-%m-%d %H:%M}'
               f' to {last:%Y-%m-%d %H:%M}, times at {offset}</text>')
    for i, s in enumerate(spans):
        y = TOP + i * (BAR + GAP)
        out.append(f'<text x="{LABEL - 8}" y="{y + BAR * 0.7}" text-anchor="end">'
                   f'{_text(s.kind)}: {_text(shorten_middle(s.url, 30))}</text>')
        if not s.live_since:
            out.append(f'<text x="{LABEL + 4}" y="{y + BAR * 0.7}" fill="#555">not seen'
                       ' live</text>')
            continue
        start = parse_instant(s.live_since)
        stop = parse_instant(s.down_since) if s.down_since and s.state in DOWN_STATES else end
        state = "down" if s.state in DOWN_STATES else "live"
        out.append(f'<rect class="bar {state}" x="{x(start)}" y="{y}"'
                   f' width="{max(x(stop) - x(start), 2)}" height="{BAR}" fill="{COLOURS[state]}">'
                   f'<title>{_text(s.url)}: {state.upper()}'
                   f' {start.astimezone(tz):%H:%M}–{stop.astimezone(tz):%H:%M}</title></rect>')
    lane = TOP + len(spans) * (BAR + GAP) + BAR / 2
    out.append(f'<text x="{LABEL - 8}" y="{lane + 4}" text-anchor="end">events</text>')
    outside = {"before": [0, 0], "after": [0, 0]}
    for r in doc.rows:
        at = parse_instant(r.occurred_at)
        if not first <= at <= last:
            side = outside["before" if at < first else "after"]
            side[0] += 1
            side[1] += r.alarm
        else:
            kind = "alarm" if r.alarm else "event"
            out.append(f'<line class="tick {kind}" x1="{x(at)}" y1="{lane - 8}" x2="{x(at)}"'
                       f' y2="{lane + 8}" stroke="{COLOURS[kind]}" stroke-width="2">'
                       f'<title>{_text(r.occurred_local)} {_text(r.text)}</title></line>')
    if any(n for n, _ in outside.values()):
        said = ", ".join(f"{n} {side} this window" + (f" ({a} alarm{'s' * (a > 1)})" if a else "")
                         for side, (n, a) in outside.items() if n)
        out.append(f'<text class="outside" x="{LABEL}" y="{axis + 50}" fill="#555">Not drawn:'
                   f' {said}; the timeline below lists every event.</text>')
    for i, m in enumerate(m for m in doc.window.moments if m.at):
        if first <= parse_instant(m.at) <= last:
            mx = x(parse_instant(m.at))
            label = m.what.split(" (")[0].removesuffix(" down everywhere")
            # near the right edge the label ends left of its line, inside the drawing
            anchor = ' text-anchor="end"' if mx + 6 * len(label) > WIDTH else ""
            tx = mx - 3 if anchor else mx + 3
            out.append(f'<line class="moment" x1="{mx}" y1="{TOP - 4}" x2="{mx}" y2="{axis}"'
                       f' stroke="{COLOURS["moment"]}" stroke-dasharray="4 3"/>'
                       f'<text x="{tx}" y="{TOP - 8 - 11 * (i % 3)}"{anchor}'
                       f' fill="{COLOURS["moment"]}" font-size="10">{_text(label)}</text>')
    out.append("</svg>")
    text = "".join(out)
    return text if titles else _TITLE.sub("", text)


_TITLE = re.compile(r"<title\b[^>]*>.*?</title>", re.S)
