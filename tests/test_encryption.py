"""A lost laptop: an encrypted journal end to end. The file is no SQLite file, no name from
the roster is in any file Warroom wrote, a missing or wrong key is one clear line, and every
command, several writers at once and verify work as on a plain journal."""

from __future__ import annotations

import subprocess
import sys

import pytest
from clirun import invoke, one_json, one_line

from warroom.artifact.vault import is_sealed
from warroom.journal import Journal, keys
from warroom.journal.keys import SQLITE_HEADER
from warroom.journal.verify import verify

import files

KEY = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_process_key(monkeypatch):
    """Each test states its key: none leaks from one test into the next."""
    monkeypatch.delenv("WARROOM_KEY", raising=False)
    keys.use(None)
    yield
    keys.use(None)


@pytest.fixture
def roster(tmp_path):
    people = files.roster(40, seed=77)
    return files.write_xlsx(tmp_path / "list.xlsx", people), people


def _every_byte(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_encrypted_end_to_end_leaves_no_name_on_disk(tmp_path, roster):
    sheet, people = roster
    work = tmp_path / "work"
    work.mkdir()
    db = work / "incident.db"
    env = {"WARROOM_KEY": KEY}
    r = invoke("--db", db, "init", "--name", "Roster on agency site", "--encrypt", "--json",
               env=env)
    assert r.exit_code == 0, r.output
    assert one_json(r.stdout)["encrypted"] is True
    r = invoke("--db", db, "scan", sheet, "--import", "--json", env=env)
    assert r.exit_code == 0, r.output
    assert one_json(r.stdout)["records"] == 40
    r = invoke("--db", db, "verify", "--json", env=env)
    doc = one_json(r.stdout)
    assert r.exit_code == 0 and doc["ok"] and doc["tables"]["people"] == 40

    assert not db.read_bytes().startswith(SQLITE_HEADER)
    copies = list((work / "incident.evidence").iterdir())
    assert copies and all(is_sealed(c) for c in copies)
    written = _every_byte(work)
    for p in people:
        for secret in (p.family_name, p.family_name.upper(), p.a_number, p.a_number[1:]):
            assert secret.encode() not in written, secret

    keys.use(KEY)
    with Journal(db) as j:                       # and the roster is all there, with the key
        numbers = {row[0] for row in j.conn.execute("SELECT a_number FROM people")}
    assert numbers == {p.a_number for p in people}


def test_missing_and_wrong_keys_are_one_clear_line(tmp_path):
    db = tmp_path / "incident.db"
    assert invoke("--db", db, "init", "--name", "X", "--encrypt",
                  env={"WARROOM_KEY": KEY}).exit_code == 0
    r = invoke("--db", db, "verify")
    assert r.exit_code == 1 and "is encrypted" in one_line(r.stderr)
    r = invoke("--db", db, "verify", env={"WARROOM_KEY": "not the key"})
    assert r.exit_code == 1 and "key does not open" in one_line(r.stderr)
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "\n")
    r = invoke("verify", "--db", db, "--key-file", key_file, "--json")
    assert r.exit_code == 0 and one_json(r.stdout)["ok"]


def test_rekey_and_a_raw_key_file(tmp_path):
    db = tmp_path / "incident.db"
    raw = tmp_path / "raw.key"
    raw.write_text("ab" * 32)
    assert invoke("--db", db, "--key-file", raw, "init", "--name", "X", "--encrypt").exit_code == 0
    new = tmp_path / "new.key"
    new.write_text("a much longer new passphrase")
    r = invoke("--db", db, "--key-file", raw, "rekey", "--new-key-file", new)
    assert r.exit_code == 0, r.output
    keys.use(None)
    assert invoke("--db", db, "--key-file", raw, "verify").exit_code == 1
    keys.use(None)
    assert invoke("--db", db, "--key-file", new, "verify").exit_code == 0


def test_rekey_of_a_plain_journal_is_refused(tmp_path):
    db = tmp_path / "plain.db"
    assert invoke("--db", db, "init", "--name", "X").exit_code == 0
    r = invoke("--db", db, "rekey", env={"WARROOM_NEW_KEY": "whatever it is"})
    assert r.exit_code == 1 and "not encrypted" in one_line(r.stderr)


WRITER = """
import sys
from warroom.journal import Journal
from warroom.model import Kind
with Journal(sys.argv[2], actor=sys.argv[1]) as j:
    for i in range(40):
        j.append(Kind.NOTE, None, {"text": f"{sys.argv[1]} {i}"})
"""


def test_several_responders_and_a_parallel_verify_on_an_encrypted_journal(tmp_path):
    import os

    db = tmp_path / "incident.db"
    keys.use(KEY)
    with Journal(db, create=True, encrypt=True) as j:
        j.append("incident_opened", None, {"name": "X"})
    env = {**os.environ, "WARROOM_KEY": KEY}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, f"w{k}", str(db)], env=env,
                              stderr=subprocess.PIPE, text=True) for k in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    report = verify(db, parallel=True)   # the chain walked in a spawned process, keyed too
    assert report.ok, report.faults
    assert report.events == 1 + 4 * 40
