"""Start-up benchmark: launch to the console's first frame showing the journal, on the demo
journal and on a 100,000-event journal, against a bare Textual app with one label measured the
same way (a fresh process each run; median of several).

    python bench/startup.py [--runs 5]

Goals (issue 2): first frame under 1 s here and within 2x the bare app; `warroom --help`
imports neither presidio nor textual.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WARROOM = """
import sys
from warroom.tui.app import WarroomApp

class Bench(WarroomApp):
    def on_journal_changed(self, message):
        super().on_journal_changed(message)
        self.call_after_refresh(self.done)

    def done(self):
        print("frame", flush=True)
        self.exit()

Bench(sys.argv[1]).run(headless=True, size=(160, 48))
"""

BARE = """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("hello")

    def on_mount(self):
        self.call_after_refresh(self.done)

    def done(self):
        print("frame", flush=True)
        self.exit()

Bare().run(headless=True, size=(160, 48))
"""

HELP = """
import sys
from warroom.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"textual", "presidio_analyzer", "spacy"})
print("heavy:", ",".join(heavy) or "none")
"""


def first_frame(code: str, *args: str) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=30)
    if line.strip() != "frame":
        raise SystemExit(f"no frame: {proc.stderr.read()}")
    return elapsed


def median(code: str, runs: int, *args: str) -> float:
    return statistics.median(first_frame(code, *args) for _ in range(runs))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from warroom.demo import build_demo
    from warroom.journal import Journal
    from warroom.model import Draft, Kind

    with tempfile.TemporaryDirectory() as tmp:
        demo = build_demo(Path(tmp) / "demo.db")
        big = Path(tmp) / "big.db"
        with Journal(big, create=True) as j:
            j.append(Kind.INCIDENT_OPENED, None, {"name": "100k events"})
            for start in range(0, 100_000, 10_000):
                j.append_many([Draft(Kind.NOTE, None, {"text": f"note {i}"})
                               for i in range(start, start + 10_000)])
        first_frame(BARE)  # warm the file cache for both
        bare = median(BARE, args.runs)
        ours = median(WARROOM, args.runs, str(demo))
        ours_big = median(WARROOM, args.runs, str(big))
    t0 = time.perf_counter()
    heavy = subprocess.run([sys.executable, "-c", HELP], capture_output=True, text=True).stdout
    help_s = time.perf_counter() - t0
    print(f"bare Textual app, first frame:          {bare:.3f} s")
    print(f"warroom on the demo journal:             {ours:.3f} s  ({ours / bare:.2f}x bare)")
    print(f"warroom on a 100,000-event journal:      {ours_big:.3f} s"
          f"  ({ours_big / bare:.2f}x bare)")
    heavy = heavy.strip().splitlines()[-1].split(":", 1)[1].strip()
    print(f"warroom --help: {help_s:.3f} s, heavy imports: {heavy}")
    ok = max(ours, ours_big) < 1.0 and max(ours, ours_big) / bare <= 2.0 and heavy == "none"
    print("GOALS MET" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
