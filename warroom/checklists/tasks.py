"""Incident tasks: templates (`data/tasks.toml`) instantiated at T0, plus tasks responders
add, with owners, assignees, due times and who closed them.

T0 is the discovery (the tip marked as such), else the incident's opening. A template's due
time is kept as an offset after T0 and read against the current T0, so a discovery learned
later moves every deadline with it. Template tasks are created by `ensure_tasks`, which
`warroom task ...` and the Tasks tab call: each template whose key the journal lacks is added
(a template added to the file later appears then too). A crawler among the downloaders gets a
search-engine or web-archive removal task of its own instead of a claw-back letter.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warroom.checklists import when
from warroom.checklists.filters import after
from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.journal.checklist_projections import STEP_KINDS
from warroom.journal.projections import StaleState
from warroom.model import Draft, Event, Kind, TaskState, now, payload_for, to_utc_text
from warroom.model.payloads import TaskAdded, TaskChanged
from warroom.paths import data_dir

CHECKLISTS = ("general", "notify", "hold", "downloader")
PER_PERSON = ("notify", "hold")


@dataclass(frozen=True)
class Template:
    key: str
    checklist: str
    title: str
    due: int                       # seconds after T0
    owner: str | None = None
    step: Kind | None = None
    per_person: str | None = None

    def draft(self) -> Draft:
        return Draft(Kind.TASK_ADDED, None, TaskAdded(
            key=self.key, checklist=self.checklist, title=self.title, due_offset=self.due,
            owner=self.owner, step=self.step).data())


@dataclass(frozen=True)
class Templates:
    tasks: tuple[Template, ...]
    hold_days: int = 30
    crawlers: dict | None = None


def load_templates(path: str | Path) -> Templates:
    """Read a template file; every fault names the file and the task."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WarroomError(f"{path}: not a task template file: {exc}") from exc
    seen: set[str] = set()
    out = []
    for number, entry in enumerate(doc.get("task", []), start=1):
        out.append(_template(path, number, entry, seen))
    days = doc.get("holds", {}).get("days", 30)
    if not isinstance(days, int) or days < 1:
        raise WarroomError(f"{path}: [holds] days must be a whole number of days")
    return Templates(tuple(out), days, doc.get("crawlers"))


def _template(path: Path, number: int, entry: dict, seen: set[str]) -> Template:
    def fault(what: str) -> WarroomError:
        return WarroomError(f"{path}: task {number} ({entry.get('key', '?')}): {what}")

    key, title = str(entry.get("key", "")).strip(), str(entry.get("title", "")).strip()
    if not key or not title:
        raise fault("needs a key and a title")
    if key in seen:
        raise fault("the key is used twice")
    seen.add(key)
    checklist = entry.get("checklist", "general")
    if checklist not in CHECKLISTS:
        raise fault(f"checklist is one of {', '.join(CHECKLISTS)}")
    due = when.offset_seconds(str(entry.get("due", "")))
    if due is None:
        raise fault("due is an offset after T0, such as 15m, 4h or 7d")
    step = entry.get("step")
    if step is not None and step not in STEP_KINDS:
        raise fault(f"step is one of {', '.join(STEP_KINDS)}")
    per_person = entry.get("per_person")
    if per_person is not None and per_person not in PER_PERSON:
        raise fault(f"per_person is one of {', '.join(PER_PERSON)}")
    return Template(key, checklist, title, due, entry.get("owner"),
                    Kind(step) if step else None, per_person)


@functools.cache
def templates() -> Templates:
    """The built-in templates (data/tasks.toml)."""
    return load_templates(data_dir() / "tasks.toml")


def hold_days() -> int:
    return templates().hold_days


def person_deadlines(conn) -> dict[str, datetime | None]:
    """Each exposed person's own deadlines ("notify", "hold"): T0 plus the offset of the
    template that sets it."""
    t0 = queries.t0(conn)
    return {t.per_person: after(t0, t.due) for t in templates().tasks if t.per_person}


# ---------------------------------------------------------------- creating tasks


def ensure_tasks(journal: Journal, source: Templates | None = None) -> list[Event]:
    """Add every template task the journal lacks, and a removal task for every crawler
    among the downloaders; nothing on a read-only journal or before the incident is open."""
    if journal.read_only or not queries.has_incident(journal.conn):
        return []
    source = source or templates()
    for _attempt in range(5):
        have = queries.task_keys(journal.conn)
        drafts = [t.draft() for t in source.tasks if t.key not in have]
        drafts += _crawler_drafts(journal.conn, have, source.crawlers or templates().crawlers)
        if not drafts:
            return []
        try:
            return journal.append_many(drafts)
        except StaleState:     # another responder added some of them first: read again
            continue
    raise WarroomError("other responders kept adding the same tasks: try again")


def _crawler_drafts(conn, have: set[str], cfg: dict | None) -> list[Draft]:
    if not cfg:
        return []
    archive_words = [w.lower() for w in cfg.get("archive_agents", [])]
    due = when.offset_seconds(str(cfg.get("due", "48h")))
    drafts = []
    for row in queries.contact_rows(conn, bot=True):
        key = f"crawler-{row['client']}"
        if key in have:
            continue
        agents = " ".join(row["user_agents"]).lower()
        archive = any(w in agents for w in archive_words)
        title = cfg["archive_title" if archive else "search_title"].replace(
            "{client}", row["client"])
        step = Kind.ARCHIVE_REMOVAL_REQUESTED if archive else Kind.SEARCH_REMOVAL_REQUESTED
        drafts.append(Draft(Kind.TASK_ADDED, row["client"], TaskAdded(
            key=key, checklist="downloader", title=title, due_offset=due,
            owner=cfg.get("owner"), step=step).data()))
    return drafts


def add_task(journal: Journal, title: str, due: str | None = None, checklist: str = "general",
             owner: str | None = None, key: str | None = None) -> Event:
    """A task of the responders' own. `due`: 'T0+4h' (kept relative to T0), '+4h' (after
    now), or a time."""
    title = " ".join((title or "").split())
    if not title:
        raise WarroomError("a task needs a title")
    if checklist not in CHECKLISTS:
        raise WarroomError(f"no checklist {checklist!r}: one of {', '.join(CHECKLISTS)}")
    have = queries.task_keys(journal.conn)
    key = key or _free_key(title, have)
    if key in have:
        raise WarroomError(f"task {key} exists already")
    task = TaskAdded(key=key, checklist=checklist, title=title, owner=owner)
    if due and due.strip().lower().startswith("t0"):
        seconds = when.offset_seconds(due)
        if seconds is None:
            raise WarroomError(f"{due!r} is not an offset after T0: write T0+4h, T0+30m, T0+7d")
        task = TaskAdded(**{**task.data(), "due_offset": seconds})
    elif due:
        t0 = queries.t0(journal.conn)
        moment = when.instant(due, after(t0, 0))
        task = TaskAdded(**{**task.data(), "due_at": to_utc_text(moment)[0]})
    return journal.record(task)


def _free_key(title: str, have: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:32].rstrip("-") or "task"
    key, n = base, 2
    while key in have:
        key, n = f"{base}-{n}", n + 1
    return key


def load_file(journal: Journal, path: str | Path) -> list[Event]:
    """Add the tasks of another template file (the form of data/tasks.toml) whose keys the
    journal lacks."""
    return ensure_tasks(journal, Templates(load_templates(path).tasks))


# ---------------------------------------------------------------- working on tasks


def task(conn, key: str) -> dict:
    for row in queries.tasks(conn):
        if row["key"] == key:
            return row
    raise WarroomError(f"no task {key!r} (`warroom task list` shows the keys)")


def done(journal: Journal, key: str, note: str | None = None,
         at: datetime | None = None) -> list[Event]:
    """Mark a task done; a task that a procedure step completes records that step too, when
    a note is all the step needs (the timeline then says it: "cisa reported: <note>")."""
    found = task(journal.conn, key)
    if found["state"] == TaskState.DONE:
        raise WarroomError(f"task {key} is done already (by {found['done_by'] or '?'},"
                           f" {found['done_at']})")
    drafts = [Draft(Kind.TASK_STATE, None, TaskChanged(
        key=key, state=TaskState.DONE, note=note).data(), at)]
    step = _step(found["step"], note, found["subject"]) if found["step"] else None
    if step is not None:
        drafts.append(Draft(Kind(found["step"]), found["subject"], step.data(), at))
    return journal.append_many(drafts)


def _step(kind: str, note: str | None, client: str | None):
    """The step's event when a note (and the client) is all it needs; None for a step that
    says more (a tip, a purge names its URL): that one is recorded by its own command."""
    try:
        return payload_for(kind).parse({"text": note, "client": client})
    except TypeError:
        return None


def assign(journal: Journal, key: str, who: str, note: str | None = None) -> Event:
    who = " ".join((who or "").split())
    if not who:
        raise WarroomError("assign the task to someone: a name or a role")
    found = task(journal.conn, key)
    return journal.record(TaskChanged(key=key, state=found["state"], assignee=who, note=note))


def task_list(conn, at: datetime | None = None, overdue: bool = False,
              checklist: str | None = None) -> list[dict]:
    """Tasks in due order, each with `due_at`, `overdue` (at `at`, default now), `done_by`."""
    rows = queries.tasks(conn, to_utc_text(at or now())[0], overdue, checklist)
    per_person = {t.key: t.per_person for t in templates().tasks if t.per_person}
    counts = queries.counts(conn) if any(r["key"] in per_person for r in rows) else {}
    for row in rows:
        row["overdue"] = bool(row["overdue"])
        if row["key"] in per_person:     # how far the roster is: notices given, holds placed
            done = counts["notified" if per_person[row["key"]] == "notify" else "holds"]
            row["progress"] = {"done": done, "of": counts["people"]}
    return rows
