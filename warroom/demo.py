"""The built-in demo: a fictitious incident shaped like the real one, built through the same
service functions a responder uses, so the demo always shows the real product.

The story, in minutes before the demo's present (the real case's clock in brackets: the
present is about 14:05): an agency posted a spreadsheet of 6,252 made-up people on its site
260 minutes ago [09:45]; its CDN cached it; clients downloaded it (a bot, complete and partial
downloads: the access log); a copy went up on a mirror [11:02]; an advocacy group tipped 12
minutes ago [13:53]. The responders opened the incident, acquired and scanned the file from
the origin, asked the web team to delete it, purged the CDN, imported the access log,
reported to CISA, and just heard of the mirror from a second tip.

The origin and the mirror are real URLs on the demo's own web server on 127.0.0.1
(`demo_site`; the CDN there answers 404, purged): the acquisition is a real download, and the
live part (`demo_live`) pulls the file from both while the probes watch them go down.
Nothing but loopback is contacted.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from warroom.demo_live import PLAN, Live
from warroom.demo_site import CDN_PATH, MIRROR_PATH, ORIGIN_PATH, DemoSite, write_story_log
from warroom.errors import WarroomError
from warroom.incident import add_location, location_state, open_incident, record
from warroom.journal import Journal
from warroom.model import Kind, LocationKind, LocationState, now
from warroom.model.kinds import TakedownVia
from warroom.synthetic import people as fake_people
from warroom.tips import add_tip

PEOPLE = 6252
ADVOCATES = "Advocates for Detained Families (fictitious)"
ACTOR = "demo"
TITLE = "Detained population as of 11/19/2022"
SHEET = "detention-stats-fy23.xlsx"

PREFIX = "warroom-demo-"   # the demo's temporary folders, in $TMPDIR
PID_FILE = "pid"          # names the process a folder belongs to

Step = Callable[[str], None]


def spreadsheet() -> bytes:
    """The leaked spreadsheet: the same bytes on every build."""
    from warroom.synthetic import write_xlsx

    with scratch() as tmp:
        sheet = tmp / SHEET
        write_xlsx(sheet, fake_people(PEOPLE), title=TITLE)
        return sheet.read_bytes()


def serve(sheet: bytes) -> DemoSite:
    """The demo's web server (start it with `with`): the file at the origin and the mirror."""
    return DemoSite({ORIGIN_PATH: sheet, MIRROR_PATH: sheet})


@contextmanager
def staged(path: str | Path, *, fast: bool, step: Step | None = None) -> Iterator[Live]:
    """The demo built at `path`, its server serving, and its live part ready: `fast` runs on
    a clock fixed so that the whole plan lies in the past (`live.run()` takes no wait), else
    in real time from now (`live.begin()`). On exit the live part stops, the server closes."""
    say = step or (lambda _msg: None)
    present = now().replace(microsecond=0)
    if fast:
        present -= timedelta(seconds=PLAN.seconds)
    say(f"generating a spreadsheet of {PEOPLE:,} made-up people")
    sheet = spreadsheet()
    with serve(sheet) as site:
        build_demo(path, at=present, step=step, site=site)
        live = Live(Path(path), site, start=present if fast else None, actor=ACTOR)
        try:
            yield live
        finally:
            live.stop()


def build_demo(path: str | Path, at: datetime | None = None, step: Step | None = None,
               site: DemoSite | None = None) -> Path:
    """Create the demo journal at `path` (which must not exist yet), its story ending at `at`
    (default: now), its locations on `site` (default: a server for the build only)."""
    path = Path(path)
    if path.exists():
        raise WarroomError(f"{path} exists already: the demo builds a new journal")
    if site is None:
        with serve(spreadsheet()) as site:
            return build_demo(path, at, step, site)
    present = (at or now()).replace(microsecond=0)

    def t(minutes: float) -> datetime:
        return present - timedelta(minutes=minutes)

    origin, cdn, mirror = (site.url(p) for p in (ORIGIN_PATH, CDN_PATH, MIRROR_PATH))
    say = step or (lambda _msg: None)
    with Journal(path, create=True, actor=ACTOR) as j:
        say("opening the incident")
        open_incident(j, "Detained-population file posted on agency site (DEMO)",
                      "Fictitious demo incident. Every name and number is made up.", at=t(10))
        add_location(j, origin, LocationKind.ORIGIN, at=t(10), note="agency statistics page")
        _posted(j, origin, "the site's publishing log", t(260))
        add_tip(j, ADVOCATES, "Your website has a spreadsheet listing people in detention,"
                " with names and A-numbers. Please take it down.", url=origin,
                discovery=True, at=t(12))
        say(f"acquiring and scanning the spreadsheet of {PEOPLE:,} made-up people")
        _artifact(j, origin, t(9))
        _takedowns(j, origin, cdn, t)
        say("importing the agency's access log")
        _access_log(j, len(site.files[ORIGIN_PATH]), present, t(4))
        record(j, Kind.CISA_REPORTED, None, {"ticket": "DEMO-0001"}, at=t(3))
        record(j, Kind.PRIVACY_OFFICER_NOTIFIED, None, {}, at=t(3))
        add_tip(j, ADVOCATES, "A copy of the list is on a file-sharing mirror; a client of"
                " ours found her name in it.", url=mirror, at=t(2))
        add_location(j, mirror, LocationKind.MIRROR, at=t(2), note="file-sharing mirror")
        _posted(j, mirror, "mirror upload date", t(183))
        _request(j, mirror, TakedownVia.HOST, "abuse ticket DEMO-4471", t(1))
    return path


def _artifact(j: Journal, url: str, at: datetime) -> None:
    """The file, acquired from the origin (a real download from the demo's server; the origin
    is a known location, so its state is left to the posting and the probes), scanned and
    imported through the responder's services."""
    from warroom.artifact.service import acquire_and_scan

    acquire_and_scan(j, url, import_people_too=True, at=at)


def _takedowns(j: Journal, origin: str, cdn: str, t: Callable[[float], datetime]) -> None:
    """The web team is asked to delete the file; the CDN is purged and checked."""
    _request(j, origin, TakedownVia.SITE, "web-ops ticket DEMO-WEB-17", t(8))
    add_location(j, cdn, LocationKind.CDN, at=t(8), note="the agency's CDN")
    _posted(j, cdn, "CDN log: first cache fill", t(258))
    _request(j, cdn, TakedownVia.CDN_PURGE, "purge DEMO-P-0042", t(7))
    record(j, Kind.CDN_PURGED, cdn, {"url": cdn, "by": "web-ops"}, at=t(6))
    location_state(j, cdn, LocationState.VERIFIED_DOWN, at=t(5), kind=Kind.VERIFIED,
                   status=404)


def _posted(j: Journal, url: str, source: str, at: datetime) -> None:
    """When the file went up at a known location (its bar on the timeline starts there)."""
    record(j, Kind.POSTED, url, {"url": url, "source": source}, at=at)


def _request(j: Journal, url: str, via: TakedownVia, ref: str, at: datetime) -> None:
    from warroom.exposure.takedown import request

    request(j, url, via, ref=ref, at=at)


def _access_log(j: Journal, size: int, present: datetime, at: datetime) -> None:
    """The agency's access log (made-up clients), analysed and imported as a responder does
    with `warroom logs --import`."""
    from warroom.exposure.logs.analysis import analyze
    from warroom.exposure.logs.importer import import_downloaders

    with scratch() as tmp:
        log = write_story_log(tmp / "access.log", present, size)
        import_downloaders(j, analyze([log], ORIGIN_PATH, size=size), at=at)


# ---------------------------------------------------------------- the temporary folder


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder that goes however the demo ends: normally, on an error, on Ctrl-C,
    on SIGTERM and on SIGHUP (its terminal closed). SIGKILL cannot be caught: the folder
    names its process in a pid file, and the next demo removes folders whose process is gone."""
    remove_stale()
    with _exit_on_signals():
        folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        try:
            partial = folder / (PID_FILE + ".partial")   # whole or absent: never read half
            partial.write_text(f"{os.getpid()}\n")
            os.replace(partial, folder / PID_FILE)
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def remove_stale(base: str | Path | None = None) -> list[Path]:
    """Remove the demo folders left by a demo whose process is gone; returns them. Folders
    with no pid file, or whose process still runs, are left alone."""
    removed = []
    for folder in Path(base or tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            pid = int((folder / PID_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True   # another user's process
    return True


@contextmanager
def _exit_on_signals(handler: Callable[[int, object], None] | None = None) -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit (128 + signal, as a shell reports it), so every
    `finally` runs (or call `handler`). A signal already ignored (nohup) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is not signal.SIG_IGN:
            before[sig] = signal.signal(sig, handler or _exit) or signal.SIG_DFL
    try:
        yield
    finally:
        for sig, previous in before.items():
            signal.signal(sig, previous)


def _exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def stopping_console(stop: Callable[[], None]) -> Iterator[list[int]]:
    """While a console runs: SIGTERM and SIGHUP ask it to stop (`stop`, called on its event
    loop), so it ends its threads and gives the terminal back before the demo ends; yields the
    signals received (the caller then exits with 128 + the first). Raised in the middle of the
    console, SystemExit could leave its input thread running, and the process waiting on it
    for ever. A closing terminal sends SIGCONT with SIGHUP: ignored, or the console would
    "resume" as after Ctrl-Z; the console's SIGCONT handler is not left behind it either."""
    import asyncio

    got: list[int] = []

    def ask_to_stop(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGCONT, _ignore)
        got.append(signum)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:          # the console's loop is not running (yet, or any more)
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(stop)

    cont = signal.getsignal(signal.SIGCONT) or signal.SIG_DFL
    with _exit_on_signals(ask_to_stop):
        try:
            yield got
        finally:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGCONT, cont)


def _ignore(_signum: int, _frame: object) -> None:
    pass
