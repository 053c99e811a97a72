"""Access-log benchmark, measured against baselines in the same run:

- `analyze` over a generated combined log against `grep -F PATH` (plain) and `zgrep -F PATH`
  (gzip) over the same files; each side a whole process (Python start-up and imports
  included), best of --repeat runs. Goal: at most 2x grep's time. Then `warroom logs --json`
  (the command: click, the report printed), and a floor: a process that only reads the
  plain file, lower-cases it and counts its lines, as any reader in Python that sets case
  aside must before it searches, and `analyze` kept to one process (a big plain file is
  otherwise read on every core, up to 4: parallel.py). Each time is wall clock and CPU
  (user + system, the reading processes' included): on a machine others load, the CPU ratio
  is the steadier one, and a parallel read's wall time needs the other cores free.
- `import_downloaders` of --clients downloaders into a new journal, against the same number
  of bare events appended with the projection of `downloaded` switched off (the journal's
  own cost); then the same import again, a deep page of the Downloaders list, and verify.

    python bench/logs.py [--lines 2000000] [--repeat 3] [--clients 100000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warroom.exposure.logs import import_downloaders
from warroom.exposure.logs.analysis import Downloader, LogReport
from warroom.exposure.logs.importer import CHUNK
from warroom.journal import Journal, projections, queries
from warroom.journal.verify import verify
from warroom.model import Draft, Kind
from warroom.model.payloads import Downloaded

ROOT = Path(__file__).resolve().parent.parent
TARGET = "/files/detention-stats-2022-11-28.xlsx"
SIZE = 1_482_113
# the site's other pages (the referrer of every line names "detention" too), and, as often
# as the file itself, last week's file and a backup copy of this one
OTHER = ["/", "/index.html", "/about", "/news/2022/11/statement", "/css/site.css",
         "/js/app.js", "/images/logo.png", "/favicon.ico", "/robots.txt", "/search?q=detention",
         "/files/annual-report-2021.pdf", "/detention/facilities", "/detention/statistics",
         "/api/v1/items?page=2", "/sitemap.xml", "/contact", "/careers/apply"]
# the least a reader in Python that sets case aside does, before it searches: read the file
# in blocks, lower-case each, count its lines (by replace, memchr's speed, as reader.py does)
FLOOR = ("import sys\nlines = 0\nwith open(sys.argv[1], 'rb') as fh:\n"
         "    while block := fh.read(1 << 20):\n        low = block.lower()\n"
         "        lines += len(low) - len(low.replace(b'\\n', b''))\nprint(lines)")
LOOKALIKES = ["/files/detention-stats-2022-11-21.xlsx", "/files/detention-stats.xlsx.bak"]
AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)'
          ' Chrome/107.0.0.0 Safari/537.36',
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15"
          " (KHTML, like Gecko) Version/16.1 Mobile/15E148 Safari/604.1", "curl/7.86.0"]


def generate(folder: Path, lines: int, seed: int = 7) -> tuple[Path, Path, int]:
    """A combined-format log with about one request in 2,000 for the target; plain and gz."""
    rnd = random.Random(seed)
    plain = folder / "access.log"
    hits = 0
    with plain.open("w", encoding="utf-8") as out:
        batch = []
        for i in range(lines):
            draw = rnd.random()
            target = draw < 0.0005
            hits += target
            path = TARGET if target else rnd.choice(LOOKALIKES if draw < 0.0015 else OTHER)
            status, sent = (rnd.choice((200, 200, 206, 304)), SIZE) if target else (
                rnd.choice((200, 200, 200, 304, 404)), rnd.randint(200, 90_000))
            minute, second = divmod(i // 40 % 3600, 60)
            batch.append(
                f"198.51.100.{rnd.randint(1, 254)} - - [28/Nov/2022:{9 + i // 144000 % 10:02d}:"
                f"{minute:02d}:{second:02d} -0500] \"GET {path} HTTP/1.1\" {status} {sent}"
                f" \"https://www.example.gov/detention/statistics\" \"{rnd.choice(AGENTS)}\"\n")
            if len(batch) == 10_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))
    packed = folder / "access.log.gz"
    with plain.open("rb") as src, gzip.open(packed, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return plain, packed, hits


def timed(argv: list[str], repeat: int) -> tuple[float, float, str]:
    """(best wall time, best CPU time of the process, its output)."""
    best, cpu, output = float("inf"), float("inf"), ""
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        output = done.stdout
    return best, cpu, output


def clients(n: int) -> LogReport:
    """A report of n downloaders, a third complete and a fifth bots."""
    def at(i: int) -> str:
        return f"2022-11-28T{9 + i // 3600 % 10:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000Z"

    found = [Downloader(f"198.18.{i // 256 % 256}.{i % 256}" if i < 65536 else f"2001:db8::{i:x}",
                        i % 3 == 0, "full" if i % 3 == 0 else None, i % 5 == 0, 40_000 + i, 2, 1,
                        at(i), at(i + 60), at(i), at(i), [AGENTS[i % len(AGENTS)]])
             for i in range(n)]
    return LogReport(TARGET, SIZE, n * 20, 0, n * 2, at(0), at(n), found, [], {}, SIZE,
                     "b" * 32)


def payload(d: Downloader) -> dict:
    """The data import_downloaders gives a downloader's event."""
    return Downloaded(client=d.client, complete=d.complete, bot=d.bot, bytes=d.bytes,
                      source="access log", requests=d.requests, first_seen=d.first_seen,
                      last_seen=d.last_seen, user_agents=d.user_agents,
                      complete_by=d.complete_by, logs="b" * 32).data()


def bench_import(folder: Path, n: int) -> None:
    report = clients(n)
    bare = folder / "bare.db"
    with Journal(bare, create=True) as j:
        handler = projections.HANDLERS.pop(str(Kind.DOWNLOADED))
        try:
            started = time.perf_counter()
            for i in range(0, n, CHUNK):
                j.append_many([Draft(Kind.DOWNLOADED, d.client, payload(d), d.first_download)
                               for d in report.downloaders[i:i + CHUNK]])
            base = time.perf_counter() - started
        finally:
            projections.HANDLERS[str(Kind.DOWNLOADED)] = handler
    path = folder / "journal.db"
    with Journal(path, create=True) as j:
        started = time.perf_counter()
        import_downloaders(j, report)
        ours = time.perf_counter() - started
        print(f"import {n:,} downloaders  bare events {base:6.2f} s   import_downloaders"
              f" {ours:6.2f} s   ratio {ours / base:4.2f}x")
        started = time.perf_counter()
        import_downloaders(j, report)
        again = time.perf_counter() - started
        started = time.perf_counter()
        page = queries.downloaders(j.conn, offset=n * 2 // 3 - 100, limit=50, complete=False)
        count = queries.downloaders_count(j.conn, bot=True)
        paged = time.perf_counter() - started
        assert queries.counts(j.conn)["downloaders"] == n and page and count == (n + 4) // 5
    started = time.perf_counter()
    ok = verify(path).ok
    print(f"same import again {again:6.2f} s   a page near the end + a count {paged * 1000:.1f} ms"
          f"   verify {time.perf_counter() - started:6.2f} s ({'ok' if ok else 'FAULTS'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.clients:
            bench_import(Path(tmp), args.clients)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        plain, packed, hits = generate(folder, args.lines)
        print(f"generated {args.lines:,} lines ({plain.stat().st_size / 1e6:.0f} MB plain,"
              f" {packed.stat().st_size / 1e6:.0f} MB gz, {hits:,} requests for the file)"
              f" in {time.perf_counter() - started:.1f} s")
        code = ("import sys; from warroom.exposure.logs import analyze;"
                f" r = analyze([sys.argv[1]], {TARGET!r}, size={SIZE});"
                " print(r.lines, r.requests, len(r.downloaders))")
        for label, file, grep in (("plain", plain, "grep"), ("gzip", packed, "zgrep")):
            base, base_cpu, found = timed([grep, "-F", TARGET, str(file)], args.repeat)
            ours, cpu, said = timed([sys.executable, "-c", code, str(file)], args.repeat)
            lines, requests, downloaders = said.split()
            assert int(requests) == found.count("\n") == hits, (requests, hits)
            print(f"{label:5}  {grep} -F {base:6.2f} s   analyze {ours:6.2f} s"
                  f"   ratio {ours / base:4.2f}x (CPU {cpu / base_cpu:4.2f}x)   ({lines} lines,"
                  f" {requests} requests, {downloaders} downloaders)")
            command, command_cpu, said = timed(
                [sys.executable, "-m", "warroom", "logs", str(file), "--path", TARGET, "--size",
                 str(SIZE), "--json"], args.repeat)
            assert json.loads(said)["requests"] == hits
            print(f"{'':5}  warroom logs --json {command:6.2f} s   ratio {command / base:4.2f}x"
                  f" (CPU {command_cpu / base_cpu:4.2f}x)")
            if label == "plain":
                alone, alone_cpu, said = timed(
                    [sys.executable, "-c", "from warroom.exposure.logs import parallel;"
                     f" parallel.WORKERS = 1; {code}", str(file)], args.repeat)
                assert said.split()[1] == requests
                print(f"{'':5}  analyze on one process {alone:6.2f} s   ratio {alone / base:4.2f}x"
                      f" (CPU {alone_cpu / base_cpu:4.2f}x)")
                floor, floor_cpu, said = timed([sys.executable, "-c", FLOOR, str(file)],
                                               args.repeat)
                assert int(said) == args.lines
                print(f"{'':5}  floor: read, lower, count lines {floor:6.2f} s   ratio"
                      f" {floor / base:4.2f}x (CPU {floor_cpu / base_cpu:4.2f}x)")


if __name__ == "__main__":
    main()
