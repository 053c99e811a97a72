"""Incident tasks (`warroom task ...`) and downloader contact (`warroom downloader`).

Template tasks (data/tasks.toml) are added to the journal by the first task command that can
write it, with their deadlines relative to T0 (the discovery, else the incident's opening)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from warroom.cli.options import db_option, global_options, json_option
from warroom.cli.output import EXIT_OK, console, print_json
from warroom.cli.people import (
    correct_option,
    date_option,
    note_option,
    open_journal,
    run_bulk,
    say,
)
from warroom.model import ContactState

CHECKLISTS = ["general", "notify", "hold", "downloader"]


@click.group("task")
@global_options
def task() -> None:
    """Incident tasks with owners and deadlines from T0.

    The templates (data/tasks.toml: report to CISA within the hour, take down and purge,
    preserve logs, convene the breach response team, the major-incident decision, removal
    requests, lessons learned, ...) are added once, by the first task command on the
    journal; `task add` and `task load` add more.
    """


@contextmanager
def _ensured(db: Path, write: bool):
    """The journal, with the template tasks it lacks added first (when it can be written)."""
    from warroom.checklists.tasks import ensure_tasks

    with open_journal(db, write=write) as journal:
        ensure_tasks(journal)
        yield journal


@task.command("list")
@click.option("--overdue", is_flag=True, help="only the open tasks past their due time")
@click.option("--checklist", type=click.Choice(CHECKLISTS), help="only this checklist's tasks")
@json_option
@db_option
def task_list(db: Path, overdue: bool, checklist: str | None, as_json: bool) -> int:
    """List the tasks in due order; overdue ones stand out.

    Adds the template tasks the journal lacks first (nothing is written to a read-only
    journal). Each task: key, checklist, title, owner, assignee, state, due time, done by and
    when, note. With --json prints {"tasks": [...], "count": N, "overdue": N, "t0": TIME}.
    """
    from warroom.checklists.tasks import task_list as list_tasks
    from warroom.journal import queries

    with _ensured(db, write=False) as journal:
        rows = list_tasks(journal.conn, overdue=overdue, checklist=checklist)
        t0 = queries.t0(journal.conn)
    late = sum(1 for r in rows if r["overdue"])
    if as_json:
        print_json({"tasks": rows, "count": len(rows), "overdue": late, "t0": t0})
        return EXIT_OK
    from warroom.render.checklists import tasks_table

    console().print(tasks_table(rows))
    from warroom.render.text import local_time

    say(f"{len(rows)} tasks, {late} overdue; T0 {local_time(t0) if t0 else 'not known'}")
    return EXIT_OK


@task.command("done")
@click.argument("key")
@click.option("--note", metavar="TEXT", help="what was done (a ticket, a reference); kept"
                                             " with the task and its step")
@date_option
@json_option
@db_option
def task_done(db: Path, key: str, note: str | None, when: str | None, as_json: bool) -> int:
    """Mark a task done (by you, now or --date).

    A task that a procedure step completes (report-cisa: cisa_reported, ...) records that
    step on the timeline too. With --json prints {"key", "events"}.
    """
    from warroom.checklists.tasks import done
    from warroom.checklists.when import instant

    with _ensured(db, write=True) as journal:
        events = done(journal, key, note, instant(when))
    return _said(as_json, {"key": key, "events": [e.id for e in events]},
                 f"Task {key} done ({len(events)} event(s) journaled).")


@task.command("assign")
@click.argument("key")
@click.argument("who")
@click.option("--note", metavar="TEXT", help="a note kept with the task")
@json_option
@db_option
def task_assign(db: Path, key: str, who: str, note: str | None, as_json: bool) -> int:
    """Assign a task to someone (a name or a role).

    With --json prints {"key", "assignee", "event"}.
    """
    from warroom.checklists.tasks import assign

    with _ensured(db, write=True) as journal:
        event = assign(journal, key, who, note)
    return _said(as_json, {"key": key, "assignee": who, "event": event.id},
                 f"Task {key} assigned to {who}.")


@task.command("add")
@click.argument("title")
@click.option("--due", metavar="T0+4h|TIME", help="T0+4h (moves with T0), +4h (after now),"
                                                  " or a time: 2022-11-29T10:00")
@click.option("--checklist", type=click.Choice(CHECKLISTS), default="general",
              show_default=True, help="the checklist it belongs to")
@click.option("--owner", metavar="ROLE", help="the role that owns it")
@click.option("--key", metavar="KEY", help="its key (default: made from the title)")
@json_option
@db_option
def task_add(db: Path, title: str, due: str | None, checklist: str, owner: str | None,
             key: str | None, as_json: bool) -> int:
    """Add a task of your own.

    With --json prints {"key", "event"}.
    """
    from warroom.checklists.tasks import add_task

    with _ensured(db, write=True) as journal:
        event = add_task(journal, title, due, checklist, owner, key)
    return _said(as_json, {"key": event.data["key"], "event": event.id},
                 f"Task {event.data['key']} added.")


@task.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@json_option
@db_option
def task_load(db: Path, file: str, as_json: bool) -> int:
    """Add the tasks of a template file (the form of data/tasks.toml).

    Tasks whose key the journal has already are left as they are. With --json prints
    {"added": [keys]}.
    """
    from warroom.checklists.tasks import load_file

    with _ensured(db, write=True) as journal:
        events = load_file(journal, file)
    keys = [e.data["key"] for e in events]
    return _said(as_json, {"added": keys}, f"{len(keys)} task(s) added.")


def _said(as_json: bool, doc: dict, line: str) -> int:
    if as_json:
        print_json(doc)
    else:
        say(line)
    return EXIT_OK


CONTACT_STATES = [s.value for s in ContactState]


@click.command()
@click.argument("clients", nargs=-1, metavar="[CLIENT]...")
@click.option("--contact-state", "filter_state", type=click.Choice(CONTACT_STATES),
              help="FILTER: downloaders whose contact is in this state")
@click.option("--complete/--partial", default=None, help="FILTER: complete or partial downloads")
@click.option("--crawlers/--no-crawlers", default=None, help="FILTER: crawlers, or not")
@click.option("--search", metavar="TEXT", help="FILTER: part of the address or organisation")
@click.option("--all", "everyone", is_flag=True, help="every downloader (a bulk action)")
@click.option("--state", type=click.Choice(CONTACT_STATES),
              help="the contact's new state (without it and without details: list)")
@click.option("--organisation", metavar="NAME", help="who is behind the address")
@click.option("--contact", metavar="TEXT", help="whom to write to: a name, an address")
@date_option
@note_option
@correct_option
@click.option("--yes", "-y", is_flag=True, help="do not ask before a bulk action over FILTERS")
@json_option
@db_option
def downloader(db: Path, clients: tuple[str, ...], filter_state: str | None,
               complete: bool | None, crawlers: bool | None, search: str | None,
               everyone: bool, state: str | None, organisation: str | None,
               contact: str | None, when: str | None, note: str | None,
               correction: str | None, yes: bool, as_json: bool) -> int:
    """List downloaders, or record contact work with them.

    States: unidentified → identified → attributed → clawback_sent → deletion_attested;
    no_response → chased; legal_process (an internet provider must name a subscriber).
    Refused moves exit 2 with the reason and record nothing, unless --correct REASON. A
    crawler is never sent a letter: it gets a removal task (`warroom task list`). Without a
    change, lists (--json: {"downloaders": [...], "count": N}); with one, prints the action,
    selected, changed, unchanged, events and the clients changed.
    """
    from warroom.checklists import contact as service
    from warroom.checklists.filters import DownloaderFilter
    from warroom.checklists.when import instant

    flt = DownloaderFilter(clients=clients, state=ContactState(filter_state) if filter_state
                           else None, complete=complete, bot=crawlers, search=search)
    if not any((state, organisation, contact, note, correction)):
        with open_journal(db, write=False) as journal:
            rows = service.rows(journal.conn, flt)
        if as_json:
            print_json({"downloaders": rows, "count": len(rows)})
        else:
            from warroom.render.checklists import downloaders_table

            console().print(downloaders_table(rows))
        return EXIT_OK
    change = service.ContactChange.parse(state=state, organisation=organisation,
                                         contact=contact, note=note, correction=correction,
                                         at=instant(when))
    return run_bulk(db, flt, everyone, lambda conn, f: service.plan(conn, f, change), yes,
                    as_json, noun="downloaders")


COMMANDS = [task, downloader]
