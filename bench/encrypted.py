"""Encryption at rest costs little: an encrypted journal against a plain one, measured in the
same run, on the two paths a responder waits for.

- start-up: a fresh process does what `warroom tui` does before its first frame (open the
  journal, load the console's code) and reads the dashboard, on a journal holding the demo's
  6,252 people;
- scan: `warroom scan --import` of the demo's 6,252-row spreadsheet (the whole process).

    python bench/encrypted.py [--runs 5]

Goal (issue 7): each within 20% of the plain journal (ratio <= 1.20). Best of N runs each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warroom.synthetic import people, write_xlsx

KEY = "a benchmark passphrase, not a secret"
OPEN = """
import sys
from pathlib import Path
from warroom.cli.console import prepare_console
from warroom.dashboard import dashboard
from warroom.journal import Journal
prepare_console(Path(sys.argv[1]))
with Journal(sys.argv[1]) as j:
    board = dashboard(j.conn)
assert board.counts["people"] == 6252
"""


def _run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    warroom = [sys.executable, "-m", "warroom"]
    with tempfile.TemporaryDirectory(prefix="warroom-bench-") as tmp:
        sheet = Path(tmp) / "list.xlsx"
        write_xlsx(sheet, people(6252), title="Detained population")
        plain_env = {k: v for k, v in os.environ.items() if k != "WARROOM_KEY"}
        cipher_env = {**plain_env, "WARROOM_KEY": KEY}
        results: dict[str, dict[str, float]] = {"scan --import": {}, "console start-up": {}}
        for label, env, extra in (("plain", plain_env, []), ("encrypted", cipher_env,
                                                             ["--encrypt"])):
            best_scan = best_open = float("inf")
            for n in range(runs):
                db = Path(tmp) / f"{label}-{n}.db"
                subprocess.run([*warroom, "--db", str(db), "init", "--name", "bench", *extra],
                               check=True, capture_output=True, env=env)
                best_scan = min(best_scan, _run([*warroom, "--db", str(db), "scan",
                                                 str(sheet), "--import", "--json"], env))
                best_open = min(best_open, _run([sys.executable, "-c", OPEN, str(db)], env))
            results["scan --import"][label] = best_scan
            results["console start-up"][label] = best_open
    print(f"best of {runs} runs each, 6,252 people")
    for path, times in results.items():
        ratio = times["encrypted"] / times["plain"]
        verdict = "ok" if ratio <= 1.20 else "OVER the 20% goal"
        print(f"{path:18} plain {times['plain']:.3f} s   encrypted {times['encrypted']:.3f} s"
              f"   ratio {ratio:.2f}  ({verdict})")


if __name__ == "__main__":
    main()
