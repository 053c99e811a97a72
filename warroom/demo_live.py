"""The live part of the demo: the real probes watch the origin and the mirror on the demo's
own server while the demo pulls the file from one and then the other, so a newcomer sees the
locations go live → down → verified down and the exposure clock stop.

The plan: a round of probes every 10 seconds (verified down after 2 negative checks over at
least 8 seconds); the web team deletes the file at the origin before the round at 20 s (a
404), the mirror's host replaces it with a "file not found" page before the round at 40 s (a
200 that only the content tells apart). So the origin is verified down at 30 s, the mirror at
50 s, and the rounds end. At each pull the takedown request is acknowledged (the web team, the
mirror's host); that the file is gone, only the probes say.

In the console it runs in real time on a thread of its own (its own journal connections; the
console polls the journal and shows what it writes). Without a console it runs at once on a
fixed clock (`start`): the same events at the same distances, without the wait.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from warroom.demo_site import MIRROR_PATH, ORIGIN_PATH, DemoSite
from warroom.exposure.probe import ProbeResult, Rule, Timeouts
from warroom.model import LocationKind, now, to_utc_text
from warroom.model.kinds import TakedownState


@dataclass(frozen=True)
class Pull:
    """The file taken down at `path` before the round at `second`, by `by`."""

    second: float
    path: str
    by: str                     # who says so: the takedown request is acknowledged
    soft: bool = False          # a 200 "file not found" page instead of a 404


QUICK = Rule(2, timedelta(seconds=8))     # a demo's minute, not a real incident's half hour


@dataclass(frozen=True)
class Plan:
    interval: float = 10.0
    rule: Rule = QUICK
    watched: tuple[tuple[str, LocationKind], ...] = ((ORIGIN_PATH, LocationKind.ORIGIN),
                                                     (MIRROR_PATH, LocationKind.MIRROR))
    pulls: tuple[Pull, ...] = (Pull(20.0, ORIGIN_PATH, "web-ops"),
                               Pull(40.0, MIRROR_PATH, "the mirror's host", soft=True))
    rounds: int = 10            # at most: the live part ends whatever the probes find
    lead: float = 1.5           # on a thread, seconds before anything: the console's
                                # first frame goes first

    @property
    def seconds(self) -> float:
        """The longest the plan can take."""
        return self.interval * (self.rounds - 1)


PLAN = Plan()
TIMEOUTS = Timeouts(connect=2.0, read=5.0, total=10.0)   # loopback answers at once


@dataclass
class Round:
    second: float
    at: datetime
    pulled: list[str]
    results: list[ProbeResult]


@dataclass
class Live:
    """The live part over the demo journal at `db` and its `site`; `start` fixes the clock
    (the plan runs at once), else it runs in real time."""

    db: Path
    site: DemoSite
    start: datetime | None = None
    plan: Plan = PLAN
    actor: str = "demo"
    rounds: list[Round] = field(default_factory=list)
    error: str | None = None

    def __post_init__(self) -> None:
        self.kinds = {self.site.url(path): kind for path, kind in self.plan.watched}
        self._second = 0.0
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ running it
    def run(self) -> list[Round]:
        """The whole plan in this thread; the rounds it ran."""
        asyncio.run(self._run())
        return self.rounds

    def begin(self) -> Live:
        """The plan in real time on a daemon thread (a failure is kept in `error`)."""
        def guarded() -> None:
            if self._stopped.wait(self.plan.lead):   # not even an import before the frame
                return
            try:
                self.run()
            except Exception as exc:   # the console is on screen: no traceback over it
                self.error = f"{type(exc).__name__}: {exc}"

        self._thread = threading.Thread(target=guarded, name="warroom-demo-live", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop between two rounds (a round on loopback takes a moment)."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def now(self) -> datetime:
        if self.start is None:
            return now()
        return self.start + timedelta(seconds=self._second)

    async def _run(self) -> None:
        from warroom.exposure.probe import Prober, finished
        from warroom.journal import Journal

        began = time.monotonic()
        pending = list(self.plan.pulls)
        with Journal(self.db, actor=self.actor) as journal:
            async with Prober(self.db, rule=self.plan.rule, timeout=TIMEOUTS, clock=self.now,
                              actor="probe") as prober:
                for n in range(self.plan.rounds):
                    second = n * self.plan.interval
                    if not await self._until(began + second):
                        return
                    self._second = second
                    due = [p for p in pending if p.second <= second]
                    for pull in due:
                        self._pull(journal, pull)
                        pending.remove(pull)
                    results = await prober.round(list(self.kinds))
                    self.rounds.append(Round(second, self.now(), [
                        str(self.kinds[self.site.url(p.path)]) for p in due], results))
                    if not pending and finished(results):
                        return

    async def _until(self, moment: float) -> bool:
        """Wait until `moment` (monotonic) in real time; False once stopped."""
        delay = moment - time.monotonic()
        if self.start is None and delay > 0:
            return not await asyncio.to_thread(self._stopped.wait, delay)
        return not self._stopped.is_set()

    def _pull(self, journal, pull: Pull) -> None:
        """The file goes; its takedown request is acknowledged. Whether it is gone is the
        probes' to say (a `taken_down` statement would mark it down before they look)."""
        from warroom.exposure.takedown import set_state

        self.site.pull(pull.path, soft=pull.soft)
        set_state(journal, self.site.url(pull.path), TakedownState.ACKNOWLEDGED, by=pull.by,
                  at=self.now())

    # ------------------------------------------------------------ what it did
    def as_json(self) -> dict:
        return {
            "site": self.site.base, "interval": self.plan.interval,
            "rule": {"confirm": self.plan.rule.confirm, "over": self.plan.rule.seconds},
            "rounds": [{"second": r.second, "at": to_utc_text(r.at)[0], "pulled": r.pulled,
                        "checks": {str(self.kinds[x.url]): {
                            "was": x.was, "state": x.state, "verdict": x.check.verdict,
                            "status": x.check.status, "match": x.check.match,
                            "note": x.check.note} for x in r.results}}
                       for r in self.rounds],
            "error": self.error,
        }
