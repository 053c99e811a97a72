"""The demo's live part on real parts: its web server on 127.0.0.1 (files, HEAD, ranges, a
404 and a soft 404 once pulled), its access log through the real analysis, the plan run on a
fixed clock and in real time, the console picking the changes up, and a whole
`warroom demo --json` that contacts nothing but loopback, whatever proxy the environment names."""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from warroom import demo, demo_site
from warroom.demo_live import Live, Plan, Pull
from warroom.demo_site import (
    CDN_PATH,
    HOST,
    MIRROR_PATH,
    ORIGIN_PATH,
    SOFT_404,
    DemoSite,
    story_log,
    write_story_log,
)
from warroom.exposure.logs.analysis import analyze
from warroom.exposure.probe import Rule
from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.model import LocationState, now, parse_instant

BODY = bytes(range(256)) * 40       # 10,240 bytes
LIVE, DOWN, VERIFIED = LocationState.LIVE, LocationState.DOWN, LocationState.VERIFIED_DOWN


def ask(site: DemoSite, method: str, path: str, **headers: str):
    """One request with http.client (no proxy, no redirect: what the server itself says)."""
    conn = http.client.HTTPConnection(HOST, int(site.base.rsplit(":", 1)[1]), timeout=10)
    try:
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- the server


def test_the_site_serves_the_file_with_head_and_ranges():
    with DemoSite({ORIGIN_PATH: BODY}) as site:
        assert site.base.startswith("http://127.0.0.1:")
        status, headers, body = ask(site, "GET", ORIGIN_PATH)
        assert (status, body) == (200, BODY) and headers["Accept-Ranges"] == "bytes"
        status, headers, body = ask(site, "HEAD", ORIGIN_PATH)
        assert (status, body, headers["Content-Length"]) == (200, b"", str(len(BODY)))
        status, headers, body = ask(site, "GET", ORIGIN_PATH + "?x=1", Range="bytes=100-199")
        assert (status, body) == (206, BODY[100:200])
        assert headers["Content-Range"] == f"bytes 100-199/{len(BODY)}"
        status, _, body = ask(site, "GET", ORIGIN_PATH, Range="bytes=0-999999")   # past the end
        assert (status, body) == (206, BODY)
        status, _, body = ask(site, "GET", ORIGIN_PATH, Range="bytes=-10")
        assert (status, body) == (206, BODY[-10:])
        status, headers, _ = ask(site, "GET", ORIGIN_PATH, Range=f"bytes={len(BODY)}-")
        assert status == 416 and headers["Content-Range"] == f"bytes */{len(BODY)}"
        assert ask(site, "GET", CDN_PATH)[0] == 404                   # not served: purged
        deadline = time.monotonic() + 10     # the server notes a request once it has answered
        while len(site.requests) < 7 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert {(r.method, r.status, r.sent) for r in site.requests if not r.range} == {
            ("GET", 200, len(BODY)), ("HEAD", 200, 0), ("GET", 404, len(demo_site.NOT_FOUND))}


def test_a_pulled_file_is_a_404_or_a_soft_404():
    with DemoSite({ORIGIN_PATH: BODY, MIRROR_PATH: BODY}) as site:
        site.pull(ORIGIN_PATH)
        site.pull(MIRROR_PATH, soft=True)
        status, _, body = ask(site, "GET", ORIGIN_PATH, Range="bytes=0-99")
        assert status == 404 and BODY[:100] not in body
        status, headers, body = ask(site, "GET", MIRROR_PATH)
        assert (status, body) == (200, SOFT_404) and headers["Content-Type"].startswith("text/html")


def test_the_site_is_reached_directly_whatever_the_proxy(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://192.0.2.1:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.example")
    monkeypatch.delenv("no_proxy", raising=False)
    import httpx

    with DemoSite({ORIGIN_PATH: BODY}) as site:
        assert os.environ["NO_PROXY"] == "intranet.example,127.0.0.1"
        with httpx.Client() as client:          # trusts the environment, as acquire does
            assert client.get(site.url(ORIGIN_PATH)).content == BODY
    assert os.environ["NO_PROXY"] == "intranet.example" and "no_proxy" not in os.environ


# ---------------------------------------------------------------- the access log


def test_the_story_log_gives_its_downloaders(tmp_path):
    present, size = now(), 437_039
    log = write_story_log(tmp_path / "access.log", present, size)
    report = analyze([log], ORIGIN_PATH, size=size)
    assert (report.lines, report.bad_lines) == (len(story_log(present, size)), 0)
    found = {d.client: (d.complete, d.bot) for d in report.downloaders}
    assert found == {"192.0.2.44": (True, True),          # Googlebot
                     "198.51.100.23": (True, False),      # complete, then a 304
                     "203.0.113.77": (False, False),      # one range, then stopped
                     "192.0.2.145": (True, False),
                     "203.0.113.200": (True, False)}
    assert "203.0.113.9" not in found                     # a HEAD receives no bytes
    assert report.statuses == {"200": 5, "206": 1, "304": 1}
    documentation = [ipaddress.ip_network(n) for n in
                     ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
    for line in log.read_text().splitlines():
        address = ipaddress.ip_address(line.split()[0])
        assert any(address in n for n in documentation), line
    assert parse_instant(report.last_access) < present


# ---------------------------------------------------------------- the plan


@pytest.fixture(scope="module")
def sheet() -> bytes:
    return demo.spreadsheet()


@pytest.fixture
def built(sheet, tmp_path):
    """The demo journal with its site serving (the story ends now)."""
    with demo.serve(sheet) as site:
        yield demo.build_demo(tmp_path / "demo.db", site=site), site


def states(live: Live, path: str) -> list[str]:
    """The state of the location at `path` after each round."""
    url = live.site.url(path)
    return [next(r.state for r in x.results if r.url == url) for x in live.rounds]


QUICK = Plan(interval=0.2, rule=Rule(2, timedelta(seconds=0.1)), lead=0.0,
             pulls=(Pull(0.4, ORIGIN_PATH, "web-ops"), Pull(0.8, MIRROR_PATH, "host", soft=True)))


def test_the_plan_on_a_fixed_clock(built):
    db, site = built
    start = now().replace(microsecond=0)
    before = len(site.requests)
    live = Live(db, site, start=start)
    rounds = live.run()
    assert [r.second for r in rounds] == [0, 10, 20, 30, 40, 50]
    assert [r.at - start for r in rounds] == [timedelta(seconds=s) for s in (0, 10, 20, 30, 40, 50)]
    assert [r.pulled for r in rounds] == [[], [], ["origin"], [], ["mirror"], []]
    assert states(live, ORIGIN_PATH) == [LIVE, LIVE, DOWN, VERIFIED, VERIFIED, VERIFIED]
    assert states(live, MIRROR_PATH) == [LIVE, LIVE, LIVE, LIVE, DOWN, VERIFIED]
    soft = next(r for r in rounds[4].results if r.url == site.url(MIRROR_PATH)).check
    assert soft.status == 200 and "soft 404" in soft.note          # decided by its content
    probes = site.requests[before:]
    assert {r.path for r in probes} == {ORIGIN_PATH, MIRROR_PATH}   # never the CDN
    assert {r.method for r in probes} == {"HEAD", "GET"}
    assert all(r.range for r in probes if r.method == "GET")        # capped reads
    with Journal(db) as j:
        rows = {x["kind"]: x for x in queries.locations(j.conn)}
        assert {k: x["state"] for k, x in rows.items()} == {
            "origin": VERIFIED, "cdn": VERIFIED, "mirror": VERIFIED}
        assert {r["url"]: r["state"] for r in queries.takedowns(j.conn)} == {
            x["url"]: "done" for x in rows.values()}          # closed by the probes
    assert verify(db).ok


def test_the_plan_in_real_time_and_its_stop(built):
    db, site = built
    live = Live(db, site, plan=QUICK).begin()
    live._thread.join(60)
    assert not live._thread.is_alive() and live.error is None
    origin, mirror = states(live, ORIGIN_PATH), states(live, MIRROR_PATH)
    assert origin[0] == mirror[0] == LIVE and origin[-1] == mirror[-1] == VERIFIED
    assert DOWN in origin and DOWN in mirror
    slow = Live(db, site, plan=Plan(interval=3600.0, lead=0.0)).begin()
    while not slow.rounds and slow._thread.is_alive():     # round 1, then an hour's wait
        slow._thread.join(0.05)
    slow.stop()                                           # ends the wait
    assert not slow._thread.is_alive() and len(slow.rounds) == 1 and slow.error is None


async def test_the_console_shows_the_live_part(built):
    from test_tui import until

    from warroom.tui.app import WarroomApp
    from warroom.tui.widgets.header import IncidentHeader

    db, site = built
    app = WarroomApp(db)
    async with app.run_test(size=(120, 36)) as pilot:
        header = app.query_one(IncidentHeader)
        assert await until(pilot, lambda: header.board is not None)
        assert header.clock_label.startswith("■ EXPOSED for ")
        live = Live(db, site, plan=QUICK).begin()

        def shown() -> dict[str, str]:
            return {x["kind"]: x["state"] for x in header.board.locations}

        assert await until(pilot, lambda: set(shown().values()) == {VERIFIED}, tries=1200)
        assert header.clock_label.startswith("■ CONTAINED after ")
        live.stop()
    assert live.error is None


# ---------------------------------------------------------------- nothing but loopback

GUARD = r"""
import atexit, ipaddress, os, socket, sys
seen = []
def loopback(host):
    try:
        return ipaddress.ip_address(host) == ipaddress.ip_address("127.0.0.1")
    except ValueError:
        return False
def refuse(what, target):
    raise RuntimeError("NETWORK ATTEMPT: %s %r" % (what, target))
def guard(name):
    real = getattr(socket.socket, name)
    def checked(self, address, *rest):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not loopback(host):
                refuse(name, address)
            seen.append(address)
        return real(self, address, *rest)
    setattr(socket.socket, name, checked)
for name in ("connect", "connect_ex"):
    guard(name)
real_sendto = socket.socket.sendto
def sendto(self, data, *rest):
    address = rest[-1]
    if self.family in (socket.AF_INET, socket.AF_INET6) and not loopback(address[0]):
        refuse("sendto", address)
    return real_sendto(self, data, *rest)
socket.socket.sendto = sendto
real_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *rest, **kw):
    if not loopback(host if isinstance(host, str) else (host or b"").decode()):
        refuse("getaddrinfo", host)
    return real_getaddrinfo(host, *rest, **kw)
socket.getaddrinfo = getaddrinfo
socket.gethostbyname = lambda host: refuse("gethostbyname", host)
socket.gethostbyname_ex = lambda host: refuse("gethostbyname_ex", host)
atexit.register(lambda: open(os.environ["GUARD_SEEN"], "w").write(
    "\n".join(a[0] for a in seen)))
sys.argv = ["warroom", *sys.argv[1:]]
"""
RUN_DEMO = GUARD + "from warroom.cli import main\nraise SystemExit(main())\n"
PROXIES = {name: "http://192.0.2.1:3128" for name in
           ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")}


def _guarded(code: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **PROXIES, "TMPDIR": str(tmp_path),
           "GUARD_SEEN": str(tmp_path / "seen")}
    for name in ("NO_PROXY", "no_proxy"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, env=env, timeout=240)


def test_the_demo_contacts_nothing_but_loopback(tmp_path):
    r = _guarded(RUN_DEMO, tmp_path, "demo", "--headless", "--json")
    assert "NETWORK ATTEMPT" not in r.stderr, r.stderr[-3000:]
    assert r.returncode == 0, r.stderr[-3000:]
    doc = json.loads(r.stdout)
    assert doc["clock"] == "CONTAINED"
    assert doc["live"]["final"] == {"origin": VERIFIED, "cdn": VERIFIED, "mirror": VERIFIED}
    seen = (tmp_path / "seen").read_text().split()
    # the acquisition's connection and the probes' (kept alive between rounds) were guarded
    assert len(seen) >= 2 and set(seen) == {"127.0.0.1"}
    assert not list(tmp_path.glob(demo.PREFIX + "*"))


def test_the_guard_refuses_the_proxy_the_demo_bypasses(tmp_path):
    """Without the demo's bypass, the proxy in the environment would take a request to
    127.0.0.1 off the machine: the guard sees that attempt (so it would see the demo's)."""
    code = GUARD + ("import httpx\nhttpx.get('http://127.0.0.1:9/x', timeout=5)\n")
    r = _guarded(code, tmp_path)
    assert r.returncode != 0 and "NETWORK ATTEMPT" in r.stderr and "192.0.2.1" in r.stderr
