"""docs/cli.md is generated from --help, and every command and option explains itself
(the pattern of sqlite-utils' tests/test_docs.py)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from warroom.cli.docs import reference, walk

DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
CONTEXTS = list(walk())


def test_the_walk_finds_every_command():
    paths = {ctx.command_path for ctx in CONTEXTS}
    assert {"warroom", "warroom init", "warroom verify", "warroom scan", "warroom demo",
            "warroom tui"} <= paths


@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda ctx: ctx.command_path)
def test_every_command_and_option_has_help(ctx):
    command = ctx.command
    assert (command.help or "").strip(), f"`{ctx.command_path}` has no help text"
    assert len(command.help.strip().splitlines()) > 1 or ctx.parent is None, (
        f"`{ctx.command_path}` says what it does in one line only: say what it writes too")
    for param in command.get_params(ctx):
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), (
                f"`{ctx.command_path} {param.opts[0]}` has no help text")


def test_docs_cli_md_is_up_to_date():
    assert DOCS.read_text() == reference(), (
        "docs/cli.md is stale: run `python -m warroom.cli.docs > docs/cli.md`")
