"""Poll benchmark: the console open on a 300,000-event journal with a filter set, while
another process appends an event every few tenths of a second (a watcher writing). A
heartbeat on the UI thread (every 10 ms) records the longest stall. The same run is made with
the old behaviour (the timeline counting and reading its pages on the UI thread, inside
`render_line`), and set against the time of the filtered query itself on one thread and
against the floor: the same run on a 1,000-event journal (rendering, the writer starting up,
other work on the machine).

    python bench/poll.py [--events 300000] [--seconds 8] [--filter mirror]

Goal: with reads in workers the longest stall is under half the old one and the p99 stall under
a quarter of the filtered query: the UI thread never waits for SQLite, what is left is the
floor (rendering, the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRITER = """
import sys, time
from warroom.journal import Journal
from warroom.model import Kind
db, seconds, every = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
with Journal(db, actor="watcher") as j:
    print("ready", flush=True)
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        j.append(Kind.NOTE, None, {"text": f"watcher check {n}: the mirror still serves it"})
        n += 1
        time.sleep(every)
print(n, flush=True)
"""


def build(path: Path, events: int) -> None:
    from warroom.journal import Journal
    from warroom.model import Draft, Kind

    with Journal(path, create=True, actor="bench") as j:
        j.append(Kind.INCIDENT_OPENED, None, {"name": f"{events:,} events"})
        for start in range(0, events, 20_000):
            j.append_many([Draft(Kind.NOTE, None, {"text": (f"probe {i}: mirror answered 200"
                                                            if i % 97 == 0 else f"note {i}")})
                           for i in range(start, min(events, start + 20_000))])


def query_time(path: Path, text: str) -> float:
    """The filtered count and first page, as the old console ran them on the UI thread."""
    from warroom.journal import queries
    from warroom.journal.store import connect

    conn = connect(path)
    started = time.perf_counter()
    queries.timeline_count(conn, text)
    queries.timeline(conn, 0, 100, text)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def old_view():
    """The timeline as it was: count and pages read on the UI thread, in render_line."""
    from warroom.journal import queries
    from warroom.tui.messages import ListWindow
    from warroom.tui.widgets.timeline import PAGE, TimelineView

    class OnTheUIThread(TimelineView):
        def reload(self) -> None:
            self.generation += 1
            total = queries.timeline_count(self._conn(), self.filter_text)
            self.on_list_window(ListWindow(self.generation, self.filter_text, total))

        def _want(self, page: int) -> None:
            self._pages[page] = queries.timeline(self._conn(), page * PAGE, PAGE,
                                                 self.filter_text)
            self.refresh()

    return OnTheUIThread


async def stall(path: Path, text: str, seconds: float, every: float, old: bool) -> tuple:
    from warroom.tui.app import WarroomApp
    from warroom.tui.panels import timeline as panel_module
    from warroom.tui.widgets.timeline import TimelineView

    panel_module.TimelineView = old_view() if old else TimelineView
    gaps: list[float] = []

    class Bench(WarroomApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.last = time.perf_counter()
            self.set_interval(0.01, self.beat)

        def beat(self) -> None:
            now = time.perf_counter()
            gaps.append(now - self.last)
            self.last = now

    app = Bench(path)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one("TimelineView")
        while not view.loaded:
            await pilot.pause(0.05)
        view.set_filter(text)
        await pilot.pause(1.0)
        gaps.clear()
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(seconds),
                                   str(every)], stdout=subprocess.PIPE, text=True)
        writer.stdout.readline()
        while writer.poll() is None:
            await pilot.pause(0.1)
        appended = int(writer.stdout.read().split()[-1])
    panel_module.TimelineView = TimelineView
    return max(gaps), sorted(gaps)[int(len(gaps) * 0.99)], appended


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=300_000)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--every", type=float, default=0.3, help="seconds between appends")
    ap.add_argument("--filter", default="mirror")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        t0 = time.perf_counter()
        build(path, args.events)
        print(f"built {args.events:,} events in {time.perf_counter() - t0:.1f} s")
        query = query_time(path, args.filter)
        small = Path(tmp) / "small.db"
        build(small, 1_000)
        floor_max, floor_p99, _ = asyncio.run(stall(small, args.filter, args.seconds,
                                                    args.every, old=False))
        new_max, new_p99, n_new = asyncio.run(stall(path, args.filter, args.seconds,
                                                    args.every, old=False))
        old_max, old_p99, n_old = asyncio.run(stall(path, args.filter, args.seconds,
                                                    args.every, old=True))
    print(f"filtered count + first page ({args.filter!r}), one thread: {query:.3f} s")
    print(f"longest UI stall, 1,000 events (floor):   {floor_max:.3f} s (p99 {floor_p99:.3f} s)")
    print(f"longest UI stall, reads in workers:       {new_max:.3f} s (p99 {new_p99:.3f} s,"
          f" {n_new} events appended)")
    print(f"longest UI stall, reads on the UI thread: {old_max:.3f} s (p99 {old_p99:.3f} s,"
          f" {n_old} events appended)")
    print(f"ratio, longest stall: {new_max / old_max:.2f}x the old, {new_max / query:.2f}x the"
          f" query, {new_max / floor_max:.2f}x the floor")
    print(f"ratio, p99 stall:     {new_p99 / old_p99:.2f}x the old, {new_p99 / query:.2f}x the"
          f" query, {new_p99 / floor_p99:.2f}x the floor")
    ok = new_max < old_max / 2 and new_p99 < query / 4
    print("GOAL MET" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
