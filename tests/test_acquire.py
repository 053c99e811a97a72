"""Acquisition over real HTTP on 127.0.0.1 and from disk: the sealed evidence copy."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import stat
import subprocess
import sys
import time

import pytest

from warroom.artifact.acquire import acquire, clean_partials, evidence_dir
from warroom.artifact.service import acquire_and_scan
from warroom.errors import AcquireError
from warroom.journal.verify import verify

import files
from httpserve import Site


@pytest.fixture
def sheet(tmp_path):
    ps = files.roster(300, seed=31)
    return files.write_xlsx(tmp_path / "list.xlsx", ps), ps


def test_acquire_url_streams_to_a_sealed_copy(journal, db, sheet):
    path, _ = sheet
    body = path.read_bytes()
    with Site() as site:
        site.routes["/files/stats.xlsx"] = (200, {
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": 'attachment; filename="detention-stats.xlsx"',
            "ETag": '"abc"'}, body)
        site.routes["/old"] = (301, {"Location": "/files/stats.xlsx"}, b"")
        got = acquire(journal, site.url("/old"))
    sha = hashlib.sha256(body).hexdigest()
    assert got.sha256 == sha and got.size == len(body) and not got.known
    assert got.path.name == sha and got.path.read_bytes() == body
    assert stat.S_IMODE(got.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(got.path.parent.stat().st_mode) == 0o700
    assert got.final_url.endswith("/files/stats.xlsx") and got.status == 200
    assert got.filename == "detention-stats.xlsx"
    assert got.redirects and got.redirects[0].startswith("301 ")
    row = journal.conn.execute("SELECT kind, subject, data FROM events").fetchone()
    assert row[0] == "artifact_acquired" and row[1] == sha
    data = json.loads(row[2])
    assert data["final_url"] == got.final_url and data["headers"]["etag"] == '"abc"'
    assert verify(db).ok


def test_same_bytes_twice_are_the_same_artifact(journal, sheet):
    path, _ = sheet
    first = acquire(journal, str(path))
    with Site() as site:
        site.routes["/copy.xlsx"] = (200, {}, path.read_bytes())
        second = acquire(journal, site.url("/copy.xlsx"))
    assert second.known and second.sha256 == first.sha256
    row = journal.conn.execute("SELECT count(*), max(acquisitions) FROM artifacts").fetchone()
    assert row == (1, 2)
    assert sorted(p.name for p in first.path.parent.iterdir()) == [first.sha256]


@pytest.mark.parametrize("route, message", [
    ((404, {}, b"gone"), "HTTP 404"),
    ((200, {"Content-Length": "99999999999"}, b"x"), "limit"),
])
def test_failed_fetches_are_clear_and_leave_nothing(journal, route, message):
    with Site() as site:
        site.routes["/f"] = route
        with pytest.raises(AcquireError, match=message):
            acquire(journal, site.url("/f"), max_bytes=1 << 20)
    assert journal.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    evidence = journal.path.parent / f"{journal.path.stem}.evidence"
    assert list(evidence.iterdir()) == []      # no partial download left behind


def test_body_over_the_cap_is_cut_off(journal):
    with Site() as site:
        # no Content-Length: the size is learned only while streaming
        site.routes["/big"] = (200, {"Content-Length": ""}, b"z" * (3 << 20))
        with pytest.raises(AcquireError, match="more than"):
            acquire(journal, site.url("/big"), max_bytes=1 << 20)


def test_redirect_loop_and_refused_connection(journal):
    with Site() as site:
        site.routes["/a"] = (302, {"Location": "/b"}, b"")
        site.routes["/b"] = (302, {"Location": "/a"}, b"")
        with pytest.raises(AcquireError, match="redirects"):
            acquire(journal, site.url("/a"))
        closed = site.url("/a")
    with pytest.raises(AcquireError, match="cannot fetch"):
        acquire(journal, closed)


def test_acquire_scan_import_journals_custody_and_verifies(journal, db, sheet):
    path, ps = sheet
    outcome = acquire_and_scan(journal, str(path), import_people_too=True)
    assert outcome.scan.records == 300 and outcome.imported.added == 300
    kinds = [r[0] for r in journal.conn.execute("SELECT kind FROM events ORDER BY id")]
    assert kinds == ["artifact_acquired", "import_started", "people_imported", "import_finished",
                     "artifact_scanned"]
    scanned = json.loads(journal.conn.execute(
        "SELECT data FROM events WHERE kind = 'artifact_scanned'").fetchone()[0])
    text = json.dumps(scanned)
    assert not any(p.family_name in text or p.a_number in text for p in ps)  # counts only
    row = journal.conn.execute("SELECT records, uses, format FROM artifacts").fetchone()
    assert row == (300, 1, "xlsx")
    people = journal.conn.execute(
        "SELECT count(*), count(DISTINCT source_artifact), sum(high_risk) FROM people").fetchone()
    assert people == (300, 1, files.truth(ps)["high_risk"])
    assert verify(db).ok


def test_altered_evidence_copy_is_refused(journal, sheet):
    from warroom.artifact.service import scan_artifact
    from warroom.errors import WarroomError

    got = acquire(journal, str(sheet[0]))
    got.path.chmod(0o600)
    with got.path.open("ab") as fh:
        fh.write(b"tamper")
    with pytest.raises(WarroomError, match="no longer matches"):
        scan_artifact(journal, got.sha256)


def test_a_compressed_body_is_not_taken_for_a_truncated_one(journal):
    # Content-Length counts the gzip bytes on the wire; the copy holds the decoded file
    body = b"name,a_number\n" + b"Doe,A123456789\n" * 2000
    wire = gzip.compress(body)
    with Site() as site:
        site.routes["/f.csv"] = (200, {"Content-Encoding": "gzip"}, wire)
        got = acquire(journal, site.url("/f.csv"))
    assert got.size == len(body) and got.path.read_bytes() == body


def test_the_file_name_never_carries_the_url_secrets(journal):
    with Site() as site:
        site.routes["/d/list.csv;jsessionid=SEKRIT?token=SEKRIT"] = (200, {}, b"a,b\n1,2\n")
        got = acquire(journal, site.url("/d/list.csv;jsessionid=SEKRIT?token=SEKRIT"))
    assert got.filename == "list.csv"
    assert got.source.endswith("/d/list.csv;jsessionid=***?token=***")


def test_partials_of_gone_processes_are_removed_and_live_ones_kept(journal, sheet):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = evidence_dir(journal.path)
        names = {"dead": f".partial-{gone.pid}-1", "live": f".partial-{live.pid}-2",
                 "stale": f".partial-{live.pid}-3", "foreign": ".partial-notours"}
        for name in names.values():
            (folder / name).write_bytes(b"half")
        day_ago = time.time() - 2 * 86400
        os.utime(folder / names["stale"], (day_ago, day_ago))
        assert {p.name for p in clean_partials(folder)} == {names["dead"], names["stale"]}
        (folder / names["dead"]).write_bytes(b"half")
        got = acquire(journal, str(sheet[0]))          # the next start cleans as well
        left = {p.name for p in folder.iterdir()}
        assert left == {got.sha256, names["live"], names["foreign"]}
    finally:
        live.kill()
        live.wait()
