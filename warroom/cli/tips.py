"""Commands on tips (`warroom tip ...`) and on the intake server (`warroom intake ...`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from warroom.cli.options import db_option, json_option
from warroom.cli.output import EXIT_OK, EXIT_USAGE, console, print_json, progress
from warroom.errors import WarroomError
from warroom.model import TipState
from warroom.model.kinds import TipChannel

LOCATIONS_HELP = ("add the tip's URLs that are not yet locations, to be probed (default: ask"
                  " on a terminal, else only list them)")


def _journal(db: Path):
    from warroom.journal import Journal

    return Journal(db, readonly=False)


def _when(text: str | None):
    if text is None:
        return None
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint="--at")\
            from None
    return moment if moment.tzinfo else moment.astimezone()


def _offer(journal, receipts, add: bool | None, as_json: bool) -> list[str]:
    """The tips' URLs not yet locations: added when asked (or confirmed on a terminal)."""
    from warroom.tips import add_locations

    added: list[str] = []
    for receipt in receipts:
        if not receipt.offers:
            continue
        wanted = add
        if wanted is None and not as_json and sys.stdin.isatty():
            wanted = click.confirm(f"Tip {receipt.tip_id} names {len(receipt.offers)} URL(s)"
                                   " not yet probed. Add them as locations?", default=True,
                                   err=True)
        if wanted:
            added += [e.subject for e in add_locations(journal, receipt.tip_id, receipt.offers)]
    return added


def _receipt_json(receipt) -> dict:
    from warroom.model import redact_a_number

    return {"receipt": receipt.receipt, "id": receipt.tip_id, "duplicate": receipt.duplicate,
            "event": receipt.event.id if receipt.event else None,
            "in_roster": [redact_a_number(n) for n in receipt.in_roster],
            "offers": receipt.offers}


def _say_receipt(out, receipt, added: list[str]) -> None:
    from rich.text import Text

    from warroom.render.safe import safe_text

    said = "already recorded" if receipt.duplicate else "recorded"
    out.print(Text.assemble(f"Tip {receipt.tip_id} {said}: receipt ", (receipt.receipt, "bold")))
    if receipt.in_roster:
        out.print(f"  {len(receipt.in_roster)} of its A-numbers are in the roster.")
    for url in receipt.offers:
        mark = "added as a location" if url in added else "not yet a location"
        out.print(Text.assemble("  ", safe_text(url), f" ({mark})"))


@click.group()
def tip() -> None:
    """Tips from advocacy groups and the public.

    A tip has a source, a text, and maybe a contact, URLs and A-numbers; it goes new →
    verified → actioned, or is dismissed with a reason. The intake server records tips too
    (`warroom intake`).
    """


@tip.command("add")
@click.option("--source", required=True, metavar="ORG",
              help="the organisation or person the tip came from")
@click.option("--text", required=True, metavar="TEXT", help="what the tip says")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="an http(s) address the tip names (repeatable); journaled masked")
@click.option("--a-number", "a_numbers", multiple=True, metavar="A",
              help="an A-number the tip names (repeatable), looked up in the roster")
@click.option("--contact", metavar="TEXT", help="how to reach the source about it")
@click.option("--channel", type=click.Choice([c.value for c in TipChannel]),
              default=TipChannel.OTHER.value, show_default=True,
              help="how the tip reached us")
@click.option("--confidential", is_flag=True, help="keep who sent the tip confidential")
@click.option("--discovery", is_flag=True,
              help="this tip told us of the exposure: it starts the clock (T0)")
@click.option("--at", metavar="TIME", help="when it was received (ISO 8601; default: now)")
@click.option("--add-locations/--no-add-locations", default=None, help=LOCATIONS_HELP)
@json_option
@db_option
def tip_add(db: Path, source: str, text: str, urls: tuple[str, ...],
            a_numbers: tuple[str, ...], contact: str | None, channel: str, confidential: bool,
            discovery: bool, at: str | None, add_locations: bool | None, as_json: bool) -> int:
    """Record a tip.

    The tip's A-numbers are looked up in the roster and the answer is recorded with it;
    its URLs (and any in the text) are journaled with their secrets masked, and those not
    yet a location are offered to be probed. --json prints {receipt, id, duplicate, event,
    in_roster (redacted), offers, locations_added}.
    """
    from warroom.tips import TipDraft, submit

    draft = TipDraft(source=source, text=text, contact=contact, channel=channel, urls=urls,
                     a_numbers=a_numbers, confidential=confidential, discovery=discovery,
                     received_at=_when(at))
    with _journal(db) as journal:
        receipt = submit(journal, draft)
        added = _offer(journal, [receipt], add_locations, as_json)
    if as_json:
        print_json({**_receipt_json(receipt), "locations_added": added})
    else:
        _say_receipt(console(), receipt, added)
    return EXIT_OK


@tip.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False),
                metavar="FILE...")
@click.option("--source", metavar="ORG",
              help="who the tips came from: for a mail, instead of the sender's name; for JSON,"
                   " for the records that name none")
@click.option("--add-locations/--no-add-locations", default=None, help=LOCATIONS_HELP)
@json_option
@db_option
def tip_import(db: Path, files: tuple[str, ...], source: str | None,
               add_locations: bool | None, as_json: bool) -> int:
    """Record the tips in mail messages (.eml) and JSON files.

    A mail gives its sender, date, subject and plain text (attachments are never opened), and
    the URLs and A-numbers written in it. A JSON file holds one tip, a list, or {"tips":
    [...]}, each with `text` and maybe `source`, `contact`, `urls`, `a_numbers`,
    `confidential`, `received_at`, `channel`, `id` (unknown fields are refused). Every file is
    checked before anything is recorded, and importing the same mail or record again adds
    nothing. --json prints {tips: [...], new, duplicates, locations_added}.
    """
    from warroom.tips.intake import import_files

    with _journal(db) as journal:
        with progress() as update:
            receipts = import_files(journal, list(files), source,
                                    update and (lambda d, t: update("importing", d, t)))
        added = _offer(journal, receipts, add_locations, as_json)
    new = sum(not r.duplicate for r in receipts)
    if as_json:
        print_json({"tips": [_receipt_json(r) for r in receipts], "new": new,
                    "duplicates": len(receipts) - new, "locations_added": added})
        return EXIT_OK
    out = console()
    for receipt in receipts:
        _say_receipt(out, receipt, added)
    out.print(f"{new} new tip(s), {len(receipts) - new} already recorded.")
    return EXIT_OK


def _tip_json(row: dict, offers: list[str], reveal: bool) -> dict:
    from warroom.model import redact_a_number

    hidden = row["confidential"] and not reveal
    return {
        "id": row["id"], "receipt": row["uid"], "received_at": row["received_at"],
        "source": "(confidential)" if hidden else row["source"],
        "contact": None if hidden else row["contact"], "org": None if hidden else row["org"],
        "channel": row["channel"], "confidential": row["confidential"], "text": row["text"],
        "urls": row["urls"], "offers": offers,
        "a_numbers": [redact_a_number(n) for n in row["a_numbers"]],
        "in_roster": [redact_a_number(n) for n in row["in_roster"]],
        "state": row["state"], "handled_by": row["handled_by"], "reason": row["reason"],
        "state_at": row["state_at"],
    }


@tip.command("list")
@click.option("--state", type=click.Choice([s.value for s in TipState]),
              help="only the tips in this state")
@click.option("--show-confidential", is_flag=True,
              help="show who sent the confidential tips (hidden by default)")
@json_option
@db_option
def tip_list(db: Path, state: str | None, show_confidential: bool, as_json: bool) -> int:
    """List the tips, newest first.

    A-numbers are redacted (the last three digits); the source and contact of a
    confidential tip are hidden unless --show-confidential. --json prints {tips: [{id,
    receipt, received_at, source, contact, org, channel, confidential, text, urls, offers,
    a_numbers, in_roster, state, handled_by, reason, state_at}], count}.
    """
    from warroom.journal import Journal, queries

    with Journal(db) as journal:
        rows = queries.tips(journal.conn, state)
        tips = [_tip_json(r, queries.unknown_locations(journal.conn, r["urls"]),
                          show_confidential) for r in rows]
    if as_json:
        print_json({"tips": tips, "count": len(tips)})
        return EXIT_OK
    from rich.table import Table

    from warroom.render.safe import safe_text
    from warroom.render.text import local_time, shorten_middle

    table = Table(box=None, header_style="bold")
    for column in ("#", "received", "source", "state", "tip", "A-numbers", "URLs"):
        table.add_column(column)
    for t in tips:
        numbers = f"{len(t['a_numbers'])} ({len(t['in_roster'])} in roster)" \
            if t["a_numbers"] else ""
        urls = f"{len(t['urls'])} ({len(t['offers'])} new)" if t["urls"] else ""
        table.add_row(str(t["id"]), local_time(t["received_at"]),
                      safe_text(shorten_middle(t["source"], 24)), t["state"],
                      safe_text(shorten_middle(" ".join(t["text"].split()), 60)), numbers, urls)
    out = console()
    out.print(table if tips else "No tips yet.")
    return EXIT_OK


@tip.command("triage")
@click.argument("ref", metavar="ID")
@click.option("--state", required=True, type=click.Choice([s.value for s in TipState]),
              help="the tip's new state: verified, actioned, or dismissed (with --reason)")
@click.option("--reason", metavar="TEXT", help="why (needed to dismiss a tip)")
@json_option
@db_option
def tip_triage(db: Path, ref: str, state: str, reason: str | None, as_json: bool) -> int:
    """Move a tip on: new → verified → actioned, or dismissed with a reason.

    ID is the tip's number (`warroom tip list`) or its receipt. A dismissed tip can be
    verified after all; an actioned one is done. The change is journaled with who made it.
    --json prints {id, receipt, state, previous, handled_by, reason, event}.
    """
    from warroom.tips.triage import triage

    with _journal(db) as journal:
        done = triage(journal, ref, state, reason)
    row = done.tip
    if as_json:
        print_json({"id": row["id"], "receipt": row["uid"], "state": row["state"],
                    "previous": done.previous, "handled_by": row["handled_by"],
                    "reason": row["reason"], "event": done.event_id})
    else:
        console().print(f"Tip {row['id']}: {done.previous} → {row['state']}.", markup=False)
    return EXIT_OK


@click.group()
def intake() -> None:
    """The HTTP intake server for advocacy groups, and its tokens.

    Groups send tips and look one client up (`POST /tips`, `POST /lookup`, described at
    /openapi.json), or use the server's plain page; each organisation signs with its token.
    """


@intake.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="the address to listen on: loopback unless --public")
@click.option("--port", type=click.IntRange(0, 65535), default=8750, show_default=True,
              help="the port to listen on")
@click.option("--public", is_flag=True,
              help="allow an address other than loopback (put a TLS proxy in front)")
@click.option("--tip-rate", metavar="RATE", default="30/minute;500/day", show_default=True,
              help="tips one token may send")
@click.option("--lookup-rate", metavar="RATE", default="10/minute;100/day",
              show_default=True, help="lookups one token may make")
@db_option
def intake_serve(db: Path, host: str, port: int, public: bool, tip_rate: str,
                 lookup_rate: str) -> int:
    """Serve tips and one-client lookups over HTTP until interrupted.

    JSON API: POST /tips, POST /lookup, GET /health, described at /openapi.json; the page
    at / has a tip form and the lookup, for people (no script, nothing fetched elsewhere).
    Each request needs an organisation's token (`warroom intake token add ORG`); a body over
    64 KB is refused; the rates hold per token across every server on the journal. A
    non-loopback --host is refused without --public (exit 2).
    """
    from warroom.intake.server import NotLoopback, check_host, serve

    try:
        check_host(host, public)
    except NotLoopback as exc:
        click.echo(f"warroom: error: {exc}", err=True)
        return EXIT_USAGE
    if not db.exists():
        raise WarroomError(f"no journal at {db}: create one with `warroom init --name NAME`")
    serve(db, host, port, public=public, tip_rate=tip_rate, lookup_rate=lookup_rate)
    return EXIT_OK


@intake.group("token")
def token() -> None:
    """Intake tokens, one or more an organisation.

    A token is shown once, when it is made; the journal keeps only its sha256.
    """


@token.command("add")
@click.argument("org", metavar="ORG")
@json_option
@db_option
def token_add(db: Path, org: str, as_json: bool) -> int:
    """Make a token for an organisation and print it, once.

    Give it to the organisation over a channel you trust; it cannot be shown again (only
    its hash is kept). --json prints {org, token, token_id}.
    """
    from warroom.tips.tokens import add_token

    with _journal(db) as journal:
        made = add_token(journal, org)
    if as_json:
        print_json({"org": made.org, "token": made.token, "token_id": made.token_id})
    else:
        from warroom.render.safe import safe_text

        console(stderr=True).print(safe_text(f"New token {made.token_id} for {made.org}; it is"
                                             " shown only this once:"))
        click.echo(made.token)
    return EXIT_OK


@token.command("revoke")
@click.argument("org", metavar="ORG")
@json_option
@db_option
def token_revoke(db: Path, org: str, as_json: bool) -> int:
    """Revoke every live token of an organisation.

    Every server on the journal refuses them from the next request on. --json prints {org,
    revoked: [token ids]}.
    """
    from warroom.tips.tokens import revoke_tokens

    with _journal(db) as journal:
        revoked = revoke_tokens(journal, org)
    if as_json:
        print_json({"org": org, "revoked": revoked})
    else:
        from warroom.render.safe import safe_text

        console().print(safe_text(f"Revoked {len(revoked)} token(s) of {org}:"
                                  f" {', '.join(revoked)}"))
    return EXIT_OK


COMMANDS = [tip, intake]
