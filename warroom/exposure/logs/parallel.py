"""Reading a big plain log on several cores. One core cannot search a log in Python as fast
as grep: reading it, lower-casing it and counting its lines alone take more than twice
grep's time. So a plain file of THRESHOLD bytes or more is cut into one range per core, each
starting where a line starts, and forked processes read the ranges at once, each with the
reader's own search (reader.lines_of); they send back their few candidate lines, numbered
within their range, and their bytes read as they go (progress), through a pipe. This process
numbers the lines on in file order, so the result is the one reading the whole file gives.

The processes read the file this process opened (a file renamed or deleted meanwhile is read
all the same, as one read would be). They end with it: on an error, Ctrl-C or an early stop
they are killed and waited for, and one whose reader is gone fails at its next write (a
closed pipe) and exits. gzip is one stream: it is read as before, on one core.
"""

from __future__ import annotations

import errno
import gc
import marshal
import os
import select
import signal
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

from warroom.errors import ReadError
from warroom.exposure.logs import reader
from warroom.exposure.logs.paths import Needle

THRESHOLD = 32 << 20        # below this a file is read at once: forking costs more than it saves
WORKERS = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
              else os.cpu_count() or 1, 4)
SEEK = 1 << 16              # bytes read at a time to find where a range starts
FRAME = struct.Struct("<I")

Moved = Callable[[int], None]


def candidates(path: Path, needle: Needle | None, scan: reader.Scan,
               moved: Moved | None = None) -> Iterator[tuple[int, str]]:
    """reader.candidates, on WORKERS processes when the file is plain, big and searched for a
    needle (an exhaustive read sends every line: the pipe would be the bottleneck)."""
    if needle is None or WORKERS < 2 or not hasattr(os, "fork"):
        yield from reader.candidates(path, needle, scan, moved)
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        if size < max(THRESHOLD, 1) or os.pread(fd, 2, 0) == reader.GZIP_MAGIC:
            yield from reader.candidates(path, needle, scan, moved)
        else:
            yield from _parallel(path, fd, size, needle, scan, moved)
    finally:
        os.close(fd)


def _parallel(path: Path, fd: int, size: int, needle: Needle, scan: reader.Scan,
              moved: Moved | None) -> Iterator[tuple[int, str]]:
    """The lines of the ranges in file order, while the processes read them."""
    pids: list[int] = []
    pipes: list[int] = []
    try:
        for index in range(WORKERS):
            read_end, write_end = os.pipe()
            pipes.append(read_end)
            try:
                pid = os.fork()
            except OSError:
                os.close(write_end)
                raise
            if pid == 0:                                          # the child
                _child(fd, size, index, needle, pipes, write_end)
            pids.append(pid)
            os.close(write_end)
        yield from _gather(path, pipes, scan, moved)
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)                      # done, or not to finish
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        for pipe in pipes:
            os.close(pipe)


def _gather(path: Path, pipes: list[int], scan: reader.Scan, moved: Moved | None
            ) -> Iterator[tuple[int, str]]:
    """Read every pipe as its process writes (none waits on a full pipe); the lines of the
    first range not yet done are given at once, later ones kept until it is done."""
    buffers = {pipe: b"" for pipe in pipes}
    kept: list[list[tuple[int, str]]] = [[] for _ in pipes]
    counted: list[int | None] = [None] * len(pipes)
    current, before = 0, 0                        # the first range not done; lines before it
    poller = select.poll()                        # not select(): a busy process's fds are big
    for pipe in pipes:
        poller.register(pipe, select.POLLIN)
    while current < len(pipes):
        for pipe, _ in poller.poll():
            data = os.read(pipe, 1 << 20)
            if not data:
                poller.unregister(pipe)
                if buffers.pop(pipe):
                    raise ReadError(f"cannot read {path}: a reading process stopped short")
                if counted[pipes.index(pipe)] is None:
                    raise ReadError(f"cannot read {path}: a reading process ended early")
                continue
            index = pipes.index(pipe)
            for message in _frames(buffers, pipe, data):
                kind = message[0]
                if kind == "c":                   # bytes read, lines found
                    if moved and message[1]:
                        moved(message[1])
                    kept[index].extend(message[2])
                elif kind == "d":
                    counted[index] = message[1]
                elif kind == "e":
                    raise OSError(message[1], message[2], str(path))
                else:
                    raise ReadError(f"cannot read {path}: {message[1]}")
        while current < len(pipes) and (kept[current] or counted[current] is not None):
            for number, text in kept[current]:
                yield before + number, text
            kept[current].clear()
            lines = counted[current]
            if lines is None:
                break
            before += lines
            current += 1
    scan.lines = before


def _frames(buffers: dict[int, bytes], pipe: int, data: bytes) -> Iterator[tuple]:
    """The whole messages in what the pipe gave so far; the rest waits for more."""
    buffer = buffers[pipe] + data
    at = 0
    while len(buffer) - at >= FRAME.size:
        (length,) = FRAME.unpack_from(buffer, at)
        if len(buffer) - at - FRAME.size < length:
            break
        yield marshal.loads(buffer[at + FRAME.size:at + FRAME.size + length])
        at += FRAME.size + length
    buffers[pipe] = buffer[at:]


def _child(fd: int, size: int, index: int, needle: Needle, pipes: list[int],
           write_end: int) -> None:
    """Read range `index` and report; never return (os._exit: nothing of the parent's, its
    buffers, handlers or finalizers, runs twice)."""
    status = 1
    try:
        gc.disable()        # no finalizer of the parent's objects (a journal's connection)
        for pipe in pipes:                       # only the parent reads: its death is EPIPE
            os.close(pipe)
        with open(write_end, "wb") as out:
            _report(fd, size, index, needle, out)
        status = 0
    finally:
        os._exit(status)


def _report(fd: int, size: int, index: int, needle: Needle, out) -> None:
    def send(*message: object) -> None:
        data = marshal.dumps(message)
        out.write(FRAME.pack(len(data)) + data)
        out.flush()

    try:
        start, end = _line_start(fd, size, index), _line_start(fd, size, index + 1)
        found: list[tuple[int, str]] = []
        scan = reader.Scan()

        def chunks() -> Iterator[bytes]:
            for chunk in _chunks(fd, start, end):
                send("c", len(chunk), found)     # the lines of the chunk before
                found.clear()
                yield chunk

        found.extend(reader.lines_of(chunks(), needle, scan))
        send("c", 0, found)
        send("d", scan.lines)
    except BrokenPipeError:
        raise                                    # the parent is gone: nobody to tell
    except OSError as exc:
        send("e", exc.errno or errno.EIO, exc.strerror or str(exc))
    except Exception as exc:
        send("x", f"{type(exc).__name__}: {' '.join(str(exc).split())}")


def _line_start(fd: int, size: int, index: int) -> int:
    """Where range `index` starts: after the first newline from its share's first byte on
    (the byte before it, so that a share starting a line starts there); the end of the file
    when there is none. Range `index` ends where range `index + 1` starts."""
    if index == 0:
        return 0
    if index >= WORKERS:
        return size
    at = max(index * size // WORKERS, 1) - 1
    while at < size:
        piece = _pread(fd, SEEK, at)
        if not piece:
            break
        newline = piece.find(b"\n")
        if newline >= 0:
            return at + newline + 1
        at += len(piece)
    return size


def _chunks(fd: int, start: int, end: int) -> Iterator[bytes]:
    """The bytes of [start, end) cut where the whole file's blocks are (reader.lines_of)."""
    at = start
    while at < end:
        chunk = _pread(fd, min(end, (at // reader.BLOCK + 1) * reader.BLOCK) - at, at)
        if not chunk:                            # the file shrank: its end came sooner
            return
        yield chunk
        at += len(chunk)


def _pread(fd: int, length: int, at: int) -> bytes:
    return os.pread(fd, length, at)
