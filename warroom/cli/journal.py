"""Commands on the journal itself: create it, and prove it intact."""

from __future__ import annotations

from pathlib import Path

import click

from warroom.cli.options import db_option, json_option
from warroom.cli.output import EXIT_FAULT, EXIT_OK, console, print_json, progress
from warroom.errors import WarroomError


@click.command()
@click.option("--name", required=True, metavar="NAME",
              help="the incident's name, as responders say it")
@click.option("--description", metavar="TEXT", help="a line on what happened")
@json_option
@db_option
def init(db: Path, name: str, description: str | None, as_json: bool) -> int:
    """Create a journal for a new incident.

    Creates the journal file (--db, $WARROOM_DB or ./warroom.db; mode 0600) and records its
    first event: the incident, opened under NAME. Refuses a journal that already holds an
    incident, and a read-only one. With --json prints {"db", "name", "event"}.
    """
    from warroom.incident import open_incident
    from warroom.journal import Journal

    with Journal(db, create=True) as journal:
        event = open_incident(journal, name, description)
    if as_json:
        print_json({"db": str(db), "name": name, "event": event.id})
    else:
        console().print(f"Created journal [bold]{db}[/] for incident “{name}”.")
    return EXIT_OK


@click.command()
@json_option
@db_option
def verify(db: Path, as_json: bool) -> int:
    """Check the hash chain and rebuild every table from the events.

    Walks the chain (each event's hash and its link to the one before), checks the order and
    the append-only triggers, then rebuilds every projection table from the events and
    compares it with the journal's. Records nothing: a read-only journal can be verified.
    Exit 0 when intact, 1 naming each fault (an edited, deleted, reordered or inserted event,
    or a table that disagrees).
    """
    from warroom.journal.verify import verify as verify_journal

    if not db.exists():
        raise WarroomError(f"no journal at {db}")
    with progress() as update:
        report = verify_journal(db, update and (lambda done, total:
                                                update("verifying", done, total)))
    if as_json:
        print_json(report.as_dict())
    elif report.ok:
        rows = sum(report.tables.values())
        console().print(f"[green]OK[/] {db}: {report.events:,} events, chain intact,"
                        f" {len(report.tables)} projections ({rows:,} rows) rebuilt equal"
                        f" in {report.seconds:.1f}s")
    else:
        out = console()
        out.print(f"[bold red]FAULT[/] {db}: {len(report.faults)} fault(s) in"
                  f" {report.events:,} events")
        for fault in report.faults:
            out.print(f"  [red]{fault.what}[/]: {fault.message}")
    return EXIT_OK if report.ok else EXIT_FAULT


COMMANDS = [init, verify]
