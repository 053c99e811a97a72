"""The command reference, docs/cli.md, generated from the `--help` of every command and
subcommand (the group is walked recursively, so nested groups appear with no change here):

    python -m warroom.cli.docs > docs/cli.md

`tests/test_cli_docs.py` fails when the file is stale, or when a command or an option has no
help text. The width is fixed so the text does not depend on the terminal."""

from __future__ import annotations

from collections.abc import Iterator

import click

WIDTH = 88

HEAD = """# Command reference

Generated from `--help` by `python -m warroom.cli.docs > docs/cli.md`; do not edit by hand
(a test fails when this file differs from the commands).
"""


def contexts(command: click.Command, ctx: click.Context) -> Iterator[click.Context]:
    """The context of `command` and of every command below it, depth first, in the order
    `--help` lists them."""
    yield ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from contexts(sub, click.Context(sub, info_name=name, parent=ctx,
                                                       **sub.context_settings))


def walk() -> Iterator[click.Context]:
    from warroom.cli import cli

    settings = {**cli.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    root = click.Context(cli, info_name="warroom", **settings)
    yield from contexts(cli, root)


def reference() -> str:
    parts = [HEAD]
    for ctx in walk():
        parts.append(f"## `{ctx.command_path}`\n\n```\n{ctx.command.get_help(ctx)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    import sys

    sys.stdout.write(reference())
