"""The demo: its temporary folder goes however the demo ends, its spreadsheet has the same
bytes on every build, the headless dashboard shows the whole timeline with the live part run
to its end, and it never waits on a terminal it does not have (the live part itself:
test_demo_live.py)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from clirun import WARROOM, installed, invoke, one_json, one_line

from warroom import demo
from warroom.synthetic import STAMP, people, write_xlsx

COMMAND = [str(WARROOM)] if WARROOM.exists() else [sys.executable, "-m", "warroom"]
DEMO_TITLE = demo.TITLE
PORT = re.compile(r"127\.0\.0\.1:\d+")


# ---------------------------------------------------------------- the headless dashboard


@pytest.fixture(scope="module")
def demo_json(tmp_path_factory):
    """`warroom demo --json` (no --headless: --json implies it), kept at --db."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    r = invoke("demo", "--json", "--db", db)
    assert r.exit_code == 0, r.stderr
    return db, one_json(r.stdout)


def test_demo_json_is_the_dashboard_and_every_event(demo_json):
    db, doc = demo_json
    assert doc["counts"]["people"] == 6252
    assert (doc["counts"]["downloaders"], doc["counts"]["bots"]) == (5, 1)   # the access log
    assert doc["clock"] == "CONTAINED"        # the live part pulled the file everywhere
    assert {x["kind"] for x in doc["locations"]} == {"origin", "cdn", "mirror"}
    assert all(x["url"].startswith("http://127.0.0.1:") for x in doc["locations"])
    events = doc["events"]
    assert len(events) == doc["counts"]["events"] > 12
    assert set(events[0]) == {"id", "kind", "occurred_at", "recorded_at", "actor", "summary"}
    occurred = [e["occurred_at"] for e in events]
    assert occurred == sorted(occurred, reverse=True)          # the timeline, newest first
    posted = [e for e in events if e["kind"] == "posted"]
    assert any("/sites/default/files/detention-stats-fy23.xlsx" in e["summary"] for e in posted)
    assert one_json(invoke("--db", db, "verify", "--json").stdout)["ok"]


def test_demo_json_tells_the_live_part(demo_json):
    _db, doc = demo_json
    live = doc["live"]
    assert live["site"].startswith("http://127.0.0.1:")
    assert live["final"] == {"origin": "verified_down", "cdn": "verified_down",
                             "mirror": "verified_down"}
    rounds = live["rounds"]
    assert [r["pulled"] for r in rounds] == [[], [], ["origin"], [], ["mirror"], []]
    assert [r["checks"]["origin"]["state"] for r in rounds][:4] == [
        "live", "live", "down", "verified_down"]
    assert [r["checks"]["mirror"]["state"] for r in rounds][3:] == [
        "live", "down", "verified_down"]
    assert rounds[0]["checks"]["mirror"]["match"] == "sha256"
    assert rounds[4]["checks"]["mirror"]["status"] == 200      # the soft 404, by content
    probes = [e for e in doc["events"] if e["actor"] == "probe"]
    assert len(probes) == 2 * len(rounds)
    assert max(e["occurred_at"] for e in doc["events"]) <= max(e["recorded_at"]
                                                               for e in doc["events"])


def test_demo_headless_prints_the_whole_timeline(tmp_path, monkeypatch, demo_json):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    r = invoke("demo", "--headless")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "CONTAINED after 4h 20m" in out and "people 6,252" in out
    assert "tip from Advocates" in out
    assert "not shown" not in out
    _db, doc = demo_json
    out = PORT.sub("127.0.0.1:PORT", out)       # each demo serves on a port of its own
    for event in doc["events"]:   # every event of the demo is there, not the last 12
        assert PORT.sub("127.0.0.1:PORT", event["summary"])[:40] in out
    assert not list(tmp_path.glob(demo.PREFIX + "*"))   # its folder is gone


# ---------------------------------------------------------------- no terminal, no hang


def test_demo_and_tui_on_a_pipe_say_so_at_once(tmp_path):
    env = {"TMPDIR": str(tmp_path)}
    r = installed("demo", env=env, timeout=60)
    assert r.returncode == 1 and r.stdout == ""
    assert one_line(r.stderr) == (
        "warroom: error: the console needs a terminal, and stdin and stdout are not one:"
        " use `warroom demo --headless` (or --json) to print the demo instead")
    installed("--db", tmp_path / "j.db", "init", "--name", "A")
    r = installed("--db", tmp_path / "j.db", env=env, timeout=60)   # `warroom` alone: tui
    assert r.returncode == 1 and "the console needs a terminal" in one_line(r.stderr)
    assert not list(tmp_path.glob(demo.PREFIX + "*"))


def test_demo_json_on_a_pipe_does_not_open_the_console(tmp_path):
    r = installed("demo", "--json", env={"TMPDIR": str(tmp_path)}, timeout=120)
    assert r.returncode == 0, r.stderr
    assert one_json(r.stdout)["counts"]["people"] == 6252
    assert not list(tmp_path.glob(demo.PREFIX + "*"))


# ---------------------------------------------------------------- the same spreadsheet


def test_the_spreadsheet_is_the_same_bytes_on_every_build(tmp_path, monkeypatch, demo_json):
    rows = people(demo.PEOPLE)
    write_xlsx(tmp_path / "one.xlsx", rows, title=DEMO_TITLE)
    later = time.time() + 400 * 86400
    monkeypatch.setattr(time, "time", lambda: later)   # zip entries take the clock's time
    write_xlsx(tmp_path / "two.xlsx", rows, title=DEMO_TITLE)
    one, two = (hashlib.sha256((tmp_path / n).read_bytes()).hexdigest()
                for n in ("one.xlsx", "two.xlsx"))
    assert one == two
    with zipfile.ZipFile(tmp_path / "one.xlsx") as book:
        assert {info.date_time for info in book.infolist()} == {STAMP.timetuple()[:6]}
        core = book.read("docProps/core.xml").decode()
    assert core.count(STAMP.strftime("%Y-%m-%dT%H:%M:%S")) == 2   # created and modified
    # the demo, built on another day, acquired the very same bytes
    db, _doc = demo_json
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT sha256 FROM artifacts").fetchall() == [(one,)]
    conn.close()


# ---------------------------------------------------------------- the temporary folder


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    """`warroom demo ARGS` with TMPDIR in tmp_path and the signals at their defaults (a test
    runner may have inherited them ignored)."""

    def defaults() -> None:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)

    return subprocess.Popen([*COMMAND, "demo", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=defaults,
                            env={**os.environ, "TMPDIR": str(tmp_path)})


def _folder(tmp_path: Path, proc: subprocess.Popen) -> Path:
    """Wait until the demo's folder holds its pid file: from then on it is the demo's."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = list(tmp_path.glob(f"{demo.PREFIX}*/{demo.PID_FILE}"))
        if found:
            return found[0].parent
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    raise AssertionError("the demo made no folder in 60 s")


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129),
                                         (signal.SIGINT, 130)])
def test_a_signal_while_building_removes_the_folder(tmp_path, sig, status):
    proc = _start(tmp_path, "--headless")
    folder = _folder(tmp_path, proc)
    assert (folder / demo.PID_FILE).read_text().strip() == str(proc.pid)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert not list(tmp_path.glob(demo.PREFIX + "*"))
    if sig == signal.SIGINT:
        assert err.strip() == "warroom: interrupted"


class Terminal:
    """`warroom demo` on a pty of its own (a session with the pty as its terminal), with
    TMPDIR in `tmp_path`; `read` collects what it draws."""

    def __init__(self, tmp_path: Path) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))

        def terminal() -> None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)

        self.proc = subprocess.Popen([*COMMAND, "demo"], stdin=slave, stdout=slave,
                                     stderr=slave, start_new_session=True, preexec_fn=terminal,
                                     env={**os.environ, "TMPDIR": str(tmp_path),
                                          "TERM": "xterm-256color"})
        os.close(slave)
        self.screen = b""
        self.deadline = time.monotonic() + 90

    def read(self) -> None:
        import select

        if select.select([self.master], [], [], 0.2)[0]:
            try:
                self.screen += os.read(self.master, 65536)
            except OSError:       # the other side is gone
                pass

    def until_live(self, tmp_path: Path) -> None:
        """The first frame, then the live part's first probes in the demo's journal."""
        while b"Timeline" not in self.screen and time.monotonic() < self.deadline:
            self.read()
        assert b"Timeline" in self.screen, self.screen[-2000:]
        [folder] = tmp_path.glob(demo.PREFIX + "*")
        while not _probes(folder / "demo.db") and time.monotonic() < self.deadline:
            self.read()      # the live part probes while the console runs
        assert _probes(folder / "demo.db")


def _probes(db: Path) -> int:
    """The probes' checks in a journal another process writes (0 while it cannot be read)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM events WHERE actor = 'probe'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux pty")


@LINUX
def test_closing_the_terminal_of_the_live_console_removes_the_folder(tmp_path):
    term = Terminal(tmp_path)
    try:
        term.until_live(tmp_path)
    finally:
        os.close(term.master)   # the terminal closes: SIGHUP (and SIGCONT)
    assert term.proc.wait(timeout=60) == 128 + signal.SIGHUP
    assert not list(tmp_path.glob(demo.PREFIX + "*"))


@LINUX
def test_sigterm_stops_the_live_console_and_gives_the_terminal_back(tmp_path):
    term = Terminal(tmp_path)
    try:
        term.until_live(tmp_path)
        drawn = len(term.screen)
        term.proc.send_signal(signal.SIGTERM)
        while term.proc.poll() is None and time.monotonic() < term.deadline:
            term.read()
        term.read()
        assert term.proc.wait(timeout=60) == 128 + signal.SIGTERM
        assert b"\x1b[?1049l" in term.screen[drawn:]     # the console left its screen
    finally:
        os.close(term.master)
    assert not list(tmp_path.glob(demo.PREFIX + "*"))


def test_a_killed_demo_s_folder_is_removed_by_the_next(tmp_path, monkeypatch):
    proc = _start(tmp_path, "--headless")
    folder = _folder(tmp_path, proc)
    proc.kill()   # SIGKILL: nothing runs, the folder stays
    proc.communicate(timeout=60)
    assert folder.exists()
    alive = tmp_path / f"{demo.PREFIX}alive"
    alive.mkdir()
    (alive / demo.PID_FILE).write_text(str(os.getpid()))
    unknown = tmp_path / f"{demo.PREFIX}unknown"   # no pid file: not known to be a demo's
    unknown.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with demo.scratch() as mine:
        assert not folder.exists()
        assert alive.exists() and unknown.exists() and mine.exists()
    assert not mine.exists()
    assert demo.remove_stale(tmp_path) == []
