"""The command line, on click.

One module a command group; each lists its commands in `COMMANDS`, and `MODULES` below names
the modules, so a new group is one module and one line here. Every command calls one service
function, and heavy imports (presidio, spaCy, Textual, office readers) stay inside the command
functions, so `warroom --help` loads click and little else.

The error policy is part of the contract. An error is one line on stderr, `warroom: error:
...`; the exit status is 1 for a clear error or a fault found, 2 for a usage error (the usage
line follows the error) or a refused action (`warroom: refused: ...`: a consular channel, a
move the procedure refuses), 70 for an internal error (`--debug` shows the traceback), 130 on
Ctrl-C. A closed stdout (`warroom ... | head`) ends the command quietly.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click
from click_default_group import DefaultGroup

from warroom import __version__
from warroom.cli.options import Settings, global_options
from warroom.cli.output import (
    EXIT_FAULT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)
from warroom.errors import KeyMissing, RefusedAction, WarroomError

# warroom/cli/<name>.py, each with COMMANDS
MODULES = ("journal", "artifact", "exposure", "people", "checklists", "tips", "letters",
           "export", "console")

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class WarroomGroup(DefaultGroup):
    """The top group: no command at all opens the console; an unknown command or option is
    an error (not an argument handed to the console); the error policy wraps every command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ignore_unknown_options = False

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _options, rest, _order = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            rest = args   # the parse below says what is wrong, with its context
        if not rest:   # `warroom` or `warroom --db J`: no command, so the console
            args = [*args, self.default_cmd_name]
        return super().parse_args(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.ensure_object(Settings).command = f"{ctx.command_path} {name}"
        return name, command, rest

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        settings = extra.setdefault("obj", Settings())
        run = lambda: super(WarroomGroup, self).main(   # noqa: E731
            args, prog_name or "warroom", complete_var, standalone_mode=False, **extra)
        try:
            try:
                result = run()
            except KeyMissing as missing:   # an encrypted journal and no key: ask, once
                if not _ask_key(str(missing)):
                    raise
                extra["obj"] = settings = Settings()
                result = run()
            code = result if isinstance(result, int) else EXIT_OK
        except Exception as exc:
            if settings.debug and not isinstance(exc, click.ClickException):
                raise
            code = _report(exc, settings)
        if standalone_mode:
            sys.exit(code)
        return code


def _ask_key(why: str) -> bool:
    """Prompt for the journal's key on the terminal (never echoed); False when there is no
    terminal to ask on."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    import getpass

    from warroom.journal import keys

    path = why.split(" is encrypted", 1)[0]
    secret = getpass.getpass(f"key for {path}: ")
    if not secret:
        return False
    keys.use(secret)
    return True


def _report(exc: Exception, settings: Settings) -> int:
    """One line on stderr for the exception; the exit status."""
    if isinstance(exc, click.UsageError):
        _say(f"error: {_lowered(exc.format_message())}")
        if exc.ctx is not None:
            sys.stderr.write(f"{exc.ctx.get_usage()}   (`{exc.ctx.command_path} --help`"
                             " explains)\n")
        else:   # a few of click's parser errors carry no context
            sys.stderr.write(f"Usage: `{settings.command} --help` explains\n")
        return EXIT_USAGE
    if isinstance(exc, click.Abort):
        if isinstance(exc.__cause__, KeyboardInterrupt):
            _say("interrupted")
            return EXIT_INTERRUPTED
        _say("aborted")
        return EXIT_FAULT
    if isinstance(exc, click.ClickException):
        _say(f"error: {_lowered(exc.format_message())}")
        return exc.exit_code
    if isinstance(exc, RefusedAction):   # the procedure refuses it: exit 2, saying why
        _say(f"refused: {_one_line(str(exc))}")
        return EXIT_USAGE
    if isinstance(exc, WarroomError):
        _say(f"error: {_one_line(str(exc))}")
        return EXIT_FAULT
    if isinstance(exc, BrokenPipeError):   # the reader went away: nothing more to say
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass   # not a real file (a test's capture)
        return EXIT_FAULT
    _say(f"internal error: {type(exc).__name__}: {_one_line(str(exc))}"
         " (run again with --debug for the traceback)")
    return EXIT_INTERNAL


def _say(text: str) -> None:
    sys.stderr.write(f"warroom: {text}\n")
    sys.stderr.flush()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _lowered(text: str) -> str:
    """Click's message on one line, its capital first letter lowered to follow 'error:'."""
    text = _one_line(text)
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


@click.group("warroom", cls=WarroomGroup, default="tui", context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="warroom",
                      message="%(prog)s %(version)s")
@global_options
def cli() -> None:
    """Warroom: a console for responding to a personal-data exposure.

    Every command works on one SQLite journal: --db PATH (before or after the command), else
    $WARROOM_DB, else ./warroom.db. With no command, the console opens on it.

    Commands that produce data take --json and then print exactly one JSON document on
    stdout; progress goes to stderr. An error is one line on stderr; the exit status is 1
    for a clear error or a fault found, 2 for a usage error or a refused action (a consular
    channel, a move the procedure refuses), 70 for an internal error (--debug shows the
    traceback), 130 when interrupted.

    Start with `warroom demo` to see a fictitious incident.
    """


for _name in MODULES:
    for _command in importlib.import_module(f"warroom.cli.{_name}").COMMANDS:
        cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> int:
    """The `warroom` command: returns the exit status. Only with --debug does an unexpected
    exception escape, with its traceback."""
    return cli.main(argv, prog_name="warroom", standalone_mode=False)
