"""Roster benchmark: 100,000 made-up people; each FILTERS query as `warroom people` and the
console's Notify and Holds tabs run it (`checklists.people.page`: the filter, the flags, who
touched each person, redacted dicts) against the same selection in plain sqlite3 (`SELECT *`
with the same WHERE and ORDER BY, rows as tuples) in the same run; and bulk moves journaled
one event a person (6,252 holds, then every person).

    python bench/roster.py [--people 100000] [--repeat 5]

Goals (issue 9): a filtered page within a few times plain sqlite3 and under 100 ms; 6,252
holds in seconds, not minutes. (The console's part of this bench is for later.)
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.db"
        started = time.perf_counter()
        holds_6252 = build(path, args.people)
        print(f"built {args.people:,} people in {time.perf_counter() - started:.1f}s;"
              f" 6,252 holds placed (one event each) in {holds_6252:.2f}s")
        plain = sqlite3.connect(path)
        with Journal(path, actor="bench") as j:
            print(f"\n{'query':<36}{'rows':>8}{'warroom ms':>12}{'sqlite3 ms':>12}{'ratio':>8}")
            for label, flt, where, order, offset, limit in QUERIES:
                ours, rows = best(functools.partial(people.page, j.conn, flt, offset, limit,
                                                    AT), args.repeat)
                sql = (f"SELECT * FROM people WHERE {where} ORDER BY {order}"
                       f" LIMIT {limit} OFFSET {offset}")
                base, base_rows = best(functools.partial(_fetch, plain, sql), args.repeat)
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


if __name__ == "__main__":
    main()
