"""Probes: does each location still serve the file? Decided by content, never by status.

One probe of a URL is a HEAD, then a GET for at most the bytes needed (`content.py`), every
redirect hop kept. Its verdict: found (an evidence copy's bytes, or enough of its A-numbers),
gone (a 4xx, or a 2xx with other content: a "not found" page is gone), or unsure (a timeout,
a refused connection, a 5xx, no evidence copy: nothing was learned, so nothing moves and the
run of negatives is neither broken nor lengthened).

The state follows by the confirmation rule (`journal.exposure_projections.next_location_state`):
found is live; gone is down, verified down after `confirm` consecutive negatives spread over
at least `over`. Every check is journaled (a `location_state` event with its evidence); the
run of negatives lives in the `locations` projection, and a check decided on a stale read
(another probe wrote first) is refused by the journal and decided again. The file back after
it was verified down is an alarm: a `repost_detected` event beside the check.

HTTP runs on asyncio (httpx, a semaphore bounding the checks in flight); SQLite in one thread
of its own, so the event loop never waits on the journal.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from warroom import __version__
from warroom.errors import JournalBusy, WarroomError
from warroom.exposure.content import Evidence, Reading, Targets, document_numbers, load_evidence
from warroom.exposure.locations import add_reached, stored_url
from warroom.journal import Journal, queries
from warroom.journal.exposure_projections import next_location_state
from warroom.journal.projections import StaleDecision
from warroom.model import Draft, Kind, LocationState, now, payload_for, to_utc_text
from warroom.model.kinds import Match, Verdict
from warroom.model.payloads import LocationChecked

MAX_REDIRECTS = 5
RETRIES = 20
_NOT_GONE = frozenset({408, 425, 429})     # 4xx that say "later", not "no such file"


@dataclass(frozen=True)
class Timeouts:
    """Seconds: to connect, between two reads, and for the whole of one check."""

    connect: float = 5.0
    read: float = 15.0
    total: float = 60.0


@dataclass(frozen=True)
class Rule:
    """Verified down: `confirm` consecutive negative checks spread over at least `over`."""

    confirm: int = 3
    over: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        if self.confirm < 1 or self.over < timedelta(0):
            raise WarroomError("the rule needs --confirm 1 or more and --over 0 or more")

    @property
    def seconds(self) -> int:
        return int(self.over.total_seconds())


@dataclass(frozen=True)
class Check:
    """What one probe of a URL found (nothing journaled yet)."""

    url: str
    verdict: Verdict
    match: Match = Match.NONE
    status: int | None = None
    head: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    bytes: int = 0
    sha256: str | None = None           # of the bytes, when they were read whole
    share: float | None = None
    found: int | None = None
    artifact: str | None = None
    error: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ProbeResult:
    """A check as journaled: the state it moved the location from and to."""

    url: str
    was: str
    state: str
    negatives: int
    at: datetime
    check: Check
    event_id: int
    alarm: bool = False                 # the file is back after it was verified down
    added: list[str] = field(default_factory=list)   # locations a redirect led to

    @property
    def changed(self) -> bool:
        return self.was != self.state

    def as_json(self) -> dict:
        doc = {**asdict(self), **asdict(self.check), "changed": self.changed,
               "at": to_utc_text(self.at)[0], "redirects": list(self.check.redirects)}
        del doc["check"]
        return doc


# ---------------------------------------------------------------- one look at one URL


async def look(client, url: str, targets: Targets, timeouts: Timeouts = Timeouts()) -> Check:
    """HEAD, then a GET capped at what the content rule needs; the verdict from the bytes."""
    import httpx

    try:
        async with asyncio.timeout(timeouts.total):
            head = await _head(client, url)
            got = await _get(client, url, targets, head)
    except TimeoutError:
        return _unsure(url, f"no answer within {timeouts.total:g}s")
    except httpx.TooManyRedirects:
        return _unsure(url, f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException as exc:
        return _unsure(url, f"timed out ({type(exc).__name__})")
    except httpx.ConnectError as exc:
        return _unsure(url, f"cannot connect ({exc or 'refused'})")
    except httpx.HTTPError as exc:
        return _unsure(url, f"cannot fetch ({type(exc).__name__}: {exc})")
    if isinstance(got, Check):
        return got
    return await _judge(*got)


def _unsure(url: str, error: str, **known) -> Check:
    return Check(url, Verdict.UNSURE, error=error, note=error, **known)


async def _head(client, url: str) -> tuple[int | None, int | None]:
    """(status, length) from a HEAD; (None, None) when the server will not say (a failed
    connection is raised: the GET would fail too)."""
    import httpx

    try:
        response = await client.head(url)
    except (httpx.ConnectError, httpx.ConnectTimeout):
        raise
    except httpx.HTTPError:     # a server that mishandles HEAD: the GET will tell
        return None, None
    length = response.headers.get("content-length", "")
    return response.status_code, int(length) if length.isdigit() else None


async def _get(client, url: str, targets: Targets, head: tuple[int | None, int | None]):
    headers = {"Range": f"bytes=0-{targets.cap - 1}", "Accept-Encoding": "identity"}
    async with client.stream("GET", url, headers=headers) as response:
        status = response.status_code
        known = {"status": status, "head": head[0], "final_url": stored_url(str(response.url)),
                 "redirects": tuple(f"{r.status_code} {stored_url(str(r.url))}"
                                    for r in response.history)}
        if not 200 <= status < 300:
            if 400 <= status < 500 and status not in _NOT_GONE:
                return Check(url, Verdict.GONE, note=f"HTTP {status}", **known)
            return _unsure(url, f"HTTP {status}: the server did not say", **known)
        total = _total(response, head[1] if head[0] and 200 <= head[0] < 300 else None)
        reading = Reading(targets, total)
        whole = True
        async for chunk in response.aiter_bytes():
            room = targets.cap - reading.read
            reading.feed(chunk[:room])
            if len(chunk) >= room or reading.decided:
                whole = False
                break
        whole = whole and (total is None or reading.read == total)
    name = Path(unquote(urlsplit(str(response.url)).path)).name or "download"
    return url, targets, reading, whole, name, known


def _total(response, head_length: int | None) -> int | None:
    """The size of the whole file: a 206's Content-Range, a 200's Content-Length, or HEAD's."""
    if response.status_code == 206:
        _, _, size = response.headers.get("content-range", "").rpartition("/")
        return int(size) if size.isdigit() else None
    length = response.headers.get("content-length", "")
    return int(length) if length.isdigit() else head_length


async def _judge(url: str, targets: Targets, reading: Reading, whole: bool, name: str,
                 known: dict) -> Check:
    known = {**known, "bytes": reading.read}
    sha = reading.digest.hexdigest() if whole else None
    if not targets:
        return _unsure(url, "no evidence copy to compare with: acquire the file first",
                       sha256=sha, **known)
    if sha in targets.by_sha:
        return Check(url, Verdict.FOUND, Match.SHA256, sha256=sha, artifact=sha,
                     note=f"the same bytes as the evidence copy {sha[:12]}…", **known)
    if reading.document and not reading.tally.enough and targets.owners:
        if not whole:
            return _unsure(url, f"a document over the {targets.cap:,}-byte read cap:"
                                " not compared", **known)
        try:
            reading.tally.add(await asyncio.to_thread(document_numbers, bytes(reading.kept),
                                                      name))
        except WarroomError as exc:
            return _unsure(url, str(exc), sha256=sha, **known)
    evidence, n, share = reading.tally.best()
    counted = {"share": round(share, 4), "found": n,
               "artifact": evidence.sha256 if evidence else None} if evidence else {}
    if reading.tally.enough:
        what = "a changed copy" + ("" if whole else " (at least: the read stopped once it was"
                                   " clear)")
        return Check(url, Verdict.FOUND, Match.A_NUMBERS, sha256=sha, **counted, **known,
                     note=_counted(n, evidence, share, what))
    said = ("a page saying the file is not there (a soft 404)" if reading.says_not_found()
            else "other content")
    if n:
        said += "; " + _counted(n, evidence, share, "below the threshold")
    return Check(url, Verdict.GONE, sha256=sha, note=f"HTTP {known['status']}, {said}",
                 **counted, **known)


def _counted(n: int, evidence: Evidence, share: float, what: str) -> str:
    return (f"{what}: {n:,} of the {len(evidence.a_numbers):,} A-numbers of the evidence copy"
            f" {evidence.sha256[:12]}… ({share:.0%})")


# ---------------------------------------------------------------- journaling a check


def record_check(journal: Journal, check: Check, *, rule: Rule = Rule(),
                 at: datetime | None = None) -> ProbeResult:
    """Journal one check: its state from the confirmation rule and the location's state in the
    journal, read again and decided again if another process wrote first."""
    at = at or now()
    when = to_utc_text(at)[0]
    for _ in range(RETRIES):
        row = queries.location(journal.conn, check.url)
        if row is None:
            raise WarroomError(f"{check.url} is no location of this incident")
        state, negatives, _ = next_location_state(
            row["state"], row["negatives"], row["first_negative_at"], check.verdict, when,
            rule.confirm, rule.seconds)
        uid = os.urandom(16).hex()
        payload = LocationChecked(
            url=check.url, state=state, was=row["state"], verdict=check.verdict,
            match=check.match, status=check.status, sha256=check.sha256, share=check.share,
            found=check.found, artifact=check.artifact, head=check.head,
            redirects=list(check.redirects) or None, final_url=check.final_url,
            bytes=check.bytes, error=check.error, note=check.note or None,
            negatives=negatives, confirm=rule.confirm, over=rule.seconds)
        drafts = [Draft(Kind.LOCATION_STATE, check.url, payload.data(), at, uid=uid)]
        alarm = state == LocationState.LIVE and row["state"] == LocationState.VERIFIED_DOWN
        if alarm:
            back = payload_for(Kind.REPOST_DETECTED)(url=check.url, ref=uid, text=(
                f"the file is served again after it was verified down ({check.note})"))
            drafts.append(Draft(Kind.REPOST_DETECTED, check.url, back.data(), at))
        try:
            event = journal.append_many(drafts)[0]
        except StaleDecision:
            continue
        added = []
        if check.verdict == Verdict.FOUND and check.final_url not in (None, check.url):
            reached = add_reached(journal, check.url, check.final_url, at=at,
                                  note=f"served the file, reached by a redirect from {check.url}")
            added = [reached.data["url"]] if reached else []
        return ProbeResult(check.url, row["state"], state, negatives, at, check, event.id,
                           alarm, added)
    raise JournalBusy(f"{check.url} kept changing while it was checked: try again")


# ---------------------------------------------------------------- rounds


class _JournalThread:
    """The one thread that holds the probes' journal connection (a sqlite3 connection belongs
    to its thread): the event loop hands it every read and write."""

    def __init__(self, path: Path, actor: str | None) -> None:
        self.path, self.actor = path, actor
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="warroom-probe-journal")
        self.journal: Journal | None = None

    def _run(self, fn, args):
        if self.journal is None:
            self.journal = Journal(self.path, actor=self.actor)
        return fn(self.journal, *args)

    async def __call__(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._run, fn, args)

    def close(self) -> None:
        if self.journal is not None:
            self.pool.submit(self.journal.close).result()
        self.pool.shutdown()


def _prepare(journal: Journal, urls: list[str] | None, cache: dict):
    places = queries.locations(journal.conn)
    if urls is not None:
        unknown = set(urls) - {x["url"] for x in places}
        if unknown:
            raise WarroomError(f"no such location: {', '.join(sorted(unknown))}")
        places = [x for x in places if x["url"] in urls]
    return [x["url"] for x in places], load_evidence(journal, cache)


class Prober:
    """Rounds of probes over one journal, sharing one HTTP client and one journal thread."""

    def __init__(self, journal_path: str | os.PathLike[str], *, rule: Rule = Rule(),
                 concurrency: int = 8, timeout: Timeouts = Timeouts(), client=None,
                 clock: Callable[[], datetime] = now, actor: str | None = "probe") -> None:
        if concurrency < 1:
            raise WarroomError("concurrency must be 1 or more")
        self.rule, self.timeout, self.clock, self.actor = rule, timeout, clock, actor
        self.limit = asyncio.Semaphore(concurrency)
        self.journal = _JournalThread(Path(journal_path), actor)
        self.evidence: dict[str, Evidence] = {}
        self.client, self._own_client = client, client is None
        if client is None:
            import httpx

            self.client = httpx.AsyncClient(
                follow_redirects=True, max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(timeout.read, connect=timeout.connect),
                limits=httpx.Limits(max_connections=concurrency),
                headers={"User-Agent": f"warroom/{__version__} (incident response; probe)"})

    async def round(self, urls: list[str] | None = None) -> list[ProbeResult]:
        """Probe every location (or those given) once; results in the locations' order."""
        places, targets = await self.journal(_prepare, urls, self.evidence)

        async def one(url: str) -> ProbeResult:
            async with self.limit:
                check = await look(self.client, url, targets, self.timeout)
            return await self.journal(lambda j: record_check(j, check, rule=self.rule,
                                                             at=self.clock()))

        return list(await asyncio.gather(*(one(url) for url in places)))

    async def aclose(self) -> None:
        if self._own_client:
            await self.client.aclose()
        await asyncio.to_thread(self.journal.close)

    async def __aenter__(self) -> Prober:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def probe_all(journal_path: str | os.PathLike[str], *, confirm: int = 3,
              over: timedelta = timedelta(minutes=30), concurrency: int = 8,
              timeout: Timeouts = Timeouts(), client=None, at: datetime | None = None,
              urls: list[str] | None = None, actor: str | None = "probe") -> list[ProbeResult]:
    """One round over every location (`warroom probe --once`; `confirm=2, over=0` for a
    quick check). `at` fixes the time the checks are journaled at (tests, replays)."""
    clock = (lambda: at) if at is not None else now

    async def run() -> list[ProbeResult]:
        async with Prober(journal_path, rule=Rule(confirm, over), concurrency=concurrency,
                          timeout=timeout, client=client, clock=clock, actor=actor) as prober:
            return await prober.round(urls)

    return asyncio.run(run())


def finished(results: list[ProbeResult]) -> bool:
    """Nothing left to watch: every location is verified down (or there is none)."""
    return all(r.state == LocationState.VERIFIED_DOWN for r in results)


async def watch_rounds(journal_path: str | os.PathLike[str], *, interval: float = 60.0,
                       rounds: int | None = None,
                       sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                       **options) -> AsyncIterator[list[ProbeResult]]:
    """Rounds every `interval` seconds, each yielded, until every location is verified down
    (or `rounds` were run); `options` are the Prober's (rule, clock, client, …)."""
    async with Prober(journal_path, **options) as prober:
        done = 0
        while True:
            results = await prober.round()
            yield results
            done += 1
            if finished(results) or (rounds is not None and done >= rounds):
                return
            await sleep(interval)


def watch(journal_path: str | os.PathLike[str], *, interval: float = 60.0,
          rounds: int | None = None, **options) -> Iterator[list[ProbeResult]]:
    """`watch_rounds` for a caller without an event loop (`warroom probe --interval S`): a
    generator of rounds; Ctrl-C ends it between or inside a round."""
    with asyncio.Runner() as runner:
        rounds_ = watch_rounds(journal_path, interval=interval, rounds=rounds, **options)
        try:
            while True:
                try:
                    results = runner.run(anext(rounds_))
                except StopAsyncIteration:
                    return
                yield results
        finally:
            runner.run(rounds_.aclose())
