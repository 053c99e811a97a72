"""What commands write and return: exit codes, one JSON document on stdout, rich output for
people, and progress on stderr (out of the way of --json)."""

from __future__ import annotations

import os
import sys
from typing import Any

EXIT_OK = 0
EXIT_FAULT = 1        # a clear error, or the command ran and found a fault (verify)
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def console(stderr: bool = False):
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = 140   # piped or captured: room for URLs and tables
    return out


def print_json(doc: Any) -> None:
    """One JSON document; control and bidi characters from outside escaped, so it cannot
    drive the terminal it is read on."""
    from warroom.render.safe import json_dumps

    sys.stdout.write(json_dumps(doc, indent=2, default=str) + "\n")


class progress:
    """A rich progress bar on stderr while a long service runs (quiet when not a terminal).
    Entering gives the service's callback `(stage, done, total)`, or None."""

    def __init__(self) -> None:
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        # rich is not loaded (20 ms of a short command's start-up) where its console
        # would not be a terminal either: not a tty, not forced by TTY_COMPATIBLE/FORCE_COLOR
        isatty = getattr(sys.stderr, "isatty", None)
        forced = os.environ.get("TTY_COMPATIBLE") == "1" or bool(os.environ.get("FORCE_COLOR"))
        if not forced and not (isatty and isatty()):
            return None
        out = console(stderr=True)
        if not out.is_terminal:
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True, console=out)
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int | None) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()
