"""A journal that cannot be written (a read-only file, folder or mount) is read, and said to
be read-only, never "not a Warroom journal": verify and the console read it; commands that
write get one clear line.

Tests run as root here, and root passes permission checks: for root the files are made
immutable (chattr +i), which root respects; for anyone else, chmod. A read-only mount is made
in a user namespace (`unshare -rm`) where the system allows one."""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from clirun import WARROOM, invoke, one_json, one_line

from warroom.errors import JournalReadOnly
from warroom.journal import Journal
from warroom.model import Kind


@contextmanager
def read_only(*paths: Path):
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o500 if p.is_dir() else 0o400)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if not shutil.which("chattr"):
        pytest.skip("root passes permission checks, and chattr is not installed")
    done: list[Path] = []
    try:
        for p in paths:
            r = subprocess.run(["chattr", "+i", str(p)], capture_output=True, text=True)
            if r.returncode:
                pytest.skip(f"root passes permission checks, and chattr +i fails: {r.stderr}")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run(["chattr", "-i", str(p)], check=True)


@pytest.fixture
def kept(tmp_path: Path) -> Path:
    """A journal with an incident and a note, in a folder of its own."""
    folder = tmp_path / "kept"
    folder.mkdir()
    db = folder / "j.db"
    assert invoke("--db", db, "init", "--name", "Read-only case").exit_code == 0
    with Journal(db) as j:
        j.append(Kind.NOTE, None, {"text": "before the mount went read-only"})
    return db


def _says_read_only(result, why: str) -> None:
    assert result.exit_code == 1 and result.stdout == ""
    line = one_line(result.stderr)
    assert line.startswith("warroom: error: ") and f"is read-only ({why})" in line
    assert "not a Warroom journal" not in line


@pytest.mark.parametrize("which, why", [("file", "the file is not writable"),
                                        ("file and folder", "the file is not writable"),
                                        ("folder", "its folder is not writable")])
def test_verify_reads_and_writes_say_read_only(kept, tmp_path, which, why):
    paths = {"file": [kept], "folder": [kept.parent],
             "file and folder": [kept, kept.parent]}[which]
    sheet = tmp_path / "l.csv"
    sheet.write_text("Name,A-Number\nDOE, JANE,A900000001\n")
    with read_only(*paths):
        r = invoke("--db", kept, "verify", "--json")
        assert r.exit_code == 0, r.stderr
        doc = one_json(r.stdout)
        assert doc["ok"] and doc["events"] == 2
        with Journal(kept) as j:
            assert j.read_only == why
            assert j.conn.execute("SELECT count(*) FROM events").fetchone() == (2,)
            with pytest.raises(JournalReadOnly, match="is read-only"):
                j.append(Kind.NOTE, None, {"text": "refused"})
        _says_read_only(invoke("--db", kept, "init", "--name", "Again"), why)
        _says_read_only(invoke("--db", kept, "scan", sheet, "--import"), why)


async def test_the_console_reads_a_read_only_journal(kept):
    from warroom.tui.app import WarroomApp

    with read_only(kept, kept.parent):
        app = WarroomApp(kept)
        async with app.run_test(size=(120, 34)) as pilot:
            from test_tui import until

            assert await until(pilot, lambda: app.seen_id == 2)   # the first read, off-thread
            assert app.read_error is None
            assert app.connections.get().read_only == "the file is not writable"


def test_unfinished_writes_on_read_only_media_are_named(tmp_path):
    """A writer's last transactions still in the -wal file, and no -shm: reading the file
    alone would miss them, so say what to copy."""
    live, media = tmp_path / "live", tmp_path / "media"
    live.mkdir()
    media.mkdir()
    holder = Journal(live / "j.db", create=True)   # keeps the WAL from being checkpointed
    with Journal(live / "j.db") as writer:
        writer.append(Kind.NOTE, None, {"text": "still in the WAL"})
    for name in ("j.db", "j.db-wal"):
        shutil.copy(live / name, media / name)
    holder.close()
    assert (media / "j.db-wal").stat().st_size > 0
    with read_only(media), pytest.raises(JournalReadOnly, match=r"still in j\.db-wal"):
        Journal(media / "j.db")


def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not _unshare_works(), reason="no user namespaces for a read-only mount")
def test_a_read_only_mount(kept):
    folder = kept.parent

    def on_read_only_mount(*args: str) -> subprocess.CompletedProcess:
        script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
        command = [str(WARROOM)] if WARROOM.exists() else ["python", "-m", "warroom"]
        return subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(folder),
                               *command, *args], capture_output=True, text=True, timeout=120)

    r = on_read_only_mount("verify", "--json", "--db", str(kept))
    assert r.returncode == 0, r.stderr
    assert one_json(r.stdout)["ok"]
    r = on_read_only_mount("--db", str(kept), "init", "--name", "Again")
    assert r.returncode == 1
    assert "is read-only (read-only file system)" in one_line(r.stderr)
