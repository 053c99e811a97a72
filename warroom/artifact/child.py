"""A job run in a forked child under limits: address space (RLIMIT_AS beyond what it starts
with, POLARS_RESERVE more for the columnar engine), CPU (RLIMIT_CPU), no core dump, and a
wall-clock deadline the parent enforces. The child sends JSON messages over a pipe (never
pickles); its stdout and stderr go to a log, whose end explains a crash. A limit, a signal or
the job's own error becomes one `ReadError` naming the file; a bug, a `ScanFault`.

sandbox.py runs scans this way; this module knows nothing of scanning but the limits' sizes.
"""

from __future__ import annotations

import faulthandler
import json
import os
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warroom.errors import ReadError, WarroomError

TIMEOUT = 15.0                 # seconds any file gets, plus:
SECONDS_PER_MIB = 2.0          # generous: a CSV scans at about 15 MiB a second, HTML at 5
PDF_SECONDS_PER_MIB = 60.0     # pdfplumber: about 0.1 s a page of table
MAX_TIMEOUT = 3600.0
MEMORY_MIB = 1536
POLARS_RESERVE = 1 << 30       # address space polars reserves and never touches (see below)
ANALYZER_RESERVE = 512 << 20   # ... and what building presidio in the child takes (about 240
                               # MiB, and its threads' stacks and malloc arenas)
MAX_MESSAGE = 256 << 20        # bytes of one message from the child


Send = Callable[..., None]
Job = Callable[[Send], None]   # runs in the child; sends ("done", ...) when it succeeds


class ScanFault(RuntimeError):
    """A bug met in the child (not a limit, not a bad file): its traceback is in the notes."""


@dataclass(frozen=True)
class Limits:
    seconds: float             # wall clock, enforced by the parent
    memory: int                # bytes of address space the child may add to what it has
    setup: int = 0             # ... and more for its own set-up, not for the file

    @property
    def cpu(self) -> int:      # seconds of CPU (RLIMIT_CPU), a backstop if the parent dies
        return int(self.seconds) + 2

    @classmethod
    def for_file(cls, path: Path, size: int) -> Limits:
        seconds = _env("WARROOM_SCAN_TIMEOUT")
        if seconds is None:
            with path.open("rb") as fh:
                pdf = fh.read(5) == b"%PDF-"   # magic bytes only: no parser in the parent
            rate = PDF_SECONDS_PER_MIB if pdf else SECONDS_PER_MIB
            seconds = min(TIMEOUT + rate * size / (1 << 20), MAX_TIMEOUT)
        return cls(seconds, int((_env("WARROOM_SCAN_MEMORY") or MEMORY_MIB) * (1 << 20)))


def _env(name: str) -> float | None:
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise WarroomError(f"{name}={text!r}: give a positive number")
    return value


# ---------------------------------------------------------------- the child and its parent


def run(job: Job, name: str, limits: Limits,
        receive: Callable[..., None] = lambda *message: None) -> None:
    """Run `job` in a forked child under `limits`, handing each message it sends to
    `receive`. Returns once the child sent ("done", ...); raises ReadError (a limit, a crash,
    the file's own error) or WarroomError, or ScanFault for a bug."""
    from multiprocessing import Pipe

    inbox, outbox = Pipe(duplex=False)
    with tempfile.TemporaryFile() as log:
        pid = os.fork()
        if pid == 0:                                   # the child: never returns
            inbox.close()
            _child(job, outbox, log.fileno(), limits)
        outbox.close()
        child = _Child(pid, time.monotonic(), limits)
        try:
            _parent(inbox, child, name, limits, log, receive)
        finally:
            inbox.close()
            child.stop()


def _child(job: Job, outbox, log_fd: int, limits: Limits) -> None:
    code = 1
    try:
        os.dup2(log_fd, 1)                             # native chatter goes to the log, never
        os.dup2(log_fd, 2)                             # onto the console's screen; fresh
        sys.stdout = open(1, "w", closefd=False)       # Python streams, whose locks another
        sys.stderr = open(2, "w", closefd=False)       # thread may have held at the fork
        if faulthandler.is_enabled():                  # (pytest's) onto the log too
            faulthandler.enable(sys.stderr)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGWINCH):
            signal.signal(sig, signal.SIG_DFL)
        _set_limits(limits)

        def send(*message: Any) -> None:
            outbox.send_bytes(json.dumps(message).encode())

        try:
            job(send)
            code = 0
        except MemoryError:
            outbox.send_bytes(b'["memory"]')
        except WarroomError as exc:
            send("error", type(exc).__name__, str(exc))
        except BaseException as exc:
            send("fault", f"{type(exc).__name__}: {exc}"[:500], traceback.format_exc()[-8000:])
    finally:
        os._exit(code)


def _set_limits(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu, max(limits.cpu, int(MAX_TIMEOUT))))
    start = _address_space()
    if start:
        ceiling = start + limits.memory + limits.setup
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling + POLARS_RESERVE))


def reserve_for_polars(need: int) -> bool:
    """Raise the child's address-space limit by POLARS_RESERVE for the columnar engine, if
    `need` bytes more fit under it: polars's thread pool and allocator map about 1 GiB that
    they do not use (the same for a 2-row file as for a 128 MiB one), which the limit counts
    all the same. False: the file is too large to hold whole (the row path streams it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == hard:
        return True                                    # no limit, or not the scan's child
    now = _address_space()
    # what presidio may still take is set apart (all of it, even when it was inherited)
    if now and hard - now - POLARS_RESERVE - ANALYZER_RESERVE < need:
        return False
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    return True


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0                                       # no /proc: no address-space limit


class _Child:
    def __init__(self, pid: int, started: float, limits: Limits) -> None:
        self.pid, self.started = pid, started
        self.seconds = limits.seconds                # wall clock granted, more if asked
        self.deadline = started + limits.seconds
        self.status: int | None = None
        self.cpu = 0.0

    def grant(self, seconds: float) -> None:
        self.seconds = min(self.seconds + max(seconds, 0.0), max(MAX_TIMEOUT, self.seconds))
        self.deadline = self.started + self.seconds

    def wait(self, block: bool = False) -> bool:
        """Wait for the child to end (until the deadline, or for good); True if it did."""
        while self.status is None:
            pid, status, usage = os.wait4(self.pid, 0 if block else os.WNOHANG)
            if pid:
                self.status, self.cpu = status, usage.ru_utime + usage.ru_stime
            elif time.monotonic() >= self.deadline:
                return False
            else:
                time.sleep(0.005)
        return True

    def stop(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            self.wait(block=True)


def _parent(inbox, child: _Child, name: str, limits: Limits, log, receive) -> None:
    stage = "file reader"
    while True:
        left = child.deadline - time.monotonic()
        if left <= 0:
            raise ReadError(_too_long(name, stage, child.seconds, "took longer than"))
        if not inbox.poll(min(left, 1.0)):
            continue
        try:
            message = json.loads(inbox.recv_bytes(MAX_MESSAGE))
        except (EOFError, OSError, ValueError):
            break                                      # the child is gone: see how it ended
        kind, *body = message
        if kind == "reader":
            stage = body[0]
        elif kind == "more time":
            child.grant(float(body[0]))
        elif kind == "memory":
            raise ReadError(_memory(name, stage, limits))
        elif kind == "error":
            raise (ReadError if body[0] == "ReadError" else WarroomError)(body[1])
        elif kind == "fault":
            fault = ScanFault(f"{name}: internal error while scanning ({body[0]})")
            fault.add_note(f"in the scan's child process:\n{body[1]}")
            raise fault
        receive(kind, *body)
        if kind == "done":
            return
    if not child.wait():
        raise ReadError(_too_long(name, stage, child.seconds, "took longer than"))
    raise ReadError(_ending(name, stage, limits, child, _tail(log)))


def _tail(log) -> str:
    """The end of what the child wrote on stdout and stderr (a Rust abort prints its reason,
    then a backtrace)."""
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - (256 << 10)))
    return log.read().decode("utf-8", "replace")


_ALLOCATION = re.compile(r"memory allocation of (\d+) bytes failed|MemoryError|std::bad_alloc")
_LIMIT_HINT = ": the file is damaged or hostile, or too large ({} sets the limit{})"


def _too_long(name: str, stage: str, seconds: float, how: str) -> str:
    return (f"{name}: the {stage} {how} {seconds:.0f} s and was stopped"
            + _LIMIT_HINT.format("WARROOM_SCAN_TIMEOUT", " in seconds"))


def _memory(name: str, stage: str, limits: Limits, asked: int | None = None) -> str:
    allowed = f"the {limits.memory >> 20:,} MiB a scan may use"
    what = (f"asked for {_size(asked)} of memory, more than {allowed}," if asked
            else f"needed more than {allowed}")
    return (f"{name}: the {stage} {what} and was stopped"
            + _LIMIT_HINT.format("WARROOM_SCAN_MEMORY", " in MiB"))


def _size(n: int) -> str:
    return f"{n / (1 << 30):,.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):,.1f} MiB"


def _ending(name: str, stage: str, limits: Limits, child: _Child, log: str) -> str:
    """One line for a child that ended without its result."""
    allocation = _ALLOCATION.search(log)
    if allocation:
        return _memory(name, stage, limits, int(allocation.group(1) or 0) or None)
    code = os.waitstatus_to_exitcode(child.status or 0)
    if code == -signal.SIGXCPU or (code == -signal.SIGKILL and child.cpu >= child.seconds):
        return _too_long(name, stage, child.seconds, "used more CPU time than")
    if code < 0:
        sig = signal.Signals(-code).name if -code in signal.valid_signals() else "unknown"
        return f"{name} crashed the {stage} (signal {-code}, {sig}): the file is damaged or hostile"
    return f"{name}: the {stage} stopped without a result (exit {code}): the file is damaged"
