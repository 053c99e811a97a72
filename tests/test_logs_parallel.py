"""A big plain log read on several processes (parallel.py) gives exactly what one read of the
whole file gives: the same candidate lines with the same numbers, the same line count, the
same report. Blocks of 256 bytes and a threshold of 0 make small generated files take the
parallel path with many range boundaries, and each case is read with 2 to 9 ranges so that
the boundaries fall on hits, inside lines, inside overlong lines and past the last line."""

from __future__ import annotations

import errno
import os
import random
from pathlib import Path

import pytest
from clirun import invoke, one_line

from warroom.errors import ReadError
from warroom.exposure.logs import analyze, parallel, reader
from warroom.exposure.logs.paths import Needle, target_path

PATH = "/files/detention-stats-2022-11-28.xlsx"
NEEDLE = Needle.of(target_path(PATH))
OTHER = ["/", "/about", "/files/detention-stats-2022-11-21.xlsx", "/detention/statistics",
         "/FILES/Detention-Stats-2022-11-28.XLSX", "/files/detention%2Dstats-2022-11-28.xlsx"]
BLOCK = 256


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    """Blocks (and the longest line kept) of 256 bytes: lines cross blocks and ranges."""
    monkeypatch.setattr(reader, "BLOCK", BLOCK)
    monkeypatch.setattr(reader, "MAX_LINE", BLOCK)
    monkeypatch.setattr(parallel, "SEEK", 64)


@pytest.fixture
def forks(monkeypatch):
    """The pids of the reading processes forked, the parallel path forced."""
    pids: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(parallel, "THRESHOLD", 0)
    monkeypatch.setattr(parallel.os, "fork", fork)
    return pids


def line(rnd: random.Random, i: int, path: str | None = None) -> str:
    path = path or (PATH if rnd.random() < 0.2 else rnd.choice(OTHER))
    return (f"198.51.100.{rnd.randint(1, 254)} - - [28/Nov/2022:10:{i // 60 % 60:02d}:"
            f"{i % 60:02d} -0500] \"GET {path} HTTP/1.1\" 200 {rnd.randint(1, 90_000)}"
            f" \"-\" \"{'curl/7.86.0' if i % 3 else 'Mozilla/5.0 (X11; Linux x86_64)'}\"")


def log(tmp_path: Path, lines: list[str], end: str = "\n", name: str = "access.log") -> Path:
    file = tmp_path / name
    file.write_bytes((end.join(lines) + end).encode())
    return file


def single(file: Path, needle: Needle | None = NEEDLE) -> tuple[list, int]:
    scan = reader.Scan()
    found = list(reader.candidates(file, needle, scan))
    return found, scan.lines


def both(monkeypatch, file: Path, workers: int) -> tuple[list, int]:
    """The parallel read with this many ranges; asserted equal to the single read."""
    monkeypatch.setattr(parallel, "WORKERS", workers)
    scan = reader.Scan()
    found = list(parallel.candidates(file, NEEDLE, scan))
    assert (found, scan.lines) == single(file), workers
    return found, scan.lines


def test_hits_and_lines_across_every_kind_of_boundary(tmp_path, monkeypatch, forks):
    rnd = random.Random(5)
    file = log(tmp_path, [line(rnd, i) for i in range(300)])
    for workers in range(2, 10):
        found, lines = both(monkeypatch, file, workers)
        assert lines == 300 and len(found) > 40
    assert len(forks) == sum(range(2, 10))


def test_a_hit_starting_exactly_where_a_range_starts_and_one_across_it(tmp_path, monkeypatch,
                                                                       forks):
    rnd = random.Random(6)
    before = [line(rnd, i, "/about") for i in range(20)]
    hit = line(rnd, 20, PATH)
    start = len("\n".join(before)) + 1                 # where the hit line starts
    after = [line(rnd, i, "/about") for i in range(21, 30)]
    rest = "\n".join([hit, *after]) + "\n"
    rest += "x" * (start - len(rest) - 1) + "\n"        # the file twice `start` bytes long
    file = tmp_path / "access.log"
    file.write_bytes(("\n".join(before) + "\n" + rest).encode())
    assert file.stat().st_size == 2 * start
    found, _ = both(monkeypatch, file, 2)               # range 1 starts on the hit
    assert [n for n, _ in found] == [21]
    file.write_bytes(("\n".join(before[:-1]) + "\n" + rest + "y" * 40 + "\n").encode())
    found, _ = both(monkeypatch, file, 2)               # the middle falls inside the hit
    assert [n for n, _ in found] == [20]


def test_overlong_lines_at_a_boundary_are_cut_as_one_read_cuts_them(tmp_path, monkeypatch,
                                                                    forks):
    rnd = random.Random(7)
    early = f"GET {PATH} " + "z" * 1500                 # its needle falls off the kept end
    late = "z" * 1500 + f" GET {PATH} HTTP/1.1"         # its needle is in the kept end
    lines = [line(rnd, i, "/about") for i in range(8)] + [early, late] + [
        line(rnd, i, "/about") for i in range(8)]
    file = log(tmp_path, lines)
    for workers in range(2, 10):
        found, lines_counted = both(monkeypatch, file, workers)
        assert [n for n, _ in found] == [10] and lines_counted == 18
        assert len(found[0][1]) <= 2 * BLOCK            # a line is cut to its end


def test_crlf_lines_and_a_last_line_without_newline(tmp_path, monkeypatch, forks):
    rnd = random.Random(8)
    lines = [line(rnd, i) for i in range(120)] + [line(rnd, 120, PATH)]
    crlf = log(tmp_path, lines, "\r\n", "crlf.log")
    bare = tmp_path / "bare.log"
    bare.write_bytes("\n".join(lines).encode())         # the last line a hit, no newline
    for workers in range(2, 10):
        found, _ = both(monkeypatch, crlf, workers)
        assert not any(text.endswith("\r") for _, text in found)
        found, lines_counted = both(monkeypatch, bare, workers)
        assert found[-1][0] == lines_counted == 121


def test_more_ranges_than_lines_and_an_empty_file(tmp_path, monkeypatch, forks):
    rnd = random.Random(9)
    for count in (1, 2, 3):
        file = log(tmp_path, [line(rnd, i, PATH) for i in range(count)])
        for workers in range(2, 10):
            found, lines = both(monkeypatch, file, workers)
            assert [n for n, _ in found] == list(range(1, count + 1)) and lines == count
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    assert both(monkeypatch, empty, 4) == ([], 0)


@pytest.mark.parametrize("exhaustive", [False, True])
def test_the_report_is_the_same_and_progress_moves(tmp_path, monkeypatch, exhaustive):
    rnd = random.Random(10)
    file = log(tmp_path, [line(rnd, i) for i in range(2000)] + ["not a log line " + PATH])
    alone = analyze([file], PATH, size=90_000, exhaustive=exhaustive)
    monkeypatch.setattr(parallel, "THRESHOLD", 0)
    monkeypatch.setattr(parallel, "WORKERS", 3)
    seen: list[tuple[int, int]] = []
    spread = analyze([file], PATH, size=90_000, exhaustive=exhaustive,
                     progress=lambda done, total: seen.append((done, total)))
    assert spread == alone and alone.requests > 300 and alone.lines == 2001
    assert alone.bad_lines == 1 and alone.bad_samples == [f"{file}:2001"]
    size = file.stat().st_size
    assert len(seen) > 10 and seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_read_error_in_a_process_is_the_usual_one_line_error(tmp_path, monkeypatch, forks):
    rnd = random.Random(11)
    file = log(tmp_path, [line(rnd, i) for i in range(400)])
    middle = file.stat().st_size // 2
    real = parallel._pread

    def failing(fd: int, length: int, at: int) -> bytes:
        if at > middle + 2 * BLOCK:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(fd, length, at)

    monkeypatch.setattr(parallel, "_pread", failing)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    with pytest.raises(ReadError, match=f"^cannot read {file}: Input/output error$"):
        analyze([file], PATH)
    r = invoke("--db", tmp_path / "x.db", "logs", file, "--path", PATH, "--json")
    assert r.exit_code == 1 and r.stdout == ""
    assert one_line(r.stderr) == f"warroom: error: cannot read {file}: Input/output error"


def test_a_process_that_dies_is_an_error_and_none_is_left_behind(tmp_path, monkeypatch, forks):
    rnd = random.Random(12)
    file = log(tmp_path, [line(rnd, i) for i in range(400)])
    real = parallel._pread

    def dying(fd: int, length: int, at: int) -> bytes:
        if at > file.stat().st_size // 2:
            os._exit(3)
        return real(fd, length, at)

    monkeypatch.setattr(parallel, "WORKERS", 4)
    scan = reader.Scan()
    reading = parallel.candidates(file, NEEDLE, scan)
    next(reading)                                       # stopped early: all are reaped
    reading.close()
    monkeypatch.setattr(parallel, "_pread", dying)
    with pytest.raises(ReadError, match="a reading process ended early"):
        analyze([file], PATH)
    assert len(forks) == 8
    for pid in forks:
        with pytest.raises(ChildProcessError):          # waited for: no zombie, no orphan
            os.waitpid(pid, os.WNOHANG)


def test_gzip_and_small_files_stay_on_one_process(tmp_path, monkeypatch):
    import gzip

    rnd = random.Random(13)
    lines = [line(rnd, i) for i in range(300)]
    packed = tmp_path / "access.log.gz"
    packed.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    plain = log(tmp_path, lines)
    monkeypatch.setattr(parallel.os, "fork", lambda: pytest.fail("forked"))
    monkeypatch.setattr(parallel, "THRESHOLD", 0)
    scan = reader.Scan()
    assert list(parallel.candidates(packed, NEEDLE, scan)) == single(plain)[0]
    monkeypatch.setattr(parallel, "THRESHOLD", plain.stat().st_size + 1)
    assert list(parallel.candidates(plain, NEEDLE, reader.Scan())) == single(plain)[0]


def test_more_lines_found_than_a_pipe_holds(tmp_path, monkeypatch, forks):
    rnd = random.Random(14)
    file = log(tmp_path, [line(rnd, i, PATH) for i in range(4000)])   # 480 kB, all found
    found, lines = both(monkeypatch, file, 3)
    assert len(found) == lines == 4000
