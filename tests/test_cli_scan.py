"""`warroom scan`: the JSON contract, with and without a journal, over HTTP too."""

from __future__ import annotations

import json
import subprocess
import sys

import files
from httpserve import Site


def run(*args):
    return subprocess.run([sys.executable, "-m", "warroom", *args], capture_output=True,
                          text=True, timeout=180)


def test_scan_json_contract_without_a_journal(tmp_path):
    ps = files.roster(500, seed=51)
    path = files.write_xlsx(tmp_path / "list.xlsx", ps)
    r = run("--db", str(tmp_path / "none.db"), "scan", str(path), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    truth = files.truth(ps)
    for key in ("records", "a_numbers", "nationalities", "high_risk"):
        assert doc[key] == truth[key]
    assert doc["format"] == "xlsx" and len(doc["sha256"]) == 64 and doc["file"] == str(path)
    assert doc["columns"]["A-Number"] == "A_NUMBER"
    assert doc["entities"]["A_NUMBER"] == 500
    assert "blank spaCy pipeline" in doc["nlp"]
    assert not (tmp_path / "none.db").exists()


def test_scan_url_into_a_journal_and_import(tmp_path):
    db = str(tmp_path / "j.db")
    assert run("--db", db, "init", "--name", "t").returncode == 0
    ps = files.roster(200, seed=52)
    body = files.write_csv(tmp_path / "l.csv", ps).read_bytes()
    with Site() as site:
        site.routes["/l.csv"] = (200, {"Content-Type": "text/csv"}, body)
        r = run("--db", db, "scan", site.url("/l.csv"), "--import", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["records"] == 200 and doc["imported"]["added"] == 200
    assert doc["artifact"]["status"] == 200 and doc["artifact"]["evidence"].endswith(doc["sha256"])
    r = run("--db", db, "scan", str(tmp_path / "l.csv"), "--import", "--json")
    doc = json.loads(r.stdout)
    assert doc["artifact"]["known"] and doc["imported"]["added"] == 0
    verified = json.loads(run("--db", db, "verify", "--json").stdout)
    assert verified["ok"] and verified["tables"]["people"] == 200


def test_scan_errors_are_one_line(tmp_path):
    junk = tmp_path / "x.csv"
    junk.write_bytes(b"\x00\x01\x02" * 1000)
    r = run("--db", str(tmp_path / "none.db"), "scan", str(junk))
    assert r.returncode == 1 and "binary data" in r.stderr and "Traceback" not in r.stderr
    r = run("--db", str(tmp_path / "none.db"), "scan", str(junk), "--import")
    assert r.returncode == 1 and "--import fills a journal" in r.stderr


def test_scan_human_output_is_redacted(tmp_path):
    ps = files.roster(30, seed=53)
    sheet = files.write_xlsx(tmp_path / "l.xlsx", ps)
    r = run("--db", str(tmp_path / "none.db"), "scan", str(sheet))
    assert r.returncode == 0, r.stderr
    assert "records 30" in r.stdout and "A-***-***-" in r.stdout
    assert not any(p.family_name in r.stdout or p.a_number in r.stdout for p in ps)


def test_high_risk_list_can_be_given(tmp_path):
    ps = files.roster(400, seed=54)
    path = files.write_xlsx(tmp_path / "l.xlsx", ps)
    r = run("--db", str(tmp_path / "none.db"), "scan", str(path), "--json",
            "--high-risk", "Cuba, VENEZUELAN,prc")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    nat = files.truth(ps)["nationalities"]
    assert doc["high_risk_list"] == ["China", "Cuba", "Venezuela"]
    assert doc["high_risk"] == nat["Cuba"] + nat["Venezuela"] + nat["China"]
    r = run("--db", str(tmp_path / "none.db"), "scan", str(path), "--high-risk", "Atlantis")
    assert r.returncode == 1 and "Atlantis" in r.stderr
