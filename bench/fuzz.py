"""Fuzz harness: seed files of each format (tests/files.py generators, made-up people),
mutated (byte flips, truncations, insertions, chunk duplication and deletion, and structural
changes: a zip workbook's sheets, a PDF's page tree, JSON nesting), each scanned through the
real path (the sandbox), as `warroom scan` would.

    python bench/fuzz.py [--per-format 1000] [--formats csv,json,...] [--seed 1] [--large]

Per format it prints how many mutations were tried, gave a result, gave a clear error (a
WarroomError), and escaped: any other exception, or a scan that took over 20 s. Goal: 0
escapes. Each escape is kept in bench/out/fuzz/ with its traceback, to replay.

With --large it first scans a 300 MB JSON list and a 250 MB HTML table (made up) and prints
the time and the peak memory of the scan's child: memory stays bounded when files grow.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from warroom.errors import WarroomError  # noqa: E402

import files  # noqa: E402

OUT = ROOT / "bench" / "out" / "fuzz"
SLOW = 20.0
Seed = Callable[[Path], Path]

SEEDS: dict[str, tuple[str, Seed]] = {
    "csv": ("list.csv", lambda p: files.write_csv(p, files.roster(40, seed=1))),
    "text": ("tip.eml", lambda p: files.write_email(p, files.roster(20, seed=2))),
    "json": ("list.json", lambda p: files.write_json(p, files.roster(30, seed=3))),
    "jsonl": ("list.jsonl", lambda p: files.write_jsonl(p, files.roster(30, seed=4))),
    "html": ("page.html", lambda p: files.write_html(p, files.roster(30, seed=5))),
    "xlsx": ("list.xlsx", lambda p: files.write_xlsx(p, files.roster(40, seed=6))),
    "xls": ("list.xls", lambda p: files.write_xls(p, files.roster(40, seed=7))),
    "pdf": ("list.pdf", lambda p: files.write_pdf(p, files.roster(30, seed=8))),
}

TOKENS = [b"[[[", b"{", b"}", b"]", b"\x00", b"9" * 5000, b'"', b",,,,,,,,", b"\t" * 50,
          b"<table>", b"<tr><td>", b"</table>", b"<script>", b"%PDF-", b"obj", b"endobj",
          b"/Count 100000", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\n" * 20, b"A123456789",
          "ĿMEXICO".encode(), "CHINA, PEOPLE’S".encode(), b"-1e999", b"\\ud800"]


# ---------------------------------------------------------------- mutations


def flip(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 20)):
        out[rnd.randrange(len(out))] = rnd.randrange(256)
    return bytes(out)


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(1, len(data))]


def insert(data: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(data) + 1)
    token = rnd.choice(TOKENS) if rnd.random() < 0.7 else rnd.randbytes(rnd.randint(1, 64))
    return data[:at] + token * rnd.choice([1, 1, 3, 100]) + data[at:]


def duplicate(data: bytes, rnd: random.Random) -> bytes:
    start = rnd.randrange(len(data))
    chunk = data[start:start + rnd.randint(1, 4096)]
    at = rnd.randrange(len(data) + 1)
    return data[:at] + chunk * rnd.choice([1, 2, 10, 200]) + data[at:]


def delete(data: bytes, rnd: random.Random) -> bytes:
    start = rnd.randrange(len(data))
    return data[:start] + data[start + rnd.randint(1, 2048):]


def sheet_xml(data: bytes, rnd: random.Random) -> bytes:
    """A zip workbook with one of its parts changed: a far dimension or cell, a row repeated,
    bytes flipped in the XML itself, or shared strings counted wrong."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
    except zipfile.BadZipFile:
        return flip(data, rnd)
    sheets = [n for n in parts if n.startswith("xl/worksheets/")] or list(parts)
    name = rnd.choice(sheets)
    xml = parts[name]
    far = rnd.choice([b"XFD1048576", b"A1048576", b"XFD1", b"ZZ99999", b"A0", b"AAAA1"])
    change = rnd.randrange(5)
    if change == 0:
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:' + far + b'"', xml)
    elif change == 1:
        xml = xml.replace(b"</sheetData>", b'<row r="2"><c r="' + far + b'" t="inlineStr"><is>'
                          b"<t>x</t></is></c></row></sheetData>", 1)
    elif change == 2:
        rows = re.findall(rb"<row .*?</row>", xml)
        if rows:
            xml = xml.replace(b"</sheetData>", rnd.choice(rows) * rnd.choice([2, 500])
                              + b"</sheetData>", 1)
    elif change == 3:
        xml = flip(xml, rnd)
    else:
        xml = re.sub(rb'count="\d+"', b'count="4294967295"', xml)
    parts[name] = xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for part, body in parts.items():
            z.writestr(part, body)
    return out.getvalue()


def pdf_tree(data: bytes, rnd: random.Random) -> bytes:
    """A PDF whose page tree, xref or an object is changed."""
    change = rnd.randrange(3)
    if change == 0:
        return re.sub(rb"/Count \d+", b"/Count " + str(rnd.choice([0, -1, 100000, 2**40])).encode(),
                      data, count=1)
    if change == 1:
        return re.sub(rb"startxref\s+\d+", b"startxref\n" + str(rnd.randrange(len(data))).encode(),
                      data)
    return duplicate(data, rnd)


def json_shape(data: bytes, rnd: random.Random) -> bytes:
    """JSON nested deep, with a very long number, or with an object of many keys."""
    change = rnd.randrange(3)
    if change == 0:
        depth = rnd.choice([70, 1000, 100000])
        return b"[" * depth + data + b"]" * depth
    if change == 1:
        return data.replace(b'"B12"', b"9" * rnd.choice([4000, 4301, 100000]), 1)
    keys = b",".join(b'"k%d": %d' % (i, i) for i in range(rnd.choice([1001, 100001])))
    return b"{" + keys + b"}"


GENERIC = [flip, truncate, insert, duplicate, delete]
STRUCTURAL = {"xlsx": sheet_xml, "pdf": pdf_tree, "json": json_shape, "jsonl": json_shape}


def mutate(fmt: str, data: bytes, rnd: random.Random) -> tuple[str, bytes]:
    choices = GENERIC + [STRUCTURAL[fmt]] * 2 if fmt in STRUCTURAL else GENERIC
    how = rnd.choice(choices)
    out = how(data, rnd)
    if rnd.random() < 0.2:                      # and sometimes a second change
        out = flip(out, rnd) if out else out
    return how.__name__, out or b"\x00"


# ---------------------------------------------------------------- the run


def fuzz(fmt: str, count: int, seed: int, work: Path) -> dict:
    from warroom.artifact.scan import scan_file

    name, write = SEEDS[fmt]
    original = write(work / f"seed-{name}").read_bytes()
    rnd = random.Random(f"{seed}-{fmt}")
    tally: Counter = Counter()
    kinds: Counter = Counter()
    slowest = 0.0
    for n in range(count):
        how, data = mutate(fmt, original, rnd)
        path = work / name
        path.write_bytes(data)
        started = time.perf_counter()
        escape = None
        try:
            scan_file(path)
            tally["results"] += 1
        except WarroomError as exc:
            tally["errors"] += 1
            kinds[_kind(str(exc))] += 1
        except Exception:
            escape = traceback.format_exc()
        seconds = time.perf_counter() - started
        slowest = max(slowest, seconds)
        if escape is None and seconds > SLOW:
            escape = f"took {seconds:.1f} s"
        if escape:
            tally["escapes"] += 1
            keep = OUT / f"{fmt}-{n:05d}-{how}"
            keep.mkdir(parents=True, exist_ok=True)
            (keep / name).write_bytes(data)
            (keep / "escape.txt").write_text(escape)
            print(f"  ESCAPE {fmt} #{n} ({how}): {escape.strip().splitlines()[-1]}", flush=True)
    return {"tried": count, **tally, "kinds": kinds, "slowest": slowest}


def large(work: Path) -> None:
    """Scan big files, each in a fresh process, and report the child's peak memory."""
    records = [files.person_json(p) for p in files.roster(2000, seed=9)]
    page = files.write_html(work / "one.html", files.roster(2000, seed=10)).read_text()
    head, _, rest = page.partition("<tbody>")
    rows, _, tail = rest.partition("</tbody>")
    big = {"list.json": 300_000_000, "table.html": 250_000_000}
    with (work / "list.json").open("w") as fh:
        fh.write('{"detainees": [')
        chunk = ",".join(json.dumps(r) for r in records)
        for n in range(big["list.json"] // len(chunk)):
            fh.write(("," if n else "") + chunk)
        fh.write("]}")
    with (work / "table.html").open("w") as fh:
        fh.write(head + "<tbody>")
        for _ in range(big["table.html"] // len(rows)):
            fh.write(rows)
        fh.write("</tbody>" + tail)
    code = ("import resource, sys, time\n"
            "from warroom.artifact.scan import scan_file\n"
            "t = time.perf_counter()\n"
            "try:\n    r = scan_file(sys.argv[1]); out = f'{r.records:,} people, {r.rows:,} rows'\n"
            "except Exception as e:\n    out = f'{type(e).__name__}: {e}'\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
            "print(f'{time.perf_counter() - t:.0f} s, child peak {peak:,.0f} MiB: {out}')\n")
    for name in big:
        path = work / name
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        print(f"{name} ({path.stat().st_size / 1e6:,.0f} MB): {done.stdout.strip()}"
              f"{done.stderr.strip()[-300:]}", flush=True)
        path.unlink()


def _kind(message: str) -> str:
    for word, kind in (("crashed", "crash"), ("memory", "memory"), ("longer than", "time"),
                       ("CPU", "time")):
        if word in message:
            return kind
    return "read"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-format", type=int, default=1000)
    ap.add_argument("--formats", default=",".join(SEEDS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--large", action="store_true", help="first scan a 300 MB JSON and a"
                    " 250 MB HTML page, and report the memory used")
    args = ap.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    unknown = set(formats) - set(SEEDS)
    if unknown:
        ap.error(f"unknown formats {sorted(unknown)}; known: {', '.join(SEEDS)}")
    from warroom.artifact import sandbox

    sandbox.warm(parsers=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="warroom-fuzz-") as tmp:
        if args.large:
            large(Path(tmp))
        for fmt in formats:
            started = time.perf_counter()
            got = fuzz(fmt, args.per_format, args.seed, Path(tmp))
            got["seconds"] = time.perf_counter() - started
            rows.append((fmt, got))
            print(f"{fmt}: {_line(got)}", flush=True)
    print(f"\n{'format':<7}{'tried':>7}{'results':>9}{'errors':>8}{'escapes':>9}{'slowest':>9}"
          "  clear errors by kind")
    for fmt, got in rows:
        kinds = ", ".join(f"{k} {v}" for k, v in got["kinds"].most_common())
        print(f"{fmt:<7}{got['tried']:>7}{got.get('results', 0):>9}{got.get('errors', 0):>8}"
              f"{got.get('escapes', 0):>9}{got['slowest']:>8.1f}s  {kinds}")
    escapes = sum(got.get("escapes", 0) for _, got in rows)
    print(f"\n{escapes} escapes" + (f" (kept in {OUT})" if escapes else ""))
    return 1 if escapes else 0


def _line(got: dict) -> str:
    return (f"{got['tried']} tried, {got.get('results', 0)} results, {got.get('errors', 0)} clear"
            f" errors, {got.get('escapes', 0)} escapes, slowest {got['slowest']:.1f} s,"
            f" {got['seconds']:.0f} s in all")


if __name__ == "__main__":
    os.environ.setdefault("WARROOM_ACTOR", "fuzz")
    sys.exit(main())
