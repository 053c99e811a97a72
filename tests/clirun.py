"""Helpers for command-line tests: `invoke` runs `warroom` in-process with click's CliRunner;
`installed` runs the installed `warroom` command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from warroom.cli import cli

WARROOM = Path(sys.executable).with_name("warroom")


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """`warroom ARGS` in this process, with the whole error policy (exceptions that escape it
    fail the test)."""
    return CliRunner(env=env).invoke(cli, [str(a) for a in args], catch_exceptions=False)


def installed(*args: str, env: dict[str, str] | None = None,
              timeout: float = 180) -> subprocess.CompletedProcess:
    """The installed `warroom` command (`python -m warroom` where it is not installed)."""
    command = [str(WARROOM)] if WARROOM.exists() else [sys.executable, "-m", "warroom"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def one_json(stdout: str) -> dict:
    """stdout holds exactly one JSON document (json.loads refuses anything after it)."""
    return json.loads(stdout)


def one_line(stderr: str) -> str:
    lines = stderr.strip("\n").split("\n")
    assert len(lines) == 1, stderr
    return lines[0]
