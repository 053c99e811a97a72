"""Untrusted files are read in a child process with limits, so that a parser we do not control
(calamine, pdfplumber, lxml, ijson: native code) cannot take the calling process down.

The child is forked (it inherits the presidio analyzer once a process has scanned, else builds
it in a thread while it reads), sets RLIMIT_AS (address space beyond what it starts with, and
POLARS_RESERVE more for the columnar engine), RLIMIT_CPU and RLIMIT_CORE, runs the whole scan
(read, classify, find people) and sends back, as JSON over a pipe, progress, the people in
chunks and the `ScanResult`. The parent enforces the wall-clock deadline and turns a signal, a
limit or a stop into one `ReadError` naming the file. The parent never unpickles what the
child sends.

Limits (constants of child.py, which runs the child; the environment overrides them):
  WARROOM_SCAN_TIMEOUT  seconds of wall clock for one scan (default: 15 s + 2 s a MiB, 60 s a
                        MiB of PDF), also the CPU limit. Work the child has counted and bounded
                        (lines of prose for presidio) gets more, up to an hour in all
  WARROOM_SCAN_MEMORY   MiB of address space a scan may add to what it starts with (1,536)
"""

from __future__ import annotations

import resource
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

# the child under limits (child.py); run, Limits and ScanFault are named from here too
from warroom.artifact.child import (
    ANALYZER_RESERVE,
    Limits,
    ScanFault,
    Send,
    reserve_for_polars,
    run,
)
from warroom.errors import ReadError

__all__ = ["CHUNK", "Limits", "ScanFault", "Scanned", "reserve_for_polars", "run", "scan",
           "soon", "warm"]

CHUNK = 2000                   # people per message

_scanned = False               # has this process scanned a file yet (see scan)

Progress = Callable[[int, "int | None"], None]


@dataclass
class Scanned:
    result: Any                # ScanResult
    people: list[dict[str, Any]] | None


def scan(path: str | Path, filename: str | None = None, *, sha256: str | None = None,
         high_risk: frozenset[str] | None = None, progress: Progress | None = None,
         people: bool = False, date_order: str | None = None) -> Scanned:
    """Scan one file in a limited child: its result and, with `people`, everyone found (all
    of them or an error: a file that breaks half-way gives no one). `date_order` ('dmy' or
    'mdy') reads the birth dates whose day and month could be either."""
    from warroom.artifact.countries import high_risk_list
    from warroom.artifact.dates import check_order
    from warroom.artifact.scan import ScanResult

    path = Path(path)
    name = filename or path.name
    check_order(date_order)              # here, not as a fault in the child
    try:
        limits = Limits.for_file(path, path.stat().st_size)
    except OSError as exc:
        raise ReadError(f"cannot read {path}: {exc.strerror}") from exc
    global _scanned
    if _scanned:
        warm()        # a process that scans again builds presidio once, for every child
    _scanned = True
    if not _warm():
        limits = replace(limits, setup=ANALYZER_RESERVE)
    high_risk = high_risk if high_risk is not None else high_risk_list()
    found: list[dict[str, Any]] | None = [] if people else None
    done: dict[str, Any] = {}

    def job(send: Send) -> None:
        _scan_in_child(send, path, filename, sha256, high_risk, people, date_order)

    def receive(kind: str, *body: Any) -> None:
        if kind == "progress" and progress:
            progress(body[0], body[1])
        elif kind == "people" and found is not None:
            found.extend(body[0])
        elif kind == "done":
            done.update(body[0])

    run(job, name, limits, receive)
    return Scanned(ScanResult.from_dict(done), found)


def _warm() -> bool:
    from warroom.artifact.analyzer import analyzer

    return bool(analyzer.cache_info().currsize)


def warm(parsers: bool = False) -> None:
    """What every scan needs and no file touches, loaded once in the parent so that every
    child inherits it: presidio's analyzer, the country tables and the facility list (an
    unreadable $WARROOM_FACILITIES file is said here, as one line); with `parsers`, the
    parsers' modules too (imported, never run here), for a process that scans many files."""
    from warroom.artifact.analyzer import analyzer
    from warroom.artifact.countries import countries
    from warroom.artifact.facilities import facilities

    analyzer()
    countries().build()
    facilities()
    if parsers:
        import ijson  # noqa: F401
        import lxml.etree  # noqa: F401
        import pdfplumber  # noqa: F401
        import python_calamine  # noqa: F401


def _scan_in_child(send: Send, path: Path, filename: str | None, sha256: str | None,
                   high_risk: frozenset[str], people: bool, date_order: str | None) -> None:
    from warroom.artifact import analyzer as presidio
    from warroom.artifact.countries import countries
    from warroom.artifact.formats import choose
    from warroom.artifact.scan import Scan, sha256_file

    # polars's thread pool does not survive a fork: a parent that used it leaves the child
    # the row path (no part of warroom that forks scans imports polars)
    columnar = "polars" not in sys.modules
    # presidio (a second of importing) and the file's hash, unless given, come in threads
    # while the file is read: hashlib and polars free the GIL
    analyzer = (presidio.analyzer if _warm()
                else soon(lambda: (countries().build(), presidio.analyzer())[1]))
    digest = soon(lambda: sha256_file(path)) if sha256 is None else (lambda: sha256)
    reader, sample = choose(path, filename)
    send("reader", reader.LABEL)
    scan = Scan(path, filename, document=reader.read(path, sample), sha256=digest,
                high_risk=high_risk, progress=lambda done, total: send("progress", done, total),
                more_time=lambda seconds: _more_time(send, seconds), analyzer=analyzer,
                columnar=columnar, date_order=date_order)
    if people:
        for batch in _batches(scan.people()):
            send("people", batch)
    else:
        scan.run()
    send("done", scan.result.to_dict())


T = TypeVar("T")


def soon(make: Callable[[], T]) -> Callable[[], T]:
    """`make()` run in a thread from now on: call the result to wait for its value (or its
    exception). Only in the scan's child, which forks no more: a fork while the thread holds
    a lock (an import's) would leave that child stuck."""
    made: dict[str, Any] = {}

    def run() -> None:
        try:
            made["value"] = make()
        except BaseException as exc:   # raised where the value is waited for
            made["error"] = exc

    thread = threading.Thread(target=run, name="warroom-soon", daemon=True)
    thread.start()

    def wait() -> T:
        thread.join()
        if "error" in made:
            raise made["error"]
        return made["value"]

    return wait


def _more_time(send: Send, seconds: float) -> None:
    """Ask for `seconds` more of wall clock, and take as much more CPU (the hard limit is
    MAX_TIMEOUT: a child cannot take more)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (min(soft + int(seconds) + 1, hard), hard))
    send("more time", seconds)


def _batches(items: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
