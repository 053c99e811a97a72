"""Hostile and careless servers and URLs: downloads that stall or trickle end with one clear
error; secrets in URLs never reach the journal's bytes or the JSON output; a download killed
mid-transfer leaves a partial file that the next acquisition removes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warroom.artifact.acquire import acquire, evidence_dir
from warroom.artifact.service import acquire_and_scan, scan_without_journal
from warroom.errors import AcquireError
from warroom.incident import add_location, location_state, record
from warroom.journal import Journal
from warroom.journal.verify import verify
from warroom.model import Kind, LocationKind, LocationState, mask_url
from warroom.model.urls import MASK, mask_urls_in, secret_name
from warroom.tips import add_tip

import files
from conftest import ROOT
from httpserve import Site, trickle

HANG = 30.0        # a bound that only a hang exceeds: tests never time the limits themselves


def ended(call) -> BaseException | None:
    """Run `call` in a thread; fail if it has not ended within HANG; return what it raised."""
    raised: list[BaseException] = []

    def run():
        try:
            call()
        except BaseException as exc:
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG)
    assert not worker.is_alive(), f"still running after {HANG:.0f}s: the limits did not hold"
    return raised[0] if raised else None


def left_nothing(journal) -> None:
    assert journal.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert list(evidence_dir(journal.path).iterdir()) == []


# ---------------------------------------------------------------- stall and total deadline


def test_a_server_that_stops_sending_is_a_stall(journal):
    with Site() as site:
        site.routes["/f.csv"] = trickle(0.05, stop_after=3)
        error = ended(lambda: acquire(journal, site.url("/f.csv"), stall=0.5, timeout=20))
    assert isinstance(error, AcquireError) and "stalled" in str(error)
    left_nothing(journal)


@pytest.mark.parametrize("every", [0.2, 0.5])
def test_a_trickle_that_never_stalls_ends_at_the_total_deadline(journal, every):
    with Site() as site:
        site.routes["/f.csv"] = trickle(every)
        error = ended(lambda: acquire(journal, site.url("/f.csv"), stall=1.5, timeout=2))
    assert isinstance(error, AcquireError) and "not finished after 2s" in str(error)
    left_nothing(journal)


@pytest.mark.parametrize("route", [
    trickle(0.05, stop_after=2),            # a read blocked in the body
    trickle(0.5, headers_too=True),         # headers one byte at a time: no body to check
], ids=["blocked-body", "trickled-headers"])
def test_the_deadline_holds_while_a_read_is_blocked(journal, route):
    # the stall limit is far beyond the bound: only the deadline's watchdog can end these
    with Site() as site:
        site.routes["/f.csv"] = route
        site.routes["/hop"] = (302, {"Location": "/f.csv"}, b"")
        for path in ("/f.csv", "/hop"):      # a redirect opens a second connection
            error = ended(lambda p=path: acquire(journal, site.url(p), stall=120, timeout=1))
            assert isinstance(error, AcquireError) and "not finished after 1s" in str(error)
    left_nothing(journal)


def test_the_services_take_the_limits(journal):
    with Site() as site:
        site.routes["/trickle.csv"] = trickle(0.1)
        site.routes["/stall.csv"] = trickle(0.05, stop_after=1)
        error = ended(lambda: acquire_and_scan(journal, site.url("/trickle.csv"), timeout=1))
        assert isinstance(error, AcquireError) and "not finished after 1s" in str(error)
        error = ended(lambda: acquire_and_scan(journal, site.url("/stall.csv"), stall=0.3))
        assert isinstance(error, AcquireError) and "stalled" in str(error)
        error = ended(lambda: scan_without_journal(site.url("/trickle.csv"), timeout=1))
        assert isinstance(error, AcquireError) and "not finished after 1s" in str(error)
    left_nothing(journal)


def test_nonsense_limits_are_refused(journal):
    for limits in ({"timeout": 0}, {"stall": -1}, {"timeout": float("inf")},
                   {"stall": float("nan")}):
        with pytest.raises(AcquireError, match="positive"):
            acquire(journal, "http://127.0.0.1:9/f.csv", **limits)


# ---------------------------------------------------------------- secrets in URLs

SIGNATURE = "abcSIGNATUREzz9"     # not hex: it cannot turn up inside a hash by chance
SECRETS = ("alice", "secret", "SEKRIT", SIGNATURE, "TIPTOKEN")


@pytest.mark.parametrize("url, masked", [
    ("https://host/f.csv", "https://host/f.csv"),
    ("https://alice:secret@host/f.csv", "https://***@host/f.csv"),
    ("https://alice@host:8443/f", "https://***@host:8443/f"),
    ("http://h/f?api_key=K&page=2", "http://h/f?api_key=***&page=2"),
    ("http://h/f?token=a&token=b&TOKEN=c", "http://h/f?token=***&token=***&TOKEN=***"),
    ("http://h/f?X-Amz-Signature=s&X-Amz-Credential=c&X-Amz-Security-Token=t&X-Amz-Date=d",
     "http://h/f?X-Amz-Signature=***&X-Amz-Credential=***&X-Amz-Security-Token=***"
     "&X-Amz-Date=d"),
    ("http://h/f?AWSAccessKeyId=a&Signature=s&Expires=1",
     "http://h/f?AWSAccessKeyId=***&Signature=***&Expires=1"),
    ("http://h/f?X-Goog-Signature=s&X-Goog-Credential=c&GoogleAccessId=g&Expires=1",
     "http://h/f?X-Goog-Signature=***&X-Goog-Credential=***&GoogleAccessId=***&Expires=1"),
    ("http://h/f?sig=1&auth=2&session=3&pwd=4&passwd=5&password=6&secret=7&key=8",
     "http://h/f?sig=***&auth=***&session=***&pwd=***&passwd=***&password=***&secret=***"
     "&key=***"),
    ("http://h/f?refresh_token=1&clientSecret=2&x-api-key=3&accesstoken=4&keyword=5&author=6",
     "http://h/f?refresh_token=***&clientSecret=***&x-api-key=***&accesstoken=***"
     "&keyword=5&author=6"),
    ("http://h/f?api%5Fkey=1&X%2DAmz%2DSignature=2", "http://h/f?api%5Fkey=***&X%2DAmz%2DSignature=***"),
    ("http://h/f?a=1;sig=2", "http://h/f?a=1;sig=***"),
    ("http://h/f?token=&token", "http://h/f?token=&token"),
    ("http://h/f#access_token=T&state=s", "http://h/f#access_token=***&state=s"),
    ("http://h/app#/cb?id_token=T", "http://h/app#/cb?id_token=***"),
    ("http://h/f.csv;jsessionid=ABC?x=1", "http://h/f.csv;jsessionid=***?x=1"),
    ("http://[::1]:8080/f?key=1", "http://[::1]:8080/f?key=***"),
    ("http://u:p@[2001:db8::1]/f", "http://***@[2001:db8::1]/f"),
    ("https://medium.com/@someone/post", "https://medium.com/@someone/post"),
    # malformed: still masked as well as the shape allows
    ("http://[::1/f?key=1", "http://[::1/f?key=***"),
    ("http://alice:pa/ss@host/f", "http://***@host/f"),
    ("http://alice:p#ss@host/f", "http://***@host/f"),
    ("http://alice:p@ss@host/f", "http://***@host/f"),
    ("http://host:secret/f", "http://host:***/f"),
    ("alice:secret@host/f.csv", "***@host/f.csv"),
    ("//alice:secret@host/f", "//***@host/f"),
    ("not a url at all", "not a url at all"),
    ("", ""),
])
def test_mask_url(url, masked):
    assert mask_url(url) == masked
    assert mask_url(masked) == masked


def test_secret_names():
    for name in ("Token", "API_KEY", "apiKey", "X-Amz-Security-Token", "oauth_token",
                 "client-secret", "PHPSESSID", "user_password", "auth_code"):
        assert secret_name(name), name
    for name in ("page", "id", "keyword", "author", "monkey", "format", "Expires"):
        assert not secret_name(name), name


def test_urls_in_free_text_are_masked():
    text = "the list is at https://alice:secret@h/f.csv?token=SEKRIT, and at http://m/f"
    assert mask_urls_in(text) == "the list is at https://***@h/f.csv?token=*** and at http://m/f"


@given(st.text())
def test_mask_url_never_raises_and_settles(text):
    once = mask_url(text)
    assert mask_url(once) == once


@given(name=st.sampled_from(["token", "API_KEY", "X-Amz-Signature", "sig", "Password"]),
       value=st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.~%", min_size=4),
       before=st.sampled_from(["", "a=1&", "a=1;"]), after=st.sampled_from(["", "&b=2", "#f"]))
def test_a_secret_value_never_survives(name, value, before, after):
    masked = mask_url(f"https://u:{value}@host/p?{before}{name}={value}{after}")
    assert value not in masked and f"{name}={MASK}" in masked


def _journal_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())


def test_url_credentials_never_reach_the_journal_or_the_json(journal, db, tmp_path):
    body = files.write_csv(tmp_path / "f.csv", files.roster(12, seed=5)).read_bytes()
    with Site() as site:
        port = site.server.server_address[1]
        query = f"/f.csv?api_key=SEKRIT&X-Amz-Signature={SIGNATURE}"
        secret_url = f"http://alice:secret@127.0.0.1:{port}{query}"
        site.routes[query] = (200, {"Content-Type": "text/csv"}, body)
        site.routes["/go"] = (302, {"Location": secret_url}, b"")
        site.routes["/nope?token=SEKRIT"] = (404, {}, b"")
        direct = acquire_and_scan(journal, secret_url)
        redirected = acquire_and_scan(journal, site.url("/go"))
        looked = scan_without_journal(secret_url)
        with pytest.raises(AcquireError) as failed:
            acquire(journal, f"http://alice:secret@127.0.0.1:{port}/nope?token=SEKRIT")
    add_location(journal, secret_url, LocationKind.MIRROR)
    location_state(journal, secret_url, LocationState.LIVE, status=200)
    record(journal, Kind.TAKEN_DOWN, secret_url, {"url": secret_url, "by": "web-ops"})
    add_tip(journal, "Advocates", f"a copy is at {secret_url} too",
            url="https://h/f?access_token=TIPTOKEN")

    assert site.hits.count(query) == 3                  # the fetch used the real URL
    stored = _journal_bytes(db)
    printed = json.dumps([direct.as_json(), redirected.as_json(), looked.as_json(),
                          str(failed.value)])
    for secret in SECRETS:
        assert secret.encode() not in stored, secret
        assert secret not in printed, secret
    assert direct.artifact.final_url == f"http://***@127.0.0.1:{port}/f.csv?api_key=***" \
        f"&X-Amz-Signature=***"
    assert redirected.artifact.redirects[0].startswith("302 ") and redirected.artifact.known
    assert direct.artifact.filename == "f.csv" and direct.scan.records == 12
    # the location is known by its masked URL: adding it, checking it, taking it down agree
    # (acquiring from a URL records it as a location too: the redirecting one is there)
    rows = dict(journal.conn.execute("SELECT url, state FROM locations").fetchall())
    assert rows[mask_url(secret_url)] == "down"
    assert set(rows) == {mask_url(secret_url), site.url("/go")}
    assert verify(db).ok


# ---------------------------------------------------------------- a kill mid-transfer

CHILD = """
import sys
from warroom.artifact.acquire import acquire
from warroom.journal import Journal
acquire(Journal(sys.argv[1], create=True), sys.argv[2])
"""


def test_a_download_killed_mid_transfer_is_cleaned_at_the_next_start(tmp_path):
    db = tmp_path / "kill.db"
    folder = tmp_path / "kill.evidence"
    leaked = files.write_csv(tmp_path / "f.csv", files.roster(5, seed=9))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        with Site() as site:
            site.routes["/big.csv"] = trickle(0.02)
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), site.url("/big.csv")],
                                     env=env, stderr=subprocess.DEVNULL)
            until = time.monotonic() + HANG
            while not list(folder.glob(".partial-*")) and time.monotonic() < until:
                assert child.poll() is None, "the download ended before it could be killed"
                time.sleep(0.05)
            child.send_signal(signal.SIGKILL)
            child.wait(HANG)
        killed = list(folder.glob(".partial-*"))
        assert len(killed) == 1 and killed[0].name.startswith(f".partial-{child.pid}-")
        alive = folder / f".partial-{sleeper.pid}-1"        # a download still under way
        alive.write_bytes(b"half")
        journal = Journal(db)
        try:
            got = acquire(journal, str(leaked))
        finally:
            journal.close()
        assert sorted(p.name for p in folder.iterdir()) == sorted([got.sha256, alive.name])
    finally:
        sleeper.kill()
        sleeper.wait()
