"""The command line contract: real processes, real journal files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from warroom.journal.schema import SCHEMA_VERSION


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "warroom", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_init_then_verify_json(db):
    r = run("--db", str(db), "init", "--name", "Roster on agency site", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["name"] == "Roster on agency site"
    r = run("--db", str(db), "verify", "--json")
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"] and doc["events"] == 1
    assert doc["tables"]["incidents"] == 1


def test_init_twice_is_a_clear_error(db):
    assert run("--db", str(db), "init", "--name", "A").returncode == 0
    r = run("--db", str(db), "init", "--name", "B")
    assert r.returncode == 1
    assert r.stderr.startswith("warroom: error:") and "already holds an incident" in r.stderr
    assert "Traceback" not in r.stderr


def test_verify_fault_exits_non_zero_and_names_it(db):
    run("--db", str(db), "init", "--name", "A")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE incidents SET name = 'B'")
    conn.commit()
    conn.close()
    r = run("--db", str(db), "verify")
    assert r.returncode == 1
    assert "table incidents disagrees" in r.stdout


def test_missing_journal_is_one_line_no_traceback(tmp_path):
    r = run("--db", str(tmp_path / "none.db"), "verify")
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "no journal at" in r.stderr


def test_newer_schema_is_refused_on_the_command_line(db):
    run("--db", str(db), "init", "--name", "A")
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    r = run("--db", str(db), "verify")
    assert r.returncode == 1 and "newer Warroom" in r.stderr and "Traceback" not in r.stderr


def test_db_from_environment(tmp_path):
    import os

    env = {**os.environ, "WARROOM_DB": str(tmp_path / "env.db")}
    assert run("init", "--name", "From env", env=env).returncode == 0
    assert (tmp_path / "env.db").exists()


def test_demo_headless_json(tmp_path):
    r = run("--db", str(tmp_path / "demo.db"), "demo", "--headless", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["counts"]["people"] == 6252
    assert doc["clock"] == "EXPOSED"          # the mirror is still live
    assert {x["kind"] for x in doc["locations"]} == {"origin", "cdn", "mirror"}
    r = run("--db", str(tmp_path / "demo.db"), "verify", "--json")
    assert json.loads(r.stdout)["ok"]


def test_demo_headless_prints_the_dashboard(tmp_path):
    r = run("demo", "--headless")
    assert r.returncode == 0, r.stderr
    assert "EXPOSED for" in r.stdout and "people 6,252" in r.stdout
    assert "tip from Advocates" in r.stdout


def test_version_and_help():
    assert run("--version").stdout.startswith("warroom ")
    r = run("--help")
    assert r.returncode == 0 and "demo" in r.stdout and "verify" in r.stdout
