"""Real OS processes on one journal: concurrent writers, and a writer killed mid-import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from warroom.journal import Journal
from warroom.journal.verify import verify

WRITER = """
import sys
from warroom.journal import Journal
from warroom.model import Kind
name, n = sys.argv[1], int(sys.argv[2])
j = Journal(sys.argv[3], actor=name)
for i in range(n):
    j.append(Kind.NOTE, None, {"writer": name, "i": i})
    if i % 25 == 0:
        j.append_many([])  # an empty transaction between, to shake the timing
print("done", name)
"""

IMPORTER = """
import sys, time
from warroom.artifact.roster import import_people
from warroom.journal import Journal
j = Journal(sys.argv[1])
exec(sys.argv[2])
def progress(done):
    print(done, flush=True)
import_people(j, people(), batch=500, progress=progress)
"""
PEOPLE = """
def people():
    for i in range(150_000):
        yield {"a_number": f"A9{i:08d}", "full_name": f"NAME{i}, GIVEN"}
"""


def test_concurrent_writers_lose_nothing(db):
    Journal(db, create=True).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, f"w{k}", "150", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(4)]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
    conn = sqlite3.connect(db)
    per_writer = dict(conn.execute(
        "SELECT json_extract(data, '$.writer'), count(*) FROM events GROUP BY 1"))
    distinct = conn.execute("SELECT count(DISTINCT data) FROM events").fetchone()[0]
    conn.close()
    assert per_writer == {"w0": 150, "w1": 150, "w2": 150, "w3": 150}
    assert distinct == 600
    report = verify(db)
    assert report.ok, report.faults


def test_sigkill_mid_import_keeps_every_committed_batch(db):
    Journal(db, create=True).close()
    proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(db), PEOPLE],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = 0
    deadline = time.monotonic() + 60
    while seen < 5000 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert seen >= 5000, proc.stderr.read()

    report = verify(db)
    assert report.ok, report.faults
    with Journal(db) as j:
        batches = j.conn.execute(
            "SELECT count(*), sum(json_array_length(data, '$.people')) FROM events"
            " WHERE kind = 'people_imported'").fetchone()
        people = j.conn.execute("SELECT count(*) FROM people").fetchone()[0]
        numbers = j.conn.execute("SELECT max(a_number) FROM people").fetchone()[0]
    count, listed = batches
    assert count >= 10 and listed == count * 500      # every batch whole, none half
    assert people == listed
    assert numbers == f"A9{people - 1:08d}"           # the first `people` rows, in order

    # the cut is named, not passed over in silence ...
    assert len(report.unfinished) == 1 and report.warnings
    assert report.unfinished[0]["batches_done"] == count
    assert "unfinished" in report.warnings[0]
    # ... and running the same import again completes it: the roster equals a clean import's
    from warroom.artifact.roster import import_people

    scope: dict = {}
    exec(PEOPLE, scope)
    with Journal(db) as j:
        result = import_people(j, scope["people"](), batch=500)
    assert result.resumed_from == count and result.added == 150_000 - people
    clean = db.parent / "clean.db"
    with Journal(clean, create=True) as j:
        import_people(j, scope["people"](), batch=500)
    roster = ("SELECT person_key, a_number, full_name, high_risk, sources FROM people"
              " ORDER BY person_key")
    batches = ("SELECT data FROM events WHERE kind IN ('import_started', 'people_imported',"
               " 'import_finished') ORDER BY id")
    with Journal(db) as a, Journal(clean) as b:
        assert a.conn.execute(roster).fetchall() == b.conn.execute(roster).fetchall()
        assert a.conn.execute(batches).fetchall() == b.conn.execute(batches).fetchall()
    repaired = verify(db)
    assert repaired.ok and repaired.unfinished == []
