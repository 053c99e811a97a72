"""The command line. Each subcommand calls one service function; heavy imports stay inside
the subcommand that needs them, so `warroom --help` is instant. Errors are one clear line on
stderr and a non-zero exit (`--debug` shows the traceback)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warroom import __version__
from warroom.errors import WarroomError

EXIT_FAULT = 1        # the command ran and found a fault (verify), or a clear error
EXIT_USAGE = 2
EXIT_INTERNAL = 70

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def register(fn: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = fn
        return fn

    return register


def _console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 140   # piped or captured: room for URLs and tables
    return console


def _print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


def _db(args: argparse.Namespace) -> Path:
    from warroom.journal import default_path

    return default_path(args.db)


# ---------------------------------------------------------------- init


@command("init")
def cmd_init(args: argparse.Namespace) -> int:
    from warroom.incident import open_incident
    from warroom.journal import Journal

    path = _db(args)
    with Journal(path, create=True) as journal:
        event = open_incident(journal, args.name, args.description)
    if args.json:
        _print_json({"db": str(path), "name": args.name, "event": event.id})
    else:
        _console().print(f"Created journal [bold]{path}[/] for incident “{args.name}”.")
    return 0


# ---------------------------------------------------------------- verify


@command("verify")
def cmd_verify(args: argparse.Namespace) -> int:
    from warroom.journal.verify import verify

    path = _db(args)
    if not path.exists():
        raise WarroomError(f"no journal at {path}")
    err = _console(stderr=True)
    if err.is_terminal:   # progress goes to stderr, out of the way of --json
        from rich.progress import Progress

        with Progress(transient=True, console=err) as bar:
            task = bar.add_task("verifying", total=None)
            report = verify(path, lambda done, total: bar.update(task, completed=done,
                                                                   total=total))
    else:
        report = verify(path)
    if args.json:
        _print_json(report.as_dict())
    else:
        out = _console()
        if report.ok:
            rows = sum(report.tables.values())
            out.print(f"[green]OK[/] {path}: {report.events:,} events, chain intact,"
                      f" {len(report.tables)} projections ({rows:,} rows) rebuilt equal"
                      f" in {report.seconds:.1f}s")
        else:
            out.print(f"[bold red]FAULT[/] {path}: {len(report.faults)} fault(s) in"
                      f" {report.events:,} events")
            for fault in report.faults:
                out.print(f"  [red]{fault.what}[/]: {fault.message}")
    return 0 if report.ok else EXIT_FAULT


# ---------------------------------------------------------------- scan


@command("scan")
def cmd_scan(args: argparse.Namespace) -> int:
    from warroom.artifact import service

    path = _db(args)
    has_journal = path.exists()
    if args.import_people and not has_journal:
        raise WarroomError(f"--import fills a journal's roster, and there is no journal at {path}:"
                           " create one with `warroom init --name NAME` or give --db")
    high_risk = None
    if args.high_risk:
        from warroom.artifact.countries import parse_high_risk

        high_risk = parse_high_risk(args.high_risk)
    err = _console(stderr=True)
    with _progress(err) as progress:   # on stderr: never in the way of --json
        if has_journal:
            from warroom.journal import Journal

            with Journal(path) as journal:
                outcome = service.acquire_and_scan(journal, args.source, high_risk=high_risk,
                                                   import_people_too=args.import_people,
                                                   progress=progress)
        else:
            outcome = service.scan_without_journal(args.source, progress=progress,
                                                   high_risk=high_risk)
    if args.json:
        _print_json(outcome.as_json())
    else:
        from warroom.render.scan import scan_report

        _console().print(scan_report(outcome.as_json()))
    return 0


class _progress:
    """A rich progress bar on stderr while a long service runs (quiet when not a terminal)."""

    def __init__(self, console) -> None:
        self.console = console
        self.quiet = not console.is_terminal
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        if self.quiet:
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True, console=self.console)
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int | None) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()


# ---------------------------------------------------------------- demo and console


@command("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from warroom.demo import build_demo

    scratch = None
    if args.db:
        path = Path(args.db)
    else:
        scratch = tempfile.mkdtemp(prefix="warroom-demo-")
        path = Path(scratch) / "demo.db"
    err = _console(stderr=True)
    try:
        with err.status("building the demo incident…") as status:
            build_demo(path, step=lambda msg: status.update(f"demo: {msg}…"))
        if args.headless:
            return _headless(path, args.json)
        return _run_tui(path)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _headless(path: Path, as_json: bool) -> int:
    from warroom.dashboard import dashboard
    from warroom.journal import Journal
    from warroom.render.console import render

    with Journal(path) as journal:
        board = dashboard(journal.conn)
    if as_json:
        _print_json({"db": str(path), "incident": board.name, "clock": board.clock.state,
                     "since": board.clock.since, "counts": board.counts,
                     "locations": board.locations})
    else:
        _console().print(render(board))
    return 0


@command("tui")
def cmd_tui(args: argparse.Namespace) -> int:
    path = _db(args)
    if not path.exists():
        raise WarroomError(f"no journal at {path}: create one with `warroom init --name NAME`,"
                           " or try `warroom demo`")
    return _run_tui(path)


def _run_tui(path: Path) -> int:
    from warroom.journal import Journal

    Journal(path).close()  # migrations and a clear error before the screen takes over
    from warroom.tui.app import WarroomApp

    WarroomApp(path).run()
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="warroom",
        description="Warroom: a console for responding to a personal-data exposure. Every"
                    " command works on one SQLite journal (--db, else $WARROOM_DB, else"
                    " ./warroom.db). With no command, the console opens.",
        epilog="Start with `warroom demo` to see a fictitious incident.",
    )
    parser.add_argument("--db", metavar="PATH", help="the journal file")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"warroom {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="create a journal for a new incident")
    p.add_argument("--name", required=True, help="the incident's name, as responders say it")
    p.add_argument("--description", help="a line on what happened")
    p.add_argument("--json", action="store_true", help="print one JSON document")

    sub.add_parser("tui", help="open the console (the default)")

    p = sub.add_parser("demo", help="build a fictitious demo incident and open it",
                       description="Build a fictitious incident (6,252 made-up people) in a"
                                   " temporary folder, or at --db, and open the console on it.")
    p.add_argument("--headless", action="store_true", help="print the dashboard and exit")
    p.add_argument("--json", action="store_true", help="with --headless: one JSON document")

    p = sub.add_parser("verify", help="check the hash chain and rebuild every projection",
                       description="Walk the hash chain, rebuild every projection from the"
                                   " events and compare. Exit 0 when intact, 1 on any fault.")
    p.add_argument("--json", action="store_true", help="print one JSON document")

    p = sub.add_parser(
        "scan", help="find the personal data in a file or URL and count the people in it",
        description="Read a leaked file (CSV/TSV, XLSX/XLS/ODS, HTML, JSON/JSON Lines, PDF or"
                    " text), decide what each column holds, and count the people in it. With a"
                    " journal the file is first acquired: a sealed evidence copy, named by its"
                    " sha256, is kept beside the journal and the acquisition is journaled."
                    " Without one, nothing is kept.")
    p.add_argument("source", metavar="FILE|URL")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--import", dest="import_people", action="store_true",
                   help="fill the journal's roster with the people found")
    p.add_argument("--high-risk", metavar="COUNTRIES",
                   help="comma-separated nationalities counted as high-risk (default: the"
                        " list in data/high_risk.txt: China, Iran, Russia)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    name = args.command or "tui"
    try:
        return COMMANDS[name](args)
    except WarroomError as exc:
        if args.debug:
            raise
        print(f"warroom: error: {exc}", file=sys.stderr)
        return EXIT_FAULT
    except KeyboardInterrupt:
        print("warroom: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAULT
    except Exception as exc:  # the last line of defence: never a bare traceback
        if args.debug:
            raise
        print(f"warroom: internal error: {type(exc).__name__}: {exc}"
              " (run again with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL
