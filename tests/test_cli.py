"""The command line in-process (click's CliRunner): commands, options, the error policy."""

from __future__ import annotations

import sqlite3

import pytest
from clirun import invoke, one_json, one_line

from warroom.cli import main
from warroom.errors import WarroomError
from warroom.journal.schema import SCHEMA_VERSION


def test_init_then_verify_json(db):
    r = invoke("--db", db, "init", "--name", "Roster on agency site", "--json")
    assert r.exit_code == 0, r.stderr
    assert one_json(r.stdout) == {"db": str(db), "name": "Roster on agency site", "event": 1,
                                  "encrypted": False}
    r = invoke("verify", "--db", db, "--json")
    doc = one_json(r.stdout)
    assert r.exit_code == 0 and doc["ok"] and doc["events"] == 1
    assert doc["tables"]["incidents"] == 1


def test_init_twice_is_a_clear_error(db):
    assert invoke("--db", db, "init", "--name", "A").exit_code == 0
    r = invoke("--db", db, "init", "--name", "B")
    assert r.exit_code == 1 and r.stdout == ""
    line = one_line(r.stderr)
    assert line.startswith("warroom: error:") and "already holds an incident" in line


def test_verify_fault_exits_1_and_names_it(db):
    invoke("--db", db, "init", "--name", "A")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE incidents SET name = 'B'")
    conn.commit()
    conn.close()
    r = invoke("--db", db, "verify")
    assert r.exit_code == 1 and "FAULT" in r.stdout
    assert "table incidents disagrees" in r.stdout
    r = invoke("--db", db, "verify", "--json")
    assert r.exit_code == 1 and one_json(r.stdout)["ok"] is False


def test_missing_journal_is_one_line(tmp_path):
    r = invoke("--db", tmp_path / "none.db", "verify")
    assert r.exit_code == 1 and "no journal at" in one_line(r.stderr)


def test_an_error_keeps_the_words_it_was_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Incident.db").mkdir()
    r = invoke("--db", "Incident.db", "verify")
    assert one_line(r.stderr) == (
        "warroom: error: Incident.db is a directory, not a journal file")


def test_newer_schema_is_refused(db):
    invoke("--db", db, "init", "--name", "A")
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    r = invoke("--db", db, "verify")
    assert r.exit_code == 1 and "newer Warroom" in one_line(r.stderr)


# ---------------------------------------------------------------- --db and --debug


def test_db_before_or_after_the_command(tmp_path):
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    assert invoke("--db", before, "init", "--name", "A").exit_code == 0
    assert invoke("init", "--name", "B", "--db", after).exit_code == 0
    assert before.exists() and after.exists()
    # both given: the one after the command wins
    r = invoke("--db", before, "verify", "--json", "--db", after)
    assert one_json(r.stdout)["path"] == str(after)


def test_db_from_the_environment_and_the_default(tmp_path, monkeypatch):
    env_db = tmp_path / "env.db"
    assert invoke("init", "--name", "From env", env={"WARROOM_DB": str(env_db)}).exit_code == 0
    assert env_db.exists()
    r = invoke("--db", tmp_path / "x.db", "verify", env={"WARROOM_DB": str(env_db)})
    assert "no journal at" in r.stderr and str(tmp_path / "x.db") in r.stderr   # --db wins
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "--name", "Here").exit_code == 0
    assert (tmp_path / "warroom.db").exists()


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_shows_the_traceback(tmp_path, where):
    args = ["verify", "--db", tmp_path / "none.db"]
    args = ["--debug", *args] if where == "before" else [*args, "--debug"]
    with pytest.raises(WarroomError, match="no journal at"):
        invoke(*args)


# ---------------------------------------------------------------- the error policy


def test_usage_error_is_one_line_and_the_usage_hint_exit_2():
    r = invoke("scan")
    assert r.exit_code == 2 and r.stdout == ""
    error, usage = r.stderr.strip("\n").split("\n")
    assert error == "warroom: error: missing argument 'FILE|URL'."
    assert usage.startswith("Usage: warroom scan [OPTIONS] FILE|URL")
    assert "warroom scan --help" in usage


@pytest.mark.parametrize("args, said", [
    (["verfy"], "no such command 'verfy'. Did you mean 'verify'?"),
    (["init"], "missing option '--name'."),
    (["verify", "--jsn"], "no such option '--jsn'"),
    (["--bogus"], "no such option '--bogus'"),
    (["verify", "--db"], "option '--db' requires an argument."),   # click gives no context
])
def test_usage_errors_exit_2(args, said):
    r = invoke(*args)
    assert r.exit_code == 2
    error, usage = r.stderr.strip("\n").split("\n")
    assert error.startswith("warroom: error: ") and said in error
    assert usage.startswith("Usage: ") and "warroom" in usage and "--help" in usage


def test_internal_error_exit_70_with_a_hint(db, monkeypatch):
    import warroom.journal.verify

    def broken(*_args, **_kwargs):
        raise RuntimeError("something nobody expected")

    invoke("--db", db, "init", "--name", "A")
    monkeypatch.setattr(warroom.journal.verify, "verify", broken)
    r = invoke("--db", db, "verify")
    assert r.exit_code == 70
    line = one_line(r.stderr)
    assert line.startswith("warroom: internal error: RuntimeError: something nobody expected")
    assert "--debug" in line
    with pytest.raises(RuntimeError):
        invoke("--db", db, "verify", "--debug")


def test_ctrl_c_exits_130(db, monkeypatch):
    import warroom.journal.verify

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    invoke("--db", db, "init", "--name", "A")
    monkeypatch.setattr(warroom.journal.verify, "verify", interrupted)
    r = invoke("--db", db, "verify")
    assert r.exit_code == 130 and r.stderr.strip() == "warroom: interrupted"


def test_main_returns_the_status_and_never_raises(tmp_path, capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("warroom ")
    assert main(["--db", str(tmp_path / "none.db"), "verify"]) == 1
    assert main(["scan"]) == 2


# ---------------------------------------------------------------- help and the console


def test_help_lists_every_command_and_the_default():
    r = invoke("--help")
    assert r.exit_code == 0
    for command in ("init", "verify", "scan", "demo", "tui*"):
        assert f"  {command} " in r.stdout
    assert invoke("-h").stdout == r.stdout
    assert invoke("--version").stdout.startswith("warroom ")


def test_no_command_opens_the_console(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke()   # the default: `tui` on ./warroom.db
    assert r.exit_code == 1 and "no journal at warroom.db" in one_line(r.stderr)
    invoke("init", "--name", "A")
    r = invoke()
    assert r.exit_code == 1
    assert "the console needs a terminal" in one_line(r.stderr)


def test_tui_without_a_terminal_says_so_instead_of_hanging(db):
    invoke("--db", db, "init", "--name", "A")
    r = invoke("tui", "--db", db)
    assert r.exit_code == 1
    assert one_line(r.stderr) == (
        "warroom: error: the console needs a terminal, and stdin and stdout are not one:"
        " run `warroom tui` in a terminal (`warroom verify` reads a journal without one)")
