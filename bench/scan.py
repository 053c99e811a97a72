"""Scan benchmark: `warroom scan` (the whole process, start-up included) on a generated
1,000,000-row table, against presidio's own AnalyzerEngine.analyze called per row (a sample of
rows timed and scaled), with the recall of both on the known truth, and against a bare
`csv.reader` pass over the same file (a whole process too). Also: the demo's 6,252-row xlsx
scanned and imported, as a responder would run it.

    python bench/scan.py [--rows 1000000] [--baseline-rows 3000]

Goals (issues 3 and 11): >= 100x the presidio baseline's speed with recall at least equal, at
most 3x the bare csv pass, under 1 GB of memory; the 6,252-row xlsx scanned and imported in
under 3 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warroom.synthetic import HEADER, people, write_xlsx

OUT = Path(__file__).resolve().parent / "out"


def make_table(rows: int) -> Path:
    """The big table, cached in bench/out/ (made-up people, fixed seed)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"roster-{rows}.csv"
    if path.exists():
        return path
    started = time.perf_counter()
    tmp = path.with_suffix(".partial")
    with tmp.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for chunk in range(0, rows, 100_000):
            for i, p in enumerate(people(min(100_000, rows - chunk), seed=chunk + 1)):
                # distinct across chunks: a permutation of the row number into A9xxxxxxxx
                number = f"A9{((chunk + i) * 7919 + 12345) % 100_000_000:08d}"
                w.writerow([p.full_name, number, p.birth_date.strftime("%m/%d/%Y"),
                            p.gender, p.nationality, p.facility, p.book_in.isoformat(),
                            p.case_status, p.fear_result])
    tmp.rename(path)
    print(f"(generated {rows:,} rows in {time.perf_counter() - started:.0f} s: {path})")
    return path


def run_warroom(*args: str) -> tuple[float, dict, int]:
    """Wall seconds, the JSON document, peak RSS (KiB) of one `warroom` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "warroom", *args], capture_output=True,
                         text=True, check=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, json.loads(out.stdout), max(peak, before)


def bare_csv(path: Path) -> float:
    """Wall seconds of a process that only reads the file with csv.reader: the floor."""
    code = ("import csv, sys\n"
            "for row in csv.reader(open(sys.argv[1], newline='')):\n    pass\n")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    return time.perf_counter() - started


def baseline(path: Path, sample: int) -> tuple[float, float, float]:
    """presidio's AnalyzerEngine.analyze on each row ('Header: value; …', so context words
    are there), with the same offline engine and recognizers. Returns rows/s and the recall
    of A-numbers and of names on the sample."""
    from warroom.artifact.analyzer import analyzer

    engine = analyzer().engine
    with path.open(newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [next(reader) for _ in range(sample)]
    found_a = found_name = 0
    started = time.perf_counter()
    for row in rows:
        text = "; ".join(f"{h}: {v}" for h, v in zip(header, row))
        results = engine.analyze(text, language="en")
        spans = {(r.entity_type, text[r.start:r.end]) for r in results}
        found_a += any(e == "A_NUMBER" and row[1][1:] in s.replace("-", "") for e, s in spans)
        found_name += any(e == "PERSON" and s.strip() == row[0] for e, s in spans)
    elapsed = time.perf_counter() - started
    return sample / elapsed, found_a / sample, found_name / sample


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--baseline-rows", type=int, default=3000)
    args = ap.parse_args()
    table = make_table(args.rows)
    size_mb = table.stat().st_size / 1e6

    # each side's best of 3, taken in turns: the machine is shared, and a busy moment
    # should not decide the ratio either way
    floors, runs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(3):
            floors.append(bare_csv(table))
            runs.append(run_warroom("--db", f"{tmp}/none.db", "scan", str(table), "--json"))
    floor = min(floors)
    seconds, doc, _ = min(runs, key=lambda run: run[0])
    peak_kib = max(run[2] for run in runs)
    recall_records = doc["records"] / args.rows
    recall_a = doc["a_numbers"] / args.rows
    base_rate, base_recall_a, base_recall_name = baseline(table, args.baseline_rows)
    base_seconds = args.rows / base_rate
    ratio = base_seconds / seconds
    print(f"table: {args.rows:,} rows, {size_mb:.0f} MB")
    print(f"warroom scan (whole process, best of 3): {seconds:.1f} s ="
          f" {args.rows / seconds:,.0f} rows/s, {size_mb / seconds:.1f} MB/s,"
          f" peak memory {peak_kib / 1024:.0f} MiB (goal < 1 GiB)")
    print(f"  recall: people {recall_records:.4f}, A-numbers {recall_a:.4f}")
    print(f"presidio analyze per row ({args.baseline_rows:,} rows timed, scaled):"
          f" {base_rate:,.0f} rows/s -> {base_seconds:,.0f} s for {args.rows:,} rows,"
          f" {size_mb / base_seconds:.2f} MB/s")
    print(f"  recall: A-numbers {base_recall_a:.4f}, names {base_recall_name:.4f}")
    print(f"speed-up: {ratio:,.0f}x (goal >= 100x)")
    print(f"bare csv.reader pass (whole process): {floor:.2f} s; warroom takes"
          f" {seconds / floor:.2f}x that (goal <= 3x; best of 3 each, in turns:"
          f" {' '.join(f'{f:.2f}' for f in floors)} vs {' '.join(f'{r[0]:.2f}' for r in runs)})")

    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "demo.xlsx"
        write_xlsx(sheet, people(6252), title="Detained population as of 11/19/2022")
        times = []
        for i in range(3):   # a fresh journal each time: every run imports all 6,252
            db = f"{tmp}/j{i}.db"
            subprocess.run([sys.executable, "-m", "warroom", "--db", db, "init", "--name",
                            "bench"], check=True, capture_output=True)
            s, small, _ = run_warroom("--db", db, "scan", str(sheet), "--import", "--json")
            times.append(s)
        small_s = min(times)
    print(f"6,252-row xlsx scanned and imported: {small_s:.2f} s (best of 3; goal < 3 s),"
          f" records {small['records']:,}")
    ok = (ratio >= 100 and seconds <= 3 * floor
          and recall_records >= max(base_recall_a, base_recall_name)
          and peak_kib < 1024 * 1024 and small_s < 3.0)
    print("GOALS MET" if ok else "GOALS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("WARROOM_ACTOR", "bench")
    sys.exit(main())
