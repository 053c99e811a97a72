"""Roster benchmark: 100,000 made-up people; each FILTERS query as `warroom people` and the
console's Notify and Holds tabs run it (`checklists.people.page`: the filter, the flags, who
touched each person, redacted dicts) against the same selection in plain sqlite3 (`SELECT *`
with the same WHERE and ORDER BY, rows as tuples) in the same run; and bulk moves journaled
one event a person (6,252 holds, then every person).

Then the console's part: the Notify and Holds tabs on the same 100,000 people, headless at
100×30 with the Pilot; the time from a filter key or a scroll key to the list's repaint (the
workers done: count and page read, the rows drawn) against the same count and page in plain
sqlite3.

    python bench/roster.py [--people 100000] [--repeat 5] [--part all|service|console]

Goals (issue 9): a filtered page within a few times plain sqlite3 and under 100 ms; 6,252
holds in seconds, not minutes; in the console, under 100 ms a key.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warroom.artifact.roster import import_people
from warroom.checklists import holds, machine, notify, people
from warroom.checklists.filters import PeopleFilter
from warroom.incident import open_incident
from warroom.journal import Journal
from warroom.model import Channel, HoldState, NotifyState
from warroom.synthetic import FACILITIES
from warroom.synthetic import people as fake_people

T0 = datetime(2022, 11, 28, 13, 53, tzinfo=UTC)
AT = T0 + timedelta(days=3)

# (label, the filter, the same selection in plain SQL, its ORDER BY, offset, limit)
QUERIES = [
    ("nationality China, page 1", PeopleFilter(nationality="china"),
     "nationality = 'china' COLLATE NOCASE", "id", 0, 100),
    ("facility ~ Stone + notify pending",
     PeopleFilter(facility="Stone", notify=NotifyState.PENDING),
     "facility LIKE '%Stone%' AND notify_state = 'pending'", "id", 0, 100),
    ("hold placed + high-risk", PeopleFilter(hold=HoldState.PLACED, high_risk=True),
     "hold_state = 'placed' AND high_risk", "id", 0, 100),
    ("search a name part", PeopleFilter(search="KRA"),
     "(full_name LIKE '%KRA%' OR a_number LIKE '%KRA%' OR counsel LIKE '%KRA%')", "id", 0, 100),
    ("work order, page 500", PeopleFilter(order="work"), "1",
     "coalesce(removal_date, '9999-12-31'), high_risk DESC, id", 50_000, 100),
    ("alarms (work order)", PeopleFilter(alarm=True, order="work"),
     "removal_date IS NOT NULL AND removed_at IS NULL AND hold_state IN ('placed','requested')",
     "coalesce(removal_date, '9999-12-31'), high_risk DESC, id", 0, 100),
    ("nationality Mexico, every row", PeopleFilter(nationality="mexico"),
     "nationality = 'mexico' COLLATE NOCASE", "id", 0, -1),
]


def build(path: Path, n: int) -> float:
    rng = random.Random(9)
    rows = [{"a_number": p.a_number, "full_name": p.full_name, "birth_date": str(p.birth_date),
             "nationality": p.nationality.split(",")[0].title(), "facility": p.facility,
             "high_risk": p.nationality in ("IRAN", "RUSSIA", "CHINA, PEOPLES REPUBLIC OF")}
            for p in fake_people(n, seed=2022)]
    with Journal(path, create=True, actor="bench") as j:
        open_incident(j, "Roster benchmark", at=T0)
        import_people(j, rows, batch=5000, at=T0 + timedelta(hours=1))
        started = time.perf_counter()
        holds.hold(j, PeopleFilter(ids=tuple(range(1, 6253))),
                   holds.HoldChange(state=HoldState.PLACED))
        seconds = time.perf_counter() - started
        some = tuple(sorted(rng.sample(range(1, n + 1), n // 20)))
        holds.hold(j, PeopleFilter(ids=some), holds.HoldChange(removal_date="2022-12-15"))
        notify.notify(j, PeopleFilter(facility=FACILITIES[0]),
                      notify.NotifyChange(state=NotifyState.DELIVERED, channel=Channel.MAIL))
    return seconds


def _fetch(conn: sqlite3.Connection, sql: str) -> list:
    return conn.execute(sql).fetchall()


def best(fn, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def service_part(path: Path, repeat: int) -> None:
    plain = sqlite3.connect(path)
    with Journal(path, actor="bench") as j:
        print(f"\n{'query':<36}{'rows':>8}{'warroom ms':>12}{'sqlite3 ms':>12}{'ratio':>8}")
        for label, flt, where, order, offset, limit in QUERIES:
            ours, rows = best(functools.partial(people.page, j.conn, flt, offset, limit,
                                                AT), repeat)
            sql = (f"SELECT * FROM people WHERE {where} ORDER BY {order}"
                   f" LIMIT {limit} OFFSET {offset}")
            base, base_rows = best(functools.partial(_fetch, plain, sql), repeat)
            same = "" if rows == base_rows else f"  (baseline {base_rows:,} rows)"
            print(f"{label:<36}{rows:>8,}{ours * 1000:>12.1f}{base * 1000:>12.1f}"
                  f"{ours / base if base else float('inf'):>8.1f}{same}")
        started = time.perf_counter()
        outcome = machine.apply(j, holds.plan(j.conn, PeopleFilter(),
                                              holds.HoldChange(state=HoldState.PLACED)))
        seconds = time.perf_counter() - started
        print(f"\nhold placed for every other person: {len(outcome.changed):,} events"
              f" in {seconds:.1f}s ({len(outcome.changed) / seconds:,.0f} a second)")
    plain.close()


# ---------------------------------------------------------------- the console's part

# (label, tab, the keys (the last one timed), the keys that undo them (to time them again),
# the same count and page in plain sqlite3: WHERE, ORDER BY, OFFSET (negative: from the end))
STONE = next(f for f in FACILITIES if "Stone" in f)
SEARCH = ["slash", "K", "R", "A", "enter"]
KEYS = [
    ("high-risk (!)", "notify", ["exclamation_mark"], ["exclamation_mark"], "high_risk", "id",
     0),
    ("high-risk off (!)", "notify", ["exclamation_mark"], ["exclamation_mark"], "1", "id", 0),
    ("search (/ KRA ⏎)", "notify", SEARCH, ["escape"],
     "(full_name LIKE '%KRA%' OR a_number LIKE '%KRA%' OR counsel LIKE '%KRA%')", "id", 0),
    ("clear the search (esc)", "notify", ["escape"], SEARCH, "1", "id", 0),
    (f"facility (f, pick {STONE.split()[0]} ⏎)", "notify", ["f", "pick:" + STONE], ["escape"],
     f"facility LIKE '%{STONE}%'", "id", 0),
    ("page down (PgDn)", "notify", ["pagedown"], ["home"], "1", "id", 0),
    ("to the last person (End)", "notify", ["end"], ["home"], "1", "id", -100),
    ("back to the first (Home)", "notify", ["home"], ["end"], "1", "id", 0),
    ("work order (w)", "holds", ["w"], ["w"], "1",
     "coalesce(removal_date, '9999-12-31'), high_risk DESC, id", 0),
    ("alarms (a)", "holds", ["a"], ["a"],
     "removal_date IS NOT NULL AND removed_at IS NULL AND hold_state IN ('placed','requested')",
     "id", 0),
]


def _baseline(conn: sqlite3.Connection, where: str, order: str, offset: int) -> int:
    """The count and the page the console reads, in plain sqlite3."""
    total = conn.execute(f"SELECT count(*) FROM people WHERE {where}").fetchone()[0]
    start = max(0, total + offset) if offset < 0 else offset
    rows = conn.execute(f"SELECT * FROM people WHERE {where} ORDER BY {order}"
                        f" LIMIT 100 OFFSET {start}").fetchall()
    return len(rows)


async def _highlight(pilot, value: str) -> None:
    """Wait for the picker the key before opened, and move to `value` in it."""
    from warroom.tui.dialogs.pick import PickScreen

    app = pilot.app
    while not isinstance(app.screen, PickScreen):
        await pilot.pause(0)
    choices = [v for v, _ in app.screen.choices]
    app.screen.query_one("OptionList").highlighted = choices.index(value) + 1


async def _press(pilot, keys: list[str]) -> None:
    """Press keys, each handled before the next ("pick:VALUE" chooses in a picker); untimed."""
    for key in keys:
        if key.startswith("pick:"):
            await _highlight(pilot, key[5:])
            key = "enter"
        await pilot.press(key)


class Repaints:
    """When the list last drew its first row in view from data of the filter asked for
    (not a placeholder): its `render_line`, watched."""

    def __init__(self, view) -> None:
        self.at = 0.0
        draw = view.render_line

        def render_line(y: int):
            strip = draw(y)
            top = int(view.scroll_offset.y)
            if (y == 0 and view.shown == view.generation
                    and (view.total == 0 or view.item_at(top) is not None)):
                self.at = time.perf_counter()
            return strip

        view.render_line = render_line


async def _timed(pilot, view, repaints: Repaints, keys: list[str]) -> float:
    """Seconds from the last key (sent as a terminal sends it) to the repaint of the list
    with the rows it asked for; the keys before it are pressed untimed."""
    from textual import events

    *first, last = keys
    await _press(pilot, first)
    if last.startswith("pick:"):
        await _highlight(pilot, last[5:])
        last = "enter"
    scroll = last in ("pagedown", "pageup", "end", "home")
    before = view.generation
    char = {"exclamation_mark": "!", "slash": "/", "enter": "\r"}.get(
        last, last if len(last) == 1 else None)
    sent = time.perf_counter()
    pilot.app._driver.send_message(events.Key(last, char))
    while not (repaints.at > sent and view.shown == view.generation
               and (scroll or view.generation != before)):
        if time.perf_counter() - sent > 30:
            raise RuntimeError(f"{keys}: no repaint in 30 s (generation {before} →"
                               f" {view.generation}, shown {view.shown}, focus"
                               f" {pilot.app.focused}, {view.filter})")
        await asyncio.sleep(0.0005)
    return repaints.at - sent


async def _console(path: Path, repeat: int) -> list[tuple[str, float, float, float, int]]:
    from warroom.tui.app import WarroomApp

    plain = sqlite3.connect(path)
    app = WarroomApp(path, clock=lambda: AT, cursor_blink=False)
    results = []
    async with app.run_test(size=(100, 30)) as pilot:
        tab = None
        for label, wanted, keys, undo, where, order, offset in KEYS:
            if wanted != tab:
                await pilot.press({"notify": "3", "holds": "4"}[wanted])
                while wanted not in app.panels or not app.panels[wanted].view.loaded:
                    await pilot.pause(0.05)
                tab = wanted
                view = app.panels[tab].view
                repaints = Repaints(view)
                await app.workers.wait_for_complete()
                await pilot.pause()
            times, base_times = [], []
            for n in range(repeat):
                times.append(await _timed(pilot, view, repaints, keys))
                await app.workers.wait_for_complete()
                await pilot.pause()
                if n < repeat - 1:                   # undo it, to time it again
                    await _press(pilot, undo)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                started = time.perf_counter()
                rows = _baseline(plain, where, order, offset)
                base_times.append(time.perf_counter() - started)
            results.append((label, statistics.median(times), max(times),
                            statistics.median(base_times), rows))
    plain.close()
    return results


def console_part(path: Path, repeat: int) -> None:
    """Median and worst of `repeat` presses (the worst is the first read of a page that a
    scroll key then finds in the list's cache), against the median of plain sqlite3."""
    results = asyncio.run(_console(path, repeat))
    print(f"\n{'console key (100×30)':<36}{'rows':>6}{'console ms':>12}{'worst':>8}"
          f"{'sqlite3 ms':>12}{'ratio':>7}")
    for label, ours, worst, base, rows in results:
        flag = "" if ours < 0.100 else "  over 100 ms"
        print(f"{label:<36}{rows:>6,}{ours * 1000:>12.1f}{worst * 1000:>8.1f}"
              f"{base * 1000:>12.1f}{ours / base if base else float('inf'):>7.1f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--part", choices=("all", "service", "console"), default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.db"
        started = time.perf_counter()
        holds_6252 = build(path, args.people)
        print(f"built {args.people:,} people in {time.perf_counter() - started:.1f}s;"
              f" 6,252 holds placed (one event each) in {holds_6252:.2f}s")
        if args.part in ("all", "console"):
            console_part(path, args.repeat)
        if args.part in ("all", "service"):
            service_part(path, args.repeat)


if __name__ == "__main__":
    main()
