"""Rich tables of the checklists, shared by the command line and the console: people (as
`checklists.people.shown` gives them), tasks and downloaders. Text from outside (names,
facilities, counsel, organisations, actors, task titles) goes in as `Text`, never markup."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text

from warroom.model import ALARM_KINDS, Kind, parse_instant
from warroom.model import now as _now
from warroom.render.safe import safe_text
from warroom.render.text import duration, local_time, summary

ALARM_WORDS = {
    "removal_in_hold": "removal in hold",
    "removal_before_notice": "removal before notice",
    "hold_ends_before_notice": "hold ends before notice",
    "removed_before_notice": "REMOVED before notice",
    "removed_during_hold": "REMOVED in hold",
}


def _when(utc: str | None, at: datetime | None = None) -> str:
    return local_time(utc, at) if utc else ""


def _touched(touched: dict, at: datetime | None) -> Text:
    if not touched.get("by"):
        return Text("")
    return Text.assemble(safe_text(touched["by"]), f" {_when(touched['at'], at)}")


def people_table(people: list[dict], at: datetime | None = None) -> Table:
    """One row a person: id, who (redacted unless revealed: initials, A-number, birth
    year), alarms and overdue work, nationality (with the high-risk mark), facility, notice,
    hold, scheduled removal, last touched by and when."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    # every column but the id and the person (two lines) wraps at its spaces: on a narrow
    # terminal rows grow taller, and no column (an alarm least of all) is dropped
    for name, high in (("id", None), ("person", None), ("alarm", 30), ("country", 16),
                       ("facility", 24), ("notice", None), ("hold", None), ("removal", None),
                       ("last", None)):
        table.add_column(name, justify="right" if name == "id" else "left",
                         no_wrap=name in ("id", "person"), overflow="fold", max_width=high)
    for p in people:
        n, h = p["notification"], p["hold"]
        notice = Text(n["state"], style="green" if n["notice_at"] else "")
        if n["channel"]:
            notice.append(f" {n['channel']}", style="dim")
        hold = Text(h["state"], style="green" if h["state"] == "placed" else "")
        if h["expires"] and h["state"] in ("requested", "placed"):
            hold.append(f" →{h['expires']}", style="dim")
        alarms = Text(", ".join(ALARM_WORDS.get(a, a) for a in h["alarms"]), style="bold red")
        if p["overdue"]:
            alarms.append((", " if h["alarms"] else "") + "overdue " + "+".join(p["overdue"]),
                          style="red")
        if "identity_conflict" in p.get("risk_flags", ()):
            alarms.append((", " if alarms.plain else "") + "≠ conflicting identities",
                          style="bold yellow")
        who = Text.assemble(safe_text(p["name"] or "?"), "\n", safe_text(p["a_number"]),
                            " ", safe_text((p["birth_date"] or "")[:10 if not p["redacted"]
                                                                  else 4], "dim"))
        nationality = safe_text(p["nationality"] or "")
        if p["high_risk"]:
            nationality.append(" high", style="bold red")
        if "protected_208_6" in p.get("risk_flags", ()):
            nationality.append(" §208.6", style="bold red")
        removal = (Text(f"removed {(h['removed_at'] or '')[:10]}", style="bold red")
                   if h["removed_at"] else Text(h["removal_date"] or "", style="yellow"))
        table.add_row(str(p["id"]), who, alarms, nationality, safe_text(p["facility"] or ""),
                      notice, hold, removal, _touched(p["last_touched"], at))
    return table


def due_text(task: dict, at: datetime | None = None) -> Text:
    """'14:53 (in 2h 05m)', or 'OVERDUE 3h 10m' in red, or the time it was done."""
    if not task["due_at"]:
        return Text("")
    at = at or _now()
    due = parse_instant(task["due_at"])
    label = _when(task["due_at"], at)
    if task["state"] == "done":
        return Text(label, style="dim")
    if task["overdue"]:
        return Text(f"{label} OVERDUE {duration(at - due)}", style="bold red")
    return Text(f"{label} (in {duration(due - at)})")


def tasks_table(tasks: list[dict], at: datetime | None = None) -> Table:
    """One row a task: key, title (with the roster's progress for a per-person task), the
    owning role and the assignee, the due time (OVERDUE in red), the state and who closed
    it when."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in TASK_COLUMNS:
        table.add_column(name, no_wrap=name == "key")
    for t in tasks:
        table.add_row(*task_cells(t, at))
    return table


TASK_COLUMNS = ("key", "task", "owner", "due", "state")


def task_cells(t: dict, at: datetime | None = None, assignee_sep: str = "\n→ ") -> list[Text]:
    """A task's cells (TASK_COLUMNS), for the table above and the console's Tasks tab."""
    style = "bold red" if t["overdue"] else ("dim" if t["state"] == "done" else "")
    title = safe_text(t["title"], style)
    if t.get("progress"):
        title.append(f" ({t['progress']['done']:,}/{t['progress']['of']:,})", style="cyan")
    owner = safe_text(t["owner"] or "")
    if t["assignee"]:
        owner.append(assignee_sep if t["owner"] else "→ ")
        owner.append(safe_text(t["assignee"], "bold"))
    state = Text(t["state"], style)
    if t["state"] == "done":
        state.append(" by ")
        state.append(safe_text(t["done_by"] or "?"))
        state.append(f" {_when(t['done_at'], at)}")
    return [safe_text(t["key"], style), title, owner, due_text(t, at), state]


def downloaders_table(rows: list[dict], at: datetime | None = None) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("client", "download", "organisation", "contact", "state", "attested",
                 "last"):
        table.add_column(name, no_wrap=True, overflow="ellipsis")
    for d in rows:
        kind = "crawler" if d["bot"] else ("complete" if d["complete"] else "partial")
        table.add_row(safe_text(d["client"]), Text(kind, style="dim" if d["bot"] else ""),
                      safe_text(d["organisation"] or ""), safe_text(d["contact"] or ""),
                      Text(d["contact_state"]), _when(d["attested_at"], at),
                      _touched({"by": d["touched_by"], "at": d["touched_at"]}, at))
    return table


# ---------------------------------------------------------------- the console's Notify, Holds
# and Tasks tabs: how far each checklist is, one person in full, their history

NOTIFY_STYLES = {"pending": "grey50", "prepared": "yellow", "delivered": "green",
                 "acknowledged": "bold green", "undeliverable": "red", "substitute": "cyan"}
HOLD_STYLES = {"none": "grey50", "requested": "yellow", "placed": "green",
               "lifted": "magenta", "expired": "red"}


def state_bar(counts: dict[str, int], styles: dict[str, str], width: int) -> Text:
    """One bar of `width` cells split by state, in the order of `styles` (a state with
    anyone in it keeps at least one cell)."""
    total = sum(counts.values())
    bar = Text()
    if total <= 0 or width <= 0:
        return Text("░" * max(width, 0), style="dim")
    cells = {s: (max(1, round(counts.get(s, 0) / total * width)) if counts.get(s) else 0)
             for s in styles}
    while sum(cells.values()) > width:      # the rounding gave too many: take from the largest
        cells[max(cells, key=cells.get)] -= 1
    biggest = max(cells, key=lambda s: counts.get(s, 0))
    cells[biggest] += width - sum(cells.values())
    for state, style in styles.items():
        bar.append("█" * cells[state], style=style)
    return bar


def checklist_progress(label: str, done: int, of: int, counts: dict[str, int],
                       styles: dict[str, str], width: int) -> Text:
    """'notified 1,980/6,252 (32%) ██████░░░░' over 'pending 4,000 · prepared 212 · …'."""
    share = f" ({done / of:.0%})" if of else ""
    head = Text.assemble((f"{label} {done:,}/{of:,}", "bold"), share, " ")
    head.append_text(state_bar(counts, styles, max(8, width - head.cell_len)))
    states = Text()
    for state, style in styles.items():
        if states:
            states.append(" · ", style="dim")
        states.append(f"{state} {counts.get(state, 0):,}", style=style)
    return Text("\n").join([head, states])


def tasks_progress(tasks: list[dict], width: int) -> Text:
    """Each checklist on one line: done/total, overdue, and a bar."""
    lines = []
    for checklist in dict.fromkeys(t["checklist"] for t in tasks):
        mine = [t for t in tasks if t["checklist"] == checklist]
        done = sum(t["state"] == "done" for t in mine)
        late = sum(bool(t["overdue"]) for t in mine)
        label = Text(f"{checklist:<11}{done:>3}/{len(mine):<3}")
        late_text = Text(f" {late} overdue" if late else "", style="bold red")
        room = max(8, width - label.cell_len - 14)
        lines.append(Text.assemble(label, " ", state_bar(
            {"done": done, "open": len(mine) - done}, {"done": "green", "open": "grey30"},
            room), late_text))
    return Text("\n").join(lines) if lines else Text("no tasks yet", style="dim")


def _line(label: str, *parts) -> tuple[str, Text]:
    return label, Text.assemble(*[p if isinstance(p, Text) else safe_text(p) for p in parts
                                  if p])


RISK_WORDS = {"protected_208_6": "8 CFR 208.6 (a claim for protection is on record)",
              "asylum": "asylum", "withholding": "withholding of removal",
              "cat": "Convention Against Torture", "credible_fear": "credible fear",
              "reasonable_fear": "reasonable fear", "refugee": "refugee",
              "identity_conflict": "CONFLICTING IDENTITIES: one A-number, more than one"
                                   " name or birth date (review)"}


def risk_words(flags: list[str]) -> str:
    """The person's risk flags in words (the claims after the rule they fall under)."""
    return " · ".join(RISK_WORDS.get(f, f) for f in sorted(
        flags, key=lambda f: (f != "identity_conflict", f != "protected_208_6", f)))


def person_detail(p: dict, at: datetime | None = None) -> Table:
    """One person in full as the faces show them (redacted unless `p` was revealed): who,
    the notice, the hold, alarms, overdue work, and who touched them last."""
    n, h = p["notification"], p["hold"]
    rows = [
        _line("person", p["name"] or "?",
              Text("  (redacted: v reveals, journaled)" if p["redacted"] else "  (revealed)",
                   style="dim" if p["redacted"] else "bold yellow")),
        _line("A-number", p["a_number"]),
        _line("born", p["birth_date"] or "?"),
        _line("nationality", p["nationality"] or "?",
              Text(" · high-risk", style="bold red") if p["high_risk"] else ""),
        _line("facility", p["facility"] or "?"),
    ]
    why = risk_words(p.get("risk_flags") or [])
    if why:
        rows.append(_line("risk", Text(why, style="bold red")))
    identities = p.get("identities") or []
    for i, other in enumerate(identities, start=1):
        rows.append(_line(f"identity {i}/{len(identities)}", other["name"] or "?",
                          f" · born {other['birth_date'] or '?'}",
                          other["nationality"] and f" · {other['nationality']}",
                          Text(f" · another {' and '.join(other['differs'])}",
                               style="bold yellow") if other.get("differs") else "",
                          Text(" · from " + " ".join(x for x in (
                              other["file"], other["artifact"] and f"({other['artifact'][:12]}…)",
                              other["at"] and f"at {_when(other['at'], at)}") if x),
                               style="dim")))
    rows += [
        _line("notice", Text(n["state"], style=NOTIFY_STYLES.get(n["state"], "")),
              n["channel"] and f" by {n['channel']}", n["counsel"] and f" · counsel {n['counsel']}",
              n["language"] and f" · in {n['language']}"),
    ]
    dates = [f"{what} {_when(n[key], at)}" for what, key in (
        ("since", "since"), ("given", "notice_at"), ("acknowledged", "acknowledged_at")) if n[key]]
    if dates:
        rows.append(_line("notice dates", " · ".join(dates)))
    for attempt in n["attempts"]:
        rows.append(_line("attempt", attempt.get("state") or "?",
                          attempt.get("channel") and f" by {attempt['channel']}",
                          attempt.get("at") and f" · {_when(attempt['at'], at)}"))
    if n["note"]:
        rows.append(_line("notice note", n["note"]))
    rows.append(_line("hold", Text(h["state"], style=HOLD_STYLES.get(h["state"], "")),
                      h["type"] and f" · {h['type']}",
                      h["expires"] and f" · ends {h['expires']}",
                      h["expires_after_notice_days"] and not h["expires"]
                      and f" · ends {h['expires_after_notice_days']} days after the notice"))
    if h["placed_at"]:
        rows.append(_line("hold placed", _when(h["placed_at"], at), " by ",
                          h["placed_by"] or "?"))
    if h["removal_date"] or h["removed_at"]:
        rows.append(_line("removal", Text(f"REMOVED {_when(h['removed_at'], at)}",
                                          style="bold red") if h["removed_at"]
                          else Text(f"scheduled {h['removal_date']}", style="yellow")))
    for label, key in (("custody review", "custody_review"), ("hold note", "note")):
        if h[key]:
            rows.append(_line(label, h[key]))
    if h["alarms"]:
        rows.append(_line("ALARM", Text(", ".join(ALARM_WORDS.get(a, a) for a in h["alarms"]),
                                        style="bold red")))
    if p["overdue"]:
        rows.append(_line("overdue", Text(" and ".join(p["overdue"]), style="red")))
    rows.append(_line("last touched", _touched(p["last_touched"], at) if
                      p["last_touched"]["by"] else Text("nobody yet", style="dim")))
    return _fields(rows)


def _fields(rows: list[tuple[str, Text]]) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", ratio=1, overflow="fold")
    for label, value in rows:
        table.add_row(label, value)
    return table


def history_line(event) -> str:
    """What one event did to a person, in a few words (no personal data: the person is the
    one the history belongs to)."""
    d = event.data
    if event.kind in (Kind.NOTIFY_STATE, Kind.HOLD_STATE):
        what = "notification" if event.kind == Kind.NOTIFY_STATE else "hold"
        was = d.get("was")
        parts = [f"{what} {was} → {d['state']}" if was and was != d["state"]
                 else f"{what} {d['state']}"]
        for key, label in (("channel", "by"), ("type", "·"), ("counsel", "· counsel"),
                           ("language", "· in"), ("expires", "· ends"),
                           ("removal_date", "· removal"), ("note", "·")):
            if d.get(key):
                parts.append(f"{label} {d[key]}")
        if d.get("days"):
            parts.append(f"· ends {d['days']} days after the notice")
        if d.get("correction"):
            parts.append(f"(correction: {d['correction']})")
        return " ".join(parts)
    if event.kind == Kind.PERSON_REVEALED:
        return f"revealed: {d.get('why')}"
    return summary(event)


def history_table(events: list, at: datetime | None = None) -> Table:
    """A person's events, newest first: when it happened, who recorded it, what it did."""
    table = Table(box=None, pad_edge=False, header_style="bold", expand=True)
    table.add_column("happened", no_wrap=True)
    table.add_column("by", no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column("what", ratio=1, overflow="fold")
    for e in events:
        style = "bold red" if e.kind in ALARM_KINDS else ""
        table.add_row(_when(e.occurred_at, at), safe_text(e.actor),
                      safe_text(history_line(e), style))
    return table
