"""Commands on the exposure: where the file is or was (locations), probes that prove it gone,
takedown requests, and the exposure window with its evidence."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import click

from warroom.cli.options import db_option, json_option
from warroom.cli.output import EXIT_OK, console, print_json
from warroom.errors import WarroomError

KINDS = ["origin", "cdn", "mirror", "search-cache", "archive"]
VIAS = ["site", "cdn-purge", "search-engine", "archive", "host"]
STATES = ["acknowledged", "done", "refused"]


def duration(text: str) -> timedelta:
    """'30m', '2h', '90s', '1h30m', '0' -> a timedelta."""
    text = text.strip().lower()
    if text in ("0", "0s"):
        return timedelta(0)
    parts = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    if not text or not parts or not any(parts.groups()):
        raise click.BadParameter(f"{text!r} is no duration: write e.g. 30m, 2h, 90s or 0")
    d, h, m, s = (int(x or 0) for x in parts.groups())
    return timedelta(days=d, hours=h, minutes=m, seconds=s)


def _journal(db: Path):
    from warroom.journal import Journal

    return Journal(db, readonly=False)


@click.group()
def location() -> None:
    """Places the file is or was reachable: the origin, a CDN, mirrors, caches, archives.

    Each is journaled with its URL (secrets masked), its kind and its state (unknown, live,
    down, verified down), which `warroom probe` keeps up to date by content.
    """


@location.command("add")
@click.argument("url")
@click.option("--kind", type=click.Choice(KINDS), default="origin", show_default=True,
              help="what kind of place it is")
@click.option("--note", metavar="TEXT", help="a line on where it was found")
@json_option
@db_option
def location_add(db: Path, url: str, kind: str, note: str | None, as_json: bool) -> int:
    """Record a place where the file is or was: probes check it, takedowns pull it.

    Its state is `unknown` until a probe looks (`warroom probe`). Secrets in the URL
    (passwords, tokens, signatures) are masked before anything is kept.
    """
    from warroom.exposure.locations import add

    with _journal(db) as journal:
        event = add(journal, url, kind, note)
    if as_json:
        print_json({"url": event.data["url"], "kind": kind, "event": event.id})
    else:
        console().print(f"location added ({kind}): {event.data['url']}", markup=False)
    return EXIT_OK


@location.command("list")
@json_option
@db_option
def location_list(db: Path, as_json: bool) -> int:
    """Every location with its state, its last check and its takedown request.

    --json prints {"locations": [{url, kind, state, last_checked_at, last_status, match,
    share, takedown, …}], "count": N}.
    """
    from warroom.exposure.locations import list_locations
    from warroom.journal import Journal

    with Journal(db) as journal:
        rows = list_locations(journal.conn)
    if as_json:
        print_json({"locations": rows, "count": len(rows)})
        return EXIT_OK
    from rich.table import Table

    from warroom.render.safe import safe_text
    from warroom.render.text import local_time

    table = Table(box=None, header_style="bold")
    for name in ("kind", "state", "checked", "status", "match", "takedown", "url"):
        table.add_column(name, no_wrap=name != "url", overflow="fold")
    for x in rows:
        match = x.get("match") or ""
        if match == "a-numbers" and x.get("share") is not None:
            match = f"{x['share']:.0%} A-numbers"
        table.add_row(x["kind"], x["state"].replace("_", " "),
                      local_time(x["last_checked_at"]) if x.get("last_checked_at") else "",
                      str(x.get("last_status") or ""), match, x.get("takedown") or "",
                      safe_text(x["url"]))
    console().print(table if rows else "no location yet: `warroom location add URL`")
    return EXIT_OK


@location.command("archives")
@click.option("--api", default="https://archive.org/wayback/available", show_default=True,
              metavar="URL", help="the Wayback Machine's availability API")
@json_option
@db_option
def location_archives(db: Path, api: str, as_json: bool) -> int:
    """Ask the Wayback Machine for captures of each origin URL; add them as archive locations.

    The only command that contacts the web archive, and only when run.
    """
    from warroom.exposure.wayback import add_archives

    with _journal(db) as journal:
        captures = add_archives(journal, api=api)
    if as_json:
        print_json({"captures": [c.__dict__ for c in captures], "count": len(captures)})
    else:
        console().print(f"{len(captures)} archive capture(s) known", markup=False)
    return EXIT_OK


@click.command()
@click.option("--once", is_flag=True, help="one round over every location, then exit (default)")
@click.option("--interval", type=click.FloatRange(min=1), metavar="S",
              help="probe every S seconds until every location is verified down (Ctrl-C stops)")
@click.option("--confirm", type=click.IntRange(min=1), default=3, show_default=True,
              metavar="N", help="verified down after N consecutive negative checks …")
@click.option("--over", "over", default="30m", show_default=True, metavar="DURATION",
              help="… spread over at least DURATION (e.g. 30m, 2h, 0 for a quick check)")
@json_option
@db_option
def probe(db: Path, once: bool, interval: float | None, confirm: int, over: str,
          as_json: bool) -> int:
    """Check every location by its content: is the file still there?

    HEAD, then a ranged GET of no more bytes than needed. The bytes' sha256 against the
    evidence copies, or, for a changed copy, the share of the evidence's A-numbers found in
    it, decide: a 200 "not found" page is down, a redirect to a copy is live. Every check is
    journaled with its evidence; a location verified down that serves the file again is an
    alarm. Contacts only the locations in the journal.
    """
    from warroom.exposure import probe as prober

    window = duration(over)
    if once and interval:
        raise click.UsageError("--once and --interval: choose one")
    rounds = ([prober.probe_all(db, confirm=confirm, over=window)] if not interval else
              prober.watch(db, interval=interval, rule=prober.Rule(confirm, window)))
    docs = []
    for results in rounds:
        if as_json:
            docs.append([r.as_json() for r in results])
        else:
            _say_round(results)
    if as_json:
        print_json({"rounds": docs, "results": docs[-1] if docs else []})
    return EXIT_OK


def _say_round(results) -> None:
    from rich.text import Text

    from warroom.render.safe import clean

    out = console()
    if not results:
        out.print("no location to probe: `warroom location add URL`")
    for r in results:
        style = "bold red" if r.alarm or r.state == "live" else "green" if "down" in r.state \
            else ""
        moved = f"{r.was} → {r.state}" if r.changed else r.state
        out.print(Text.assemble((f"{moved.replace('_', ' '):28}", style), " ",
                                clean(r.check.note or ""), " ", clean(r.url)))
        if r.alarm:
            out.print(Text(f"  ALARM: the file is back at {clean(r.url)}", style="bold red"))


@click.command()
@click.argument("location_url", metavar="LOCATION")
@click.option("--via", type=click.Choice(VIAS), help="how the removal is asked for")
@click.option("--ref", metavar="R", help="the ticket or case number given")
@click.option("--state", type=click.Choice(STATES),
              help="move the open request on (refused needs --reason)")
@click.option("--reason", metavar="TEXT", help="why a request was refused")
@click.option("--note", metavar="TEXT", help="a line for the timeline")
@click.option("--draft", is_flag=True,
              help="print a ready-to-send request for this location (no personal data in it)")
@json_option
@db_option
def takedown(db: Path, location_url: str, via: str | None, ref: str | None,
             state: str | None, reason: str | None, note: str | None, draft: bool,
             as_json: bool) -> int:
    """Request the file be pulled from a location, follow the request, or draft it.

    `--via K` records a request (requested → acknowledged → done, or refused); `--state S`
    moves it on; `--draft` prints the request to send (a CDN invalidation, a search engine's
    outdated-content removal, an archive's exclusion request, a host's abuse notice, the
    origin's web team), naming the URL and the evidence hash and no person's data. A location
    that turns verified down closes its open request.
    """
    from warroom.exposure import takedown as service

    if draft:
        from warroom.journal import Journal

        with Journal(db) as journal:
            text = service.draft(journal, location_url, via)
        if as_json:
            print_json({"location": location_url, "via": via, "draft": text})
        else:
            click.echo(text)
        return EXIT_OK
    if not via and not state:
        raise click.UsageError("say --via KIND to request a takedown, --state S to move one"
                               " on, or --draft to write one")
    with _journal(db) as journal:
        if state:
            event = service.set_state(journal, location_url, state, reason, via=via, ref=ref)
        else:
            event = service.request(journal, location_url, via, ref=ref, note=note)
    if as_json:
        print_json({"location": event.data["url"], "event": event.id, **event.data})
    else:
        from warroom.render.text import summary

        console().print(summary(event), markup=False)
    return EXIT_OK


@click.command()
@json_option
@db_option
def exposure(db: Path, as_json: bool) -> int:
    """The exposure window with its evidence.

    Posted, first and last access, discovered, taken down, contained: each with its source
    and a confidence (evidence, stated, derived), and where the stated times and the evidence
    disagree. The header's clock uses the same rule.
    """
    from warroom.exposure.summary import exposure as window
    from warroom.journal import Journal

    if not db.exists():
        raise WarroomError(f"no journal at {db}")
    with Journal(db) as journal:
        doc = window(journal.conn)
    if as_json:
        print_json(doc)
        return EXIT_OK
    from rich.text import Text

    from warroom.render.safe import clean
    from warroom.render.text import local_time

    out = console()
    out.print(Text(f"{doc['clock']}" + (f" since {local_time(doc['since'])}" if doc["since"]
                                         else ""), style="bold"))
    for m in doc["moments"]:
        out.print(Text.assemble(f"  {local_time(m['at']) if m['at'] else '?':>16}  ",
                                (f"{m['what']:30}", "bold"), f" {m['confidence']:9} ",
                                clean(m["source"])))
    for url in doc["live"]:
        out.print(Text(f"  still live: {clean(url)}", style="bold red"))
    for gap in doc["gaps"]:
        out.print(Text(f"  gap: {gap}", style="yellow"))
    return EXIT_OK


LOG_FORMATS = ["auto", "cloudfront", "alb", "jsonl", "combined-xff", "combined", "common"]


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...",
                type=click.Path(exists=True, dir_okay=False))
@click.option("--path", "url_path", required=True, metavar="URLPATH",
              help="the leaked file's path on the site (or its whole URL)")
@click.option("--size", type=click.IntRange(min=1), metavar="BYTES",
              help="the file's size: a client that received it all is a complete download")
@click.option("--format", "fmt", type=click.Choice(LOG_FORMATS), default="auto",
              show_default=True, help="the log format (auto: detected per file)")
@click.option("--trusted-proxy", "proxies", multiple=True, metavar="CIDR",
              help="a proxy or load balancer range whose X-Forwarded-For is trusted (private"
                   " ranges are trusted already); repeatable")
@click.option("--import", "import_them", is_flag=True,
              help="journal the downloaders and the first and last access (fills the"
                   " Downloaders tab and the header count)")
@json_option
@db_option
def logs(db: Path, files: tuple[str, ...], url_path: str, size: int | None, fmt: str,
         proxies: tuple[str, ...], import_them: bool, as_json: bool) -> int:
    """Who downloaded the file, from access logs.

    Reads Apache/nginx common and combined logs (with X-Forwarded-For appended), AWS
    CloudFront and ALB logs and JSON Lines exports, plain or gzip, many files in any order.
    The real client is the first X-Forwarded-For address behind a proxy. A client is
    `complete` when it received the whole file; HEAD, 304, redirects and errors are not
    downloads; `bot` comes from a maintained crawler list. --json prints path, lines,
    bad_lines, first_access, last_access and downloaders [{client, complete, bot, bytes,
    requests, first_seen, last_seen, user_agents}].
    """
    from warroom.cli.output import progress
    from warroom.exposure.logs.analysis import analyze

    with progress() as update:
        report = analyze(files, url_path, size=size, trusted_proxies=proxies, format=fmt,
                         progress=update and (lambda done, total: update("reading logs",
                                                                          done, total)))
        imported = None
        if import_them:
            from warroom.exposure.logs.importer import import_downloaders

            with _journal(db) as journal:
                imported = import_downloaders(journal, report)
    doc = report.as_dict()
    if as_json:
        if imported is not None:
            doc["imported"] = {"downloaders": imported.downloaders, "events": imported.events}
        print_json(doc)
        return EXIT_OK
    _say_logs(doc, imported)
    return EXIT_OK


def _say_logs(doc: dict, imported) -> None:
    from rich.table import Table
    from rich.text import Text

    from warroom.render.safe import safe_text
    from warroom.render.text import local_time

    out = console()
    downloaders = doc["downloaders"]
    complete = sum(1 for d in downloaders if d["complete"])
    bots = sum(1 for d in downloaders if d["bot"])
    out.print(Text(f"{doc['lines']:,} lines ({doc['bad_lines']:,} bad) · {len(downloaders):,}"
                   f" downloaders: {complete:,} complete, {bots:,} bots", style="bold"))
    if doc["first_access"]:
        out.print(f"first access {local_time(doc['first_access'])} · last access"
                  f" {local_time(doc['last_access'])}", markup=False)
    table = Table(box=None, header_style="bold")
    for name in ("client", "complete", "bot", "bytes", "requests", "first", "last"):
        table.add_column(name, no_wrap=True)
    for d in downloaders[:50]:
        table.add_row(safe_text(d["client"]), "yes" if d["complete"] else "partial",
                      "bot" if d["bot"] else "", f"{d['bytes']:,}", f"{d['requests']:,}",
                      local_time(d["first_seen"]), local_time(d["last_seen"]))
    out.print(table)
    if len(downloaders) > 50:
        out.print(f"… and {len(downloaders) - 50:,} more (--json lists them all)", markup=False)
    if imported is not None:
        out.print(f"imported: {imported.downloaders:,} downloaders journaled", markup=False)


COMMANDS = [location, probe, takedown, logs, exposure]
