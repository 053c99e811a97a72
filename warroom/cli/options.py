"""The options every command shares: `--db` and `--debug`, accepted before the command name
and after it, and `--json`. Their values go to one `Settings` object that the top group hands
to every context, so the error policy and the commands read the same values."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

JSON_HELP = "print exactly one JSON document on stdout (progress and errors go to stderr)"


@dataclass
class Settings:
    """What the global options said (a --db after the command beats one before it), and
    the command being run, for the usage hint of an error click raises without a context."""

    db: str | None = None
    debug: bool = False
    command: str = "warroom"

    @property
    def journal(self) -> Path:
        """--db, else $WARROOM_DB, else ./warroom.db."""
        from warroom.journal.place import default_path

        return default_path(self.db)


pass_settings = click.make_pass_decorator(Settings, ensure=True)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value is not False:   # given here, not just defaulted
        setattr(ctx.ensure_object(Settings), param.name, value)
    return value


DB_HELP = ("the journal file (default: $WARROOM_DB, else ./warroom.db); also accepted before"
           " the command")


def _key_file(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        from warroom.journal import keys

        keys.use(keys.read_key_file(value))


def global_options(fn: Callable | None = None, *, db_help: str = DB_HELP) -> Callable:
    """--db, --key-file and --debug, for the top group and every command. `@global_options`
    or `@global_options(db_help=...)` where --db means something else."""

    def add(fn: Callable) -> Callable:
        fn = click.option("--debug", is_flag=True, expose_value=False, callback=_remember,
                          help="on an error, show the traceback instead of one line")(fn)
        fn = click.option("--key-file", metavar="FILE", expose_value=False, callback=_key_file,
                          help="the key of an encrypted journal: a passphrase, or 64 hex digits"
                               " (default: $WARROOM_KEY, else a prompt)")(fn)
        return click.option("--db", metavar="PATH", expose_value=False, callback=_remember,
                            help=db_help)(fn)

    return add(fn) if fn else add


def db_option(fn: Callable) -> Callable:
    """The global options, and the journal's path handed to the command as `db`."""

    @functools.wraps(fn)
    def with_db(*args: Any, **kwargs: Any) -> Any:
        settings = click.get_current_context().ensure_object(Settings)
        return fn(*args, db=settings.journal, **kwargs)

    return global_options(with_db)


def json_option(fn: Callable | None = None, *, help: str = JSON_HELP) -> Callable:
    """--json, handed to the command as `as_json`. `@json_option` or
    `@json_option(help=...)`."""
    option = click.option("--json", "as_json", is_flag=True, help=help)
    return option(fn) if fn else option
