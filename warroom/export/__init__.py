"""Exports for the post-incident review: one module a format, each with `NAME`, `SUFFIX`,
`HELP` and `write(doc, out)`, all rendering the one `Document` that `document.build` reads
from the journal (one snapshot: the rows, the counts and the head hash agree).

    md          the review document, Markdown
    html        the same, one self-contained file with a timeline chart
    pdf         the same, for the record
    csv         one row per event
    timesketch  JSON Lines that Timesketch imports as it is

Redacted unless `include_pii`; either way the first line says which (see document.py)."""

from __future__ import annotations

import importlib
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from warroom.errors import WarroomError

NAMES = ("md", "html", "csv", "timesketch", "pdf")
_MODULES = {"md": "md", "html": "html", "csv": "csvfmt", "timesketch": "timesketch",
            "pdf": "pdf"}


def format_module(name: str) -> ModuleType:
    """The module of a format, by its name (imported on first use: fpdf2 and jinja2 load
    only for the format that needs them)."""
    if name not in _MODULES:
        raise WarroomError(f"no export format {name!r}: one of {', '.join(NAMES)}")
    module = importlib.import_module(f"warroom.export.{_MODULES[name]}")
    assert module.NAME == name
    return module


@dataclass(frozen=True)
class Written:
    """What an export wrote: for the command's report and its --json."""

    format: str
    file: str | None
    bytes: int
    events: int
    head: str | None
    include_pii: bool


def render(conn: sqlite3.Connection, fmt: str, out: BinaryIO, *, include_pii: bool = False,
           at: datetime | None = None) -> Written:
    """Write the export in `fmt` to a binary stream."""
    from warroom.export.document import build

    module = format_module(fmt)
    doc = build(conn, include_pii=include_pii, at=at)
    counter = _Counting(out)
    module.write(doc, counter)
    return Written(fmt, None, counter.count, doc.events, doc.head, include_pii)


def export(db: str | os.PathLike[str], fmt: str, to: str | os.PathLike[str] | BinaryIO, *,
           include_pii: bool = False, why: str | None = None,
           at: datetime | None = None) -> Written:
    """Export the journal at `db` to a file (written whole or not at all, mode 0600: even a
    redacted review names downloaders and actors) or a binary stream.

    With `include_pii` the export reveals everyone at once, so like a reveal of one person it
    is journaled (who, when, and `why` when given) before a byte is written: an export the
    journal cannot record is not made, and the export itself holds its own record."""
    from warroom.journal import Journal

    module = format_module(fmt)
    with Journal(db) as journal:
        if include_pii:
            _journal_reveal(journal, module.NAME, to, (why or "").strip() or None)
        if not isinstance(to, (str, os.PathLike)):
            return render(journal.conn, fmt, to, include_pii=include_pii, at=at)
        path = Path(to)
        written = _atomic(path, lambda fh: render(journal.conn, module.NAME, fh,
                                                  include_pii=include_pii, at=at))
    return Written(fmt, str(path), written.bytes, written.events, written.head, include_pii)


def _journal_reveal(journal, fmt: str, to: str | os.PathLike[str] | BinaryIO,
                    why: str | None) -> None:
    from warroom.journal import queries
    from warroom.model.payloads import PiiExported

    file = str(Path(to)) if isinstance(to, (str, os.PathLike)) else None
    journal.record(PiiExported(format=fmt, file=file, head=queries.head_hash(journal.conn),
                               events=queries.event_count(journal.conn), why=why))


def _atomic(path: Path, fill: Callable[[BinaryIO], Written]) -> Written:
    if path.is_dir():
        raise WarroomError(f"{path} is a folder: give a file name to write the export to")
    if not path.parent.is_dir():
        raise WarroomError(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise WarroomError(f"cannot write {path}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:   # mkstemp makes it 0600
            written = fill(fh)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return written


class _Counting:
    """A binary stream that counts what goes through it."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.count = out, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.out.write(data) or len(data)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self.out.flush()

    def __getattr__(self, name: str):
        return getattr(self.out, name)
