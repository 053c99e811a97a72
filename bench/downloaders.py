"""Downloaders benchmark: the console's Downloaders tab on 100,000 clients against the same tab
on 1,000, measured in the same run. A heartbeat on the UI thread (every 10 ms) records the
longest stall while the tab opens, jumps to the last client, filters (complete) and searches.
Set against reading every client at once (what a table holding every row would have to do
before its first paint).

    python bench/downloaders.py [--clients 100000]

Goal (issue 8): the tab shows its first rows and its last client about as fast with 100,000
clients as with 1,000 (ratio <= 2), and the longest UI stall stays under a quarter of the
read-everything time: only the rows in view are read, in workers.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
         " Chrome/{n}.0 Safari/537.36")


def client(i: int) -> str:
    return f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"


def build(path: Path, n: int) -> None:
    """n clients, as `warroom logs --import` journals them (downloaded events, in batches)."""
    from warroom.journal import Journal
    from warroom.model import Draft, Kind

    with Journal(path, create=True, actor="bench") as j:
        j.append(Kind.INCIDENT_OPENED, None, {"name": f"{n:,} downloaders"})
        for start in range(0, n, 20_000):
            j.append_many([Draft(Kind.DOWNLOADED, client(i), {
                "client": client(i), "complete": i % 7 == 0, "bot": i % 11 == 0,
                "bytes": 1_000 + i, "requests": 1 + i % 3,
                "first_seen": f"2022-11-28T{14 + i // 36_000:02d}:{i // 600 % 60:02d}:"
                              f"{i // 10 % 60:02d}.000Z",
                "user_agents": [AGENT.format(n=i % 120)]})
                for i in range(start, min(n, start + 20_000))])


def read_everything(path: Path) -> float:
    from warroom.journal import queries
    from warroom.journal.store import connect

    conn = connect(path)
    started = time.perf_counter()
    rows = queries.downloaders(conn, 0, -1)
    elapsed = time.perf_counter() - started
    conn.close()
    assert rows
    return elapsed


async def drive(path: Path, n: int) -> dict[str, float]:
    from warroom.tui.app import WarroomApp

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

    async def until(pilot, condition) -> float:
        started = time.perf_counter()
        while not condition():
            await pilot.pause(0.005)
        return time.perf_counter() - started

    app = Bench(path)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.board is not None)
        gaps.clear()
        started = time.perf_counter()
        await pilot.press("5")
        view = app.query_one("DownloadersView")
        await until(pilot, lambda: view.loaded and view.item_at(0) is not None)
        out["first rows"] = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("end")
        await until(pilot, lambda: view.current() is not None
                    and view.current()["client"] == client(n - 1))
        out["last client"] = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("c")
        await until(pilot, lambda: view.shown == view.generation and view.item_at(0))
        await pilot.press("slash", *"10.0.1", "enter")
        await until(pilot, lambda: view.shown == view.generation and view.item_at(0))
        out["filter + search"] = time.perf_counter() - started
        out["longest stall"] = max(gaps)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.db", Path(tmp) / "small.db"
        t0 = time.perf_counter()
        build(big, args.clients)
        build(small, 1_000)
        print(f"built {args.clients:,} and 1,000 clients in {time.perf_counter() - t0:.1f} s")
        everything = read_everything(big)
        base = asyncio.run(drive(small, 1_000))
        many = asyncio.run(drive(big, args.clients))
    print(f"read every client at once ({args.clients:,}): {everything:.3f} s")
    for what in base:
        print(f"{what:16} 1,000: {base[what]:.3f} s   {args.clients:,}: {many[what]:.3f} s"
              f"   ratio {many[what] / base[what]:.2f}x")
    ok = (many["first rows"] <= 2 * base["first rows"]
          and many["last client"] <= 2 * base["last client"]
          and many["longest stall"] < everything / 4)
    print("GOAL MET" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
