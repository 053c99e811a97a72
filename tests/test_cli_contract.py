"""The contract, held by the installed `warroom` command in real processes: exit statuses
0/1/2/70, exactly one JSON document on stdout with --json, one line on stderr for an error,
--db before and after the command, a closed stdout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from clirun import WARROOM, installed, one_json, one_line


def test_the_installed_command_runs_this_code():
    r = installed("--version")
    assert r.returncode == 0 and r.stdout.startswith("warroom ")
    r = subprocess.run([sys.executable, "-c", "import warroom; print(warroom.__file__)"],
                       capture_output=True, text=True)
    import warroom

    assert r.stdout.strip() == warroom.__file__   # the subprocesses test this tree


def test_exit_0_and_one_json_document_with_db_before_and_after(tmp_path):
    db = tmp_path / "j.db"
    r = installed("--db", db, "init", "--name", "Roster on agency site", "--json")
    assert r.returncode == 0 and r.stderr == ""
    assert one_json(r.stdout)["name"] == "Roster on agency site"
    r = installed("verify", "--json", "--db", db)
    assert r.returncode == 0 and r.stderr == ""
    doc = one_json(r.stdout)
    assert doc["ok"] and doc["events"] == 1 and doc["path"] == str(db)


def test_exit_1_is_one_line_on_stderr(tmp_path):
    r = installed("--db", tmp_path / "none.db", "verify", "--json")
    assert r.returncode == 1 and r.stdout == ""
    assert one_line(r.stderr).startswith("warroom: error: no journal at")


def test_exit_2_is_the_error_and_the_usage_hint():
    r = installed("scan")
    assert r.returncode == 2 and r.stdout == ""
    error, usage = r.stderr.strip("\n").split("\n")
    assert error == "warroom: error: missing argument 'FILE|URL'."
    assert usage.startswith("Usage: warroom scan [OPTIONS] FILE|URL")


def test_exit_70_is_one_line_and_debug_shows_the_traceback(tmp_path):
    db = tmp_path / "j.db"
    installed("--db", db, "init", "--name", "A")
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE events")   # a journal nobody planned for
    conn.close()
    r = installed("--db", db, "verify")
    assert r.returncode == 70
    line = one_line(r.stderr)
    assert line.startswith("warroom: internal error: OperationalError:")
    assert "--debug" in line
    r = installed("verify", "--db", db, "--debug")
    assert r.returncode == 1 and "Traceback" in r.stderr


def test_python_dash_m_warroom(tmp_path):
    r = subprocess.run([sys.executable, "-m", "warroom", "--db", tmp_path / "none.db",
                        "verify"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "no journal at" in one_line(r.stderr)


def test_a_closed_stdout_ends_quietly(tmp_path):
    read, write = os.pipe()
    os.close(read)   # the reader is gone before the first byte
    try:
        for args in (["--help"], ["--db", tmp_path / "none.db", "init", "--name", "A",
                                  "--json"]):
            command = [str(WARROOM)] if WARROOM.exists() else [sys.executable, "-m", "warroom"]
            r = subprocess.run([*command, *map(str, args)], stdout=write,
                               stderr=subprocess.PIPE, text=True, timeout=60)
            assert r.returncode == 1 and r.stderr == "", r.stderr
    finally:
        os.close(write)
