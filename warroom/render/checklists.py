"""Rich tables of the checklists, shared by the command line and the console: people (as
`checklists.people.shown` gives them), tasks and downloaders. Text from outside (names,
facilities, counsel, organisations, actors, task titles) goes in as `Text`, never markup."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text

from warroom.model import now as _now
from warroom.model import parse_instant
from warroom.render.safe import safe_text
from warroom.render.text import duration, local_time

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
        who = Text.assemble(safe_text(p["name"] or "?"), "\n", safe_text(p["a_number"]),
                            " ", safe_text((p["birth_date"] or "")[:10 if not p["redacted"]
                                                                  else 4], "dim"))
        nationality = safe_text(p["nationality"] or "")
        if p["high_risk"]:
            nationality.append(" high", style="bold red")
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
    for name in ("key", "task", "owner", "due", "state"):
        table.add_column(name, no_wrap=name == "key")
    for t in tasks:
        style = "bold red" if t["overdue"] else ("dim" if t["state"] == "done" else "")
        title = safe_text(t["title"], style)
        if t.get("progress"):
            title.append(f" ({t['progress']['done']:,}/{t['progress']['of']:,})", style="cyan")
        owner = safe_text(t["owner"] or "")
        if t["assignee"]:
            owner.append("\n→ ")
            owner.append(safe_text(t["assignee"], "bold"))
        state = Text(t["state"], style)
        if t["state"] == "done":
            state.append(" by ")
            state.append(safe_text(t["done_by"] or "?"))
            state.append(f" {_when(t['done_at'], at)}")
        table.add_row(safe_text(t["key"], style), title, owner, due_text(t, at), state)
    return table


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
