"""What held when tried as an attacker would, kept as tests: eight writers at once with
verify looping and never "database is locked"; file modes under umask 000; entity expansion
in spreadsheets and pages refused or ignored."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import zipfile

from warroom.artifact.scan import Scan, scan_file
from warroom.errors import WarroomError
from warroom.journal import Journal
from warroom.journal.verify import verify

import files

WRITER = """
import sys
from warroom.journal import Journal
from warroom.model import Kind
name, n = sys.argv[1], int(sys.argv[2])
with Journal(sys.argv[3], actor=name) as j:
    for i in range(n):
        j.append(Kind.NOTE, None, {"text": f"{name} {i}"})
"""


def test_eight_writers_and_a_verify_loop_never_lock(db):
    Journal(db, create=True).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, f"w{k}", "60", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(8)]
    reports, stop = [], threading.Event()

    def verify_loop() -> None:
        while not stop.is_set():
            reports.append(verify(db))

    looper = threading.Thread(target=verify_loop)
    looper.start()
    errors = [p.communicate(timeout=180)[1] for p in procs]
    stop.set()
    looper.join(timeout=60)
    assert all(p.returncode == 0 for p in procs), errors
    assert not any("locked" in e or "busy" in e for e in errors)
    assert reports and all(r.ok for r in reports), [r.faults for r in reports if not r.ok]
    final = verify(db)
    assert final.ok and final.events == 8 * 60


def test_file_modes_under_umask_000(tmp_path):
    from warroom.artifact.service import acquire_and_scan

    sheet = files.write_csv(tmp_path / "list.csv", files.roster(20, seed=91))
    old = os.umask(0)
    try:
        db = tmp_path / "incident.db"
        with Journal(db, create=True) as j:
            acquire_and_scan(j, str(sheet), import_people_too=True)
            made = [db, *(p for p in (db.with_name(db.name + "-wal"),
                                      db.with_name(db.name + "-shm")) if p.exists())]
            evidence = tmp_path / "incident.evidence"
            assert stat.S_IMODE(evidence.stat().st_mode) == 0o700
            made += list(evidence.iterdir())
            for path in made:
                assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    finally:
        os.umask(old)


def _laughs() -> str:
    """The billion laughs: ten levels of ten references, 10**9 "lol"s once expanded."""
    levels = ['<!ENTITY lol0 "lol">']
    levels += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return '<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(levels) + "]>"


LAUGHS = _laughs()


def test_entity_expansion_in_a_spreadsheet_is_refused_or_ignored(tmp_path):
    good = files.write_xlsx(tmp_path / "good.xlsx", files.roster(10, seed=92))
    bad = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                body = data.decode("utf-8").split("?>", 1)[-1]
                data = (LAUGHS + body.replace("<t>", "<t>&lol9;", 1)).encode()
            dst.writestr(item, data)
    try:
        result = scan_file(bad)
    except WarroomError as exc:           # refused: one clear line naming the file
        assert "laughs.xlsx" in str(exc)
        return
    assert result.records <= 10            # or read without expanding anything


def test_entity_expansion_in_a_page_is_ignored(tmp_path):
    page = tmp_path / "laughs.html"
    rows = "".join(f"<tr><td>A9{i:08d}</td><td>&lol9;</td></tr>" for i in range(5))
    page.write_text(LAUGHS + "<html><body><table><tr><th>A-Number</th><th>Name</th></tr>"
                    + rows + "</table></body></html>")
    try:
        result = scan_file(page)
    except WarroomError as exc:
        assert "laughs.html" in str(exc)
        return
    assert result.records == 5
    people = list(Scan(page).people())
    assert all(len(str(v)) < 1000 for person in people for v in person.values())
