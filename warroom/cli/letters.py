"""Notice letters to exposed people: one a person in their language, or a printable batch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from warroom.cli.options import db_option, json_option
from warroom.cli.output import EXIT_OK, EXIT_USAGE, console, print_json, progress
from warroom.errors import WarroomError

FORMATS = ("md", "html", "pdf")


class Refused(click.ClickException):
    """A refused action (exit 2): a letter that would do harm."""

    exit_code = EXIT_USAGE


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD") from exc


@click.command()
@click.argument("ids", nargs=-1, type=int, metavar="[ID]...")
@click.option("--facility", metavar="F", help="the people held at facility F (any case)")
@click.option("--nationality", metavar="N",
              help="the people of nationality N, as the roster names it (China, Iran, ...)")
@click.option("--high-risk", is_flag=True, help="only the people whose nationality is high-risk")
@click.option("--all", "everyone", is_flag=True, help="everyone in the roster")
@click.option("--lang", default="auto", show_default=True, metavar="LANG",
              help="the letters' language (en, es, zh, fa, ru); auto: each person's own, from"
                   " their nationality")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True,
              help="Markdown, self-contained HTML, or PDF (fonts included)")
@click.option("-o", "--output", "folder", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="the folder to write into (created 0700; every file is 0600)")
@click.option("--batch", is_flag=True,
              help="one printable file (html or pdf) instead of one a person: each letter on"
                   " its own sheet after its envelope sheet, in facility order")
@click.option("--date", "dated", metavar="YYYY-MM-DD", callback=_date,
              help="the notice's date on the letters (default: today); no removal until at"
                   " least 30 days after it")
@click.option("--contact", metavar="FILE",
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="the incident's contact details, a TOML file shaped like"
                   " data/letters/contact.toml (default: that file, placeholders only)")
@click.option("--yes", is_flag=True, help="write a filter's letters without asking first")
@json_option
@db_option
def letters(db: Path, ids: tuple[int, ...], facility: str | None, nationality: str | None,
            high_risk: bool, everyone: bool, lang: str, fmt: str, folder: Path, batch: bool,
            dated: date | None, contact: Path | None, yes: bool, as_json: bool) -> int:
    """Write notice letters to exposed people, each in their own language.

    From the templates in data/letters/. Whom: roster ids (`warroom people` shows them),
    or filters (--facility, --nationality,
    --high-risk; all must hold), or --all. Over a filter the count is stated and confirmed
    (--yes skips). A letter says what happened, which kinds of data were in the file, what
    is being done, what the person can do and whom to contact. It names its addressee (full
    name and A-number) and repeats nothing else of the record; its envelope sheet shows only
    the name, the facility and a neutral sender. Chinese, Farsi and Russian letters are
    draft translations, and say so until a qualified translator has checked them.

    Writes DIR/<id>-<lang>.<format>, or with --batch DIR/letters-batch.<format>, and journals
    one letters_written event (ids, languages, format; no name); a pending notice becomes
    prepared. --json prints {folder, files, count, languages, format, batch, dated, drafts,
    placeholders, event}.
    """
    from warroom.checklists import letters as service
    from warroom.journal import Journal, queries

    filtered = bool(facility or nationality or high_risk)
    if sum(map(bool, (ids, filtered, everyone))) > 1:
        raise click.UsageError("give roster ids, filters or --all: one of them")
    if not (ids or filtered or everyone):
        raise click.UsageError("say whom to write to: roster ids, a filter (--facility,"
                               " --nationality, --high-risk) or --all")
    with Journal(db, readonly=False) as journal:
        people = queries.letter_people(journal.conn, ids, facility=facility,
                                       nationality=nationality, high_risk=high_risk)
        missing = sorted(set(ids) - {p["id"] for p in people})
        if missing:
            raise WarroomError(f"no person with roster id {', '.join(map(str, missing))}")
        if not people:
            raise WarroomError("no person matches these filters")
        if not ids and not yes:
            click.confirm(f"Write {len(people):,} letters?", abort=True, err=True)
        try:
            with progress() as update:
                done = service.write_letters(journal, people, folder, lang=lang, fmt=fmt,
                                             batch=batch, dated=dated, contact=contact,
                                             progress=update)
        except service.LetterRefused as exc:
            raise Refused(str(exc)) from exc
        encrypted = journal.encrypted
    if as_json:
        print_json({"folder": str(done.folder), "files": [str(f) for f in done.files],
                    "count": done.count, "languages": done.languages, "format": done.format,
                    "batch": done.batch, "dated": done.dated,
                    "drafts": done.drafts, "placeholders": list(done.placeholders),
                    "event": done.event})
        return EXIT_OK
    _report(done, encrypted)
    return EXIT_OK


def _report(done, encrypted: bool) -> None:
    from rich.text import Text

    from warroom.render.safe import safe_text

    out = console()
    languages = ", ".join(f"{lang} {n:,}" for lang, n in done.languages.items())
    what = "one printable file" if done.batch else f"{len(done.files):,} files"
    out.print(Text.assemble(f"Wrote {done.count:,} letters ({done.format}, {what}) in ",
                            safe_text(done.folder, "bold"), f": {languages}."))
    if done.drafts:
        out.print(Text(f"Draft translations ({', '.join(done.drafts)}): have a qualified"
                       " translator check data/letters/<lang>.md before they are sent.",
                       style="yellow"))
    if done.placeholders:
        out.print(Text("Not ready to send: the contact details still hold placeholders ("
                       + ", ".join(done.placeholders[:4])
                       + ("…" if len(done.placeholders) > 4 else "")
                       + "): give --contact FILE.", style="yellow"))
    if encrypted:
        out.print(Text("The journal is encrypted; these letters are not: keep the folder"
                       " private and remove it once they are printed.", style="yellow"))


COMMANDS = [letters]
