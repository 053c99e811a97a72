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
@click.option("--encrypt", is_flag=True,
              help="encrypt the journal (SQLCipher) and its evidence copies; the key comes from"
                   " $WARROOM_KEY, --key-file or a prompt, and every later command needs it")
@json_option
@db_option
def init(db: Path, name: str, description: str | None, encrypt: bool, as_json: bool) -> int:
    """Create a journal for a new incident.

    Creates the journal file (--db, $WARROOM_DB or ./warroom.db; mode 0600) and records its
    first event: the incident, opened under NAME. Refuses a journal that already holds an
    incident, and a read-only one. With --encrypt the file is a SQLCipher database: it holds
    the roster of exposed people, and a lost laptop must not repeat the breach. With --json
    prints {"db", "name", "event", "encrypted"}.
    """
    from rich.text import Text

    from warroom.incident import open_incident
    from warroom.journal import Journal, keys

    if encrypt and keys.current() is None:
        keys.use(_new_key(f"a key for {db}"))
    with Journal(db, create=True, encrypt=encrypt) as journal:
        event = open_incident(journal, name, description)
    if as_json:
        print_json({"db": str(db), "name": name, "event": event.id, "encrypted": encrypt})
    else:
        console().print(Text.assemble("Created ", ("encrypted " if encrypt else ""), "journal ",
                                      (str(db), "bold"), " for incident “", name, "”."))
    return EXIT_OK


def _new_key(what: str) -> str:
    """A new key typed twice at the terminal (never echoed)."""
    import getpass
    import sys

    if not sys.stdin.isatty():
        raise WarroomError(f"{what} is needed: set $WARROOM_KEY or give --key-file FILE")
    first = getpass.getpass(f"{what}: ")
    if len(first) < 8:
        raise WarroomError("a key needs at least 8 characters")
    if getpass.getpass("the same key again: ") != first:
        raise WarroomError("the two keys differ: nothing was changed")
    return first


@click.command()
@click.option("--new-key-file", metavar="FILE",
              help="the new key (default: $WARROOM_NEW_KEY, else a prompt, typed twice)")
@db_option
def rekey(db: Path, new_key_file: str | None) -> int:
    """Change the key of an encrypted journal.

    The current key comes as for every command ($WARROOM_KEY, --key-file or a prompt); the
    new one from --new-key-file, $WARROOM_NEW_KEY or a prompt. Every other process on the
    journal (the console, a watcher) must be closed first. Evidence copies keep their own data
    key, kept inside the journal, so they need no change.
    """
    import os

    from warroom.journal import Journal, keys

    if new_key_file:
        secret = keys.read_key_file(new_key_file)
    elif os.environ.get("WARROOM_NEW_KEY"):
        secret = os.environ["WARROOM_NEW_KEY"].encode("utf-8")
    else:
        secret = _new_key(f"the new key for {db}").encode("utf-8")
    with Journal(db, readonly=False) as journal:
        journal.rekey(secret)
    keys.use(secret)
    console().print(f"The key of {db} is changed: keep the new one safe.", markup=False)
    return EXIT_OK


@click.command()
@click.option("--head", metavar="HASH",
              help="also confirm the journal still holds this head (from an export or an"
                   " anchor; 8 to 64 hex digits)")
@click.option("--anchors", metavar="FILE", type=click.Path(dir_okay=False),
              help="also confirm every head anchored in FILE (`warroom anchor --to FILE`) is"
                   " still in the chain where it was")
@json_option
@db_option
def verify(db: Path, head: str | None, anchors: str | None, as_json: bool) -> int:
    """Check the hash chain and rebuild every table from the events.

    Walks the chain (each event's hash and its link to the one before), checks the order and
    the append-only triggers, then rebuilds every projection table from the events and
    compares it with the journal's. Records nothing: a read-only journal can be verified.
    Exit 0 when intact, 1 naming each fault (an edited, deleted, reordered or inserted event,
    or a table that disagrees, an event that refers to what was not yet recorded). An import
    that began and never ended is named as a warning. --json adds `head` and `count`, to be
    kept elsewhere (`warroom anchor`).
    """
    from rich.text import Text

    from warroom.journal.anchors import check_anchors, find_head
    from warroom.journal.verify import Fault
    from warroom.journal.verify import verify as verify_journal
    from warroom.render.safe import clean

    if not db.exists():
        raise WarroomError(f"no journal at {db}")
    with progress() as update:
        report = verify_journal(db, update and (lambda done, total:
                                                update("verifying", done, total)))
    if head:
        found = find_head(db, head)
        if found is None:
            report.faults.append(Fault("head", f"head {head[:16]}… is not in this journal: it"
                                               " was cut or rewritten after that head"))
        report.head_checked = {"head": head, "event": found}
    if anchors:
        report.faults += [Fault("anchor", message) for message in check_anchors(db, anchors)]
    if as_json:
        print_json(report.as_dict())
        return EXIT_OK if report.ok else EXIT_FAULT
    out = console()
    if report.ok:
        rows = sum(report.tables.values())
        out.print(Text.assemble(("OK", "green"), f" {db}: {report.events:,} events, chain"
                                f" intact, {len(report.tables)} projections ({rows:,} rows)"
                                f" rebuilt equal in {report.seconds:.1f}s; head"
                                f" {(report.head or '')[:16]}"))
    else:
        out.print(Text.assemble(("FAULT", "bold red"), f" {db}: {len(report.faults)} fault(s)"
                                f" in {report.events:,} events"))
        for fault in report.faults:
            out.print(Text.assemble("  ", (fault.what, "red"), ": ", clean(fault.message)))
    for warning in report.warnings:
        out.print(Text.assemble(("  warning", "yellow"), ": ", clean(warning)))
    return EXIT_OK if report.ok else EXIT_FAULT


@click.command()
@click.option("--to", "to", metavar="FILE", type=click.Path(dir_okay=False),
              help="append the anchor line to FILE (kept elsewhere: another machine, a"
                   " ticket); without it the line is printed, for a paper record")
@json_option
@db_option
def anchor(db: Path, to: str | None, as_json: bool) -> int:
    """Write the journal's head down outside the journal.

    One line, `TIME count=N head=HASH journal=NAME`: someone who can rewrite the file can
    rewrite every hash in it, but not the anchors kept elsewhere. `warroom verify --anchors
    FILE` later confirms every anchored head is still in the chain.
    """
    from warroom.journal.anchors import anchor as write_anchor

    line = write_anchor(db, to)
    if as_json:
        at, count, head, _ = line.split(" ", 3)
        print_json({"anchor": line, "at": at, "count": int(count.split("=")[1]),
                    "head": head.split("=")[1], "to": to})
    else:
        console().print(line if to is None else f"anchored in {to}: {line}", markup=False)
    return EXIT_OK


COMMANDS = [init, verify, anchor, rekey]
