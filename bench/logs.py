"""Access-log benchmark: `analyze` over a generated log against `grep -F PATH` (plain) and
`zgrep -F PATH` (gzip) over the same files, measured in the same run. Each side is a whole
process (Python start-up and imports included), best of --repeat runs.

    python bench/logs.py [--lines 2000000] [--repeat 3]

Goal: analyze at most 2x grep's time.
"""

from __future__ import annotations

import argparse
import gzip
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = "/files/detention-stats-2022-11-28.xlsx"
SIZE = 1_482_113
OTHER = ["/", "/index.html", "/about", "/news/2022/11/statement", "/css/site.css",
         "/js/app.js", "/images/logo.png", "/favicon.ico", "/robots.txt", "/search?q=detention",
         "/files/detention-stats-2022-11-21.xlsx", "/files/annual-report-2021.pdf",
         "/detention/facilities", "/detention/statistics", "/files/detention-stats.xlsx.bak",
         "/api/v1/items?page=2", "/sitemap.xml", "/contact", "/careers/apply"]
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
            target = rnd.random() < 0.0005
            hits += target
            path = TARGET if target else rnd.choice(OTHER)
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


def timed(argv: list[str], repeat: int) -> tuple[float, str]:
    best, output = float("inf"), ""
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        best = min(best, time.perf_counter() - started)
        output = done.stdout
    return best, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
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
            base, found = timed([grep, "-F", TARGET, str(file)], args.repeat)
            ours, said = timed([sys.executable, "-c", code, str(file)], args.repeat)
            lines, requests, downloaders = said.split()
            assert int(requests) == found.count("\n") == hits, (requests, hits)
            print(f"{label:5}  {grep} -F {base:6.2f} s   analyze {ours:6.2f} s"
                  f"   ratio {ours / base:4.2f}x   ({lines} lines, {requests} requests,"
                  f" {downloaders} downloaders)")


if __name__ == "__main__":
    main()
