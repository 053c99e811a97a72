"""Commands on the leaked file: scan it (and acquire it into the journal)."""

from __future__ import annotations

from pathlib import Path

import click

from warroom.cli.options import db_option, json_option
from warroom.cli.output import EXIT_OK, console, print_json, progress
from warroom.errors import WarroomError


@click.command()
@click.argument("source", metavar="FILE|URL")
@click.option("--import", "import_people", is_flag=True,
              help="fill the journal's roster with the people found (needs a journal)")
@click.option("--high-risk", metavar="COUNTRIES",
              help="comma-separated nationalities counted as high-risk (default: the list in"
                   " data/high_risk.txt: China, Iran, Russia)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=600.0,
              show_default=True, metavar="S",
              help="give up on a download not finished after S seconds, whatever its pace")
@click.option("--stall", type=click.FloatRange(min=0, min_open=True), default=30.0,
              show_default=True, metavar="S",
              help="give up on a download when no byte arrives for S seconds")
@click.option("--date-order", type=click.Choice(["dmy", "mdy"], case_sensitive=False),
              metavar="ORDER",
              help="read birth dates whose day and month could be either (04/07/1990) day"
                   " first (dmy) or month first (mdy); a column whose values prove its order"
                   " keeps it  [default for the ambiguous: mdy, flagged]")
@json_option
@db_option
def scan(db: Path, source: str, import_people: bool, high_risk: str | None, timeout: float,
         stall: float, date_order: str | None, as_json: bool) -> int:
    """Find the personal data in a leaked file or URL; count the people.

    Reads CSV/TSV, XLSX/XLS/ODS, HTML tables, JSON/JSON Lines, PDF or text, decides what each
    column holds (names, A-numbers, birth dates, nationalities, facilities) and counts the
    distinct people. Runs offline: no model download.

    With a journal (--db, $WARROOM_DB or ./warroom.db, if it exists) the file is first
    acquired: a sealed evidence copy named by its sha256 is kept beside the journal
    (NAME.evidence/, mode 0600), and the acquisition and the scan are journaled, as counts
    only. --import also fills the roster. Without a journal nothing is written.

    Human output is redacted; --json prints file, sha256, format, records, columns,
    entities, nationalities, high_risk, a_numbers, facilities, dates (each birth-date
    column's day/month order, and whether it was ambiguous), and artifact, imported
    (people, added, batches, conflicts, corrected).

    A birth-date column's day/month order is decided from its values: 19/11/1990 proves
    day-first, 11/19/1990 month-first. A column whose every date reads both ways is
    ambiguous: it is read month-first, flagged, unless --date-order says otherwise. To
    settle it after an import, import the file again with --date-order: the birth dates the
    first import read the other way round are corrected in the roster (imported.corrected),
    not kept as other identities; an import without the option leaves them as settled.
    """
    from warroom.artifact import service

    has_journal = db.exists()
    if import_people and not has_journal:
        raise WarroomError(f"--import fills a journal's roster, and there is no journal at {db}:"
                           " create one with `warroom init --name NAME` or give --db")
    risky = None
    if high_risk:
        from warroom.artifact.countries import parse_high_risk

        risky = parse_high_risk(high_risk)
    with progress() as update:
        if has_journal:
            from warroom.journal import Journal

            with Journal(db, readonly=False) as journal:   # read-only: say so before scanning
                outcome = service.acquire_and_scan(journal, source, high_risk=risky,
                                                   import_people_too=import_people,
                                                   progress=update, timeout=timeout,
                                                   stall=stall, date_order=date_order)
        else:
            outcome = service.scan_without_journal(source, progress=update, high_risk=risky,
                                                   timeout=timeout, stall=stall,
                                                   date_order=date_order)
    if as_json:
        print_json(outcome.as_json())
    else:
        from warroom.render.scan import scan_report

        console().print(scan_report(outcome.as_json()))
    return EXIT_OK


COMMANDS = [scan]
