"""The console, on a journal or on the built-in demo incident."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click

from warroom.cli.options import Settings, db_option, global_options, json_option, pass_settings
from warroom.cli.output import EXIT_OK, console, print_json
from warroom.errors import WarroomError


@click.command()
@db_option
def tui(db: Path) -> int:
    """Open the console on the journal (what `warroom` alone does).

    Tabs 1 Timeline, 2 Artifact, 3 Notify, 4 Holds, 5 Downloaders, 6 Tips, 7 Tasks; the
    number keys switch them, `?` lists the keys, `q` quits. The console polls the journal,
    so what other responders and processes record appears within a second. It needs a
    terminal on stdin and stdout. A read-only journal opens for reading.
    """
    if not db.exists():
        raise WarroomError(f"no journal at {db}: create one with `warroom init --name NAME`,"
                           " or try `warroom demo`")
    need_terminal("run `warroom tui` in a terminal (`warroom verify` reads a journal without"
                  " one)")
    return run_console(db)


@click.command()
@click.option("--headless", is_flag=True,
              help="run the live part at once, then print the dashboard and the demo's whole"
                   " timeline, and exit (no terminal needed)")
@json_option(help="print one JSON document (the dashboard, every event newest first, and"
                  " the live part's rounds); implies --headless")
@global_options(db_help="a new journal file to build the demo in and keep (default: a"
                         " temporary folder; $WARROOM_DB is not used)")
@pass_settings
def demo(settings: Settings, headless: bool, as_json: bool) -> int:
    """Build a fictitious incident and open the console on it.

    Builds, through the same services a responder uses, an incident shaped like the real
    one: a spreadsheet of 6,252 made-up people posted on an agency site 4h 20m ago, a CDN
    copy, downloads in the site's access log, tips from an advocacy group, the takedown
    requests, and a mirror. The agency site, its CDN and the mirror are served by the demo's
    own web server on 127.0.0.1; nothing else is contacted.

    Then the live part: the probes check the origin and the mirror every 10 seconds; the file
    is pulled from the origin at 20 s and from the mirror at 40 s (a "file not found" page
    there), so within a minute both go live → down → verified down and the exposure clock
    reads CONTAINED. --headless runs it at once, on a clock set back so that it is over
    when the dashboard is printed.

    The journal is written to a temporary folder ($TMPDIR/warroom-demo-*), removed when the
    demo ends, however it ends (Ctrl-C, SIGTERM, a closed terminal; a folder left by a
    killed demo is removed by the next one), unless --db names a new file to keep it in.
    """
    headless = headless or as_json
    if not headless:
        need_terminal("use `warroom demo --headless` (or --json) to print the demo instead")
    from warroom.demo import scratch, staged

    with ExitStack() as stack:
        if settings.db:
            path = Path(settings.db)
        else:
            path = stack.enter_context(scratch()) / "demo.db"
        with console(stderr=True).status("building the demo incident…") as status:
            def step(msg: str) -> None:
                status.update(f"demo: {msg}…")

            live = stack.enter_context(staged(path, fast=headless, step=step))
            if headless:
                step("pulling the file and probing the origin and the mirror")
                live.run()
        if headless:
            return print_dashboard(path, as_json, live.as_json())
        live.begin()
        got = _demo_console(path)
        live.stop()
        if live.error:
            from warroom.render.safe import safe_text

            console(stderr=True).print(safe_text(f"demo: the live part stopped: {live.error}"))
        if got:          # SIGTERM or SIGHUP: the console has stopped; the folder goes next
            raise SystemExit(128 + got[0])
        return EXIT_OK


def _demo_console(path: Path) -> list[int]:
    """The console on the demo, stopped (not cut short) by SIGTERM or SIGHUP: the signals
    received."""
    from warroom.demo import stopping_console

    prepare_console(path)
    from warroom.tui.app import WarroomApp

    app = WarroomApp(path)
    with stopping_console(app.exit) as got:
        app.run()
    return got


def print_dashboard(path: Path, as_json: bool, live: dict | None = None) -> int:
    """The dashboard with every event: a demo's timeline is short. `live`: the live part's
    rounds, for --json (with each location's final state, by kind)."""
    from warroom.dashboard import dashboard
    from warroom.journal import Journal

    with Journal(path) as journal:
        board = dashboard(journal.conn, recent=None)
    if as_json:
        from warroom.render.text import summary

        doc = {"db": str(path), "incident": board.name, "clock": board.clock.state,
               "since": board.clock.since, "until": board.clock.until, "counts": board.counts,
               "locations": board.locations,
               "events": [{"id": e.id, "kind": e.kind, "occurred_at": e.occurred_at,
                           "recorded_at": e.recorded_at, "actor": e.actor,
                           "summary": summary(e)} for e in board.recent]}
        if live is not None:
            doc["live"] = {**live, "final": {x["kind"]: x["state"] for x in board.locations}}
        print_json(doc)
    else:
        from warroom.render.console import render

        console().print(render(board))
    return EXIT_OK


def need_terminal(instead: str) -> None:
    """The console draws on a terminal and reads keys from one: on a pipe or a file it would
    hang, so say so in one line instead."""
    missing = [name for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout))
               if not _is_terminal(stream)]
    if missing:
        raise WarroomError(f"the console needs a terminal, and {' and '.join(missing)}"
                           f" {'is' if len(missing) == 1 else 'are'} not one: {instead}")


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:   # closed
        return False


def run_console(path: Path) -> int:
    prepare_console(path)
    from warroom.tui.app import WarroomApp

    WarroomApp(path).run()
    return EXIT_OK


def prepare_console(path: Path) -> None:
    """Open the journal once (migrations, and a clear error before the screen takes over)
    and load the console's code."""
    from warroom.journal import Journal, keys

    preload = None
    if keys.is_encrypted(path):
        # stretching the key takes a moment and leaves the interpreter free: load the
        # console's code meanwhile, so an encrypted journal opens about as fast as a plain one
        import importlib
        import threading

        preload = threading.Thread(target=importlib.import_module, args=("warroom.tui.app",),
                                   daemon=True)
        preload.start()
    Journal(path).close()
    if preload is not None:
        preload.join()
    import warroom.tui.app  # noqa: F401


COMMANDS = [tui, demo]
