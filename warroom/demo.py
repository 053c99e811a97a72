"""The built-in demo: a fictitious incident shaped like the real one, built through the same
service functions a responder uses, so the demo always shows the real product.

An agency page posted a spreadsheet of 6,252 made-up people at 09:45; a CDN cached it; an
advocacy group tipped at 13:53; the origin was deleted at 14:04 and the CDN purged; a later tip
found a copy on a mirror that is still live. The day is the latest one on which all of this
lies in the past, in the machine's local time zone.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path

from warroom.errors import WarroomError
from warroom.incident import add_location, location_state, open_incident, record
from warroom.journal import Journal
from warroom.model import Kind, LocationKind, LocationState, now
from warroom.synthetic import people as fake_people
from warroom.tips import add_tip

PEOPLE = 6252
ORIGIN = "https://www.agency.example/sites/default/files/detention-stats-fy23.xlsx"
CDN = "https://cdn.agency.example/sites/default/files/detention-stats-fy23.xlsx"
MIRROR = "https://files.mirror.example/d/8f2c/detention-stats-fy23.xlsx"
ADVOCATES = "Advocates for Detained Families (fictitious)"
ACTOR = "demo"

PREFIX = "warroom-demo-"   # the demo's temporary folders, in $TMPDIR
PID_FILE = "pid"          # names the process a folder belongs to

Step = Callable[[str], None]


def demo_day(at: datetime | None = None) -> datetime:
    """09:45 local on the latest day whose demo events (until 16:00) are all past."""
    at = at or now()
    day = at.date() if at.time() >= time(16, 0) else at.date() - timedelta(days=1)
    return datetime.combine(day, time(9, 45), tzinfo=at.tzinfo)


def build_demo(path: str | Path, at: datetime | None = None, step: Step | None = None) -> Path:
    """Create the demo journal at `path` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise WarroomError(f"{path} exists already: the demo builds a new journal")
    t0 = demo_day(at)

    def t(hours: int, minutes: int) -> datetime:
        return t0.replace(hour=hours, minute=minutes)

    say = step or (lambda _msg: None)
    with Journal(path, create=True, actor=ACTOR) as j:
        say("opening the incident")
        open_incident(j, "Detained-population file posted on agency site (DEMO)",
                      "Fictitious demo incident. Every name and number is made up.", at=t(13, 55))
        say("locations and the exposure")
        add_location(j, ORIGIN, LocationKind.ORIGIN, at=t(13, 55), note="agency statistics page")
        record(j, Kind.POSTED, ORIGIN, {"url": ORIGIN, "source": "access log: first 200"},
               at=t(9, 45))
        add_location(j, CDN, LocationKind.CDN, at=t(13, 58))
        record(j, Kind.POSTED, CDN, {"url": CDN, "source": "CDN log: first cache fill"},
               at=t(9, 47))
        record(j, Kind.DOWNLOADED, "198.51.100.23",
               {"client": "198.51.100.23", "complete": True, "source": "access log"},
               at=t(10, 11))
        add_tip(j, ADVOCATES, "Your website has a spreadsheet listing people in detention,"
                " with names and A-numbers. Please take it down.", url=ORIGIN,
                discovery=True, at=t(13, 53))
        location_state(j, ORIGIN, LocationState.LIVE, at=t(13, 58), kind=Kind.VERIFIED, status=200)
        record(j, Kind.TAKEN_DOWN, ORIGIN, {"url": ORIGIN, "by": "web-ops"}, at=t(14, 4))
        record(j, Kind.CDN_PURGED, CDN, {"url": CDN, "by": "web-ops"}, at=t(14, 12))
        location_state(j, ORIGIN, LocationState.VERIFIED_DOWN, at=t(14, 20), kind=Kind.VERIFIED,
                       status=404)
        location_state(j, CDN, LocationState.VERIFIED_DOWN, at=t(14, 21), kind=Kind.VERIFIED,
                       status=404)
        record(j, Kind.CISA_REPORTED, None, {"ticket": "DEMO-0001"}, at=t(14, 50))
        record(j, Kind.PRIVACY_OFFICER_NOTIFIED, None, {}, at=t(14, 55))
        say(f"acquiring and scanning the spreadsheet of {PEOPLE:,} made-up people")
        _artifact(j, t(14, 10))
        add_tip(j, ADVOCATES, "A copy of the list is on a file-sharing mirror; a client of"
                " ours found her name in it.", url=MIRROR, at=t(15, 40))
        add_location(j, MIRROR, LocationKind.MIRROR, at=t(15, 42))
        record(j, Kind.POSTED, MIRROR, {"url": MIRROR, "source": "mirror upload date"},
               at=t(11, 2))
        location_state(j, MIRROR, LocationState.LIVE, at=t(15, 45), kind=Kind.VERIFIED, status=200)
    return path


def _artifact(j: Journal, at: datetime) -> None:
    """The leaked spreadsheet, generated, then acquired, scanned and imported through the
    same services a responder uses."""
    from warroom.artifact.service import acquire_and_scan
    from warroom.synthetic import write_xlsx

    with scratch() as tmp:
        sheet = tmp / "detention-stats-fy23.xlsx"
        write_xlsx(sheet, fake_people(PEOPLE), title="Detained population as of 11/19/2022")
        acquire_and_scan(j, str(sheet), import_people_too=True, at=at)


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
def _exit_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit (128 + signal, as a shell reports it), so every
    `finally` runs. A signal already ignored (nohup) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is not signal.SIG_IGN:
            before[sig] = signal.signal(sig, _exit) or signal.SIG_DFL
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)
