"""`warroom scan`: the JSON contract, with and without a journal, over HTTP too (in-process)."""

from __future__ import annotations

from clirun import invoke, one_json, one_line

import files
from httpserve import Site


def test_scan_json_contract_without_a_journal(tmp_path):
    ps = files.roster(500, seed=51)
    path = files.write_xlsx(tmp_path / "list.xlsx", ps)
    r = invoke("--db", tmp_path / "none.db", "scan", path, "--json")
    assert r.exit_code == 0, r.stderr
    doc = one_json(r.stdout)
    truth = files.truth(ps)
    for key in ("records", "a_numbers", "nationalities", "high_risk"):
        assert doc[key] == truth[key]
    assert doc["format"] == "xlsx" and len(doc["sha256"]) == 64 and doc["file"] == str(path)
    assert doc["columns"]["A-Number"] == "A_NUMBER"
    assert doc["entities"]["A_NUMBER"] == 500
    assert "blank spaCy pipeline" in doc["nlp"]
    assert not (tmp_path / "none.db").exists()


def test_scan_url_into_a_journal_and_import(tmp_path):
    db = tmp_path / "j.db"
    assert invoke("--db", db, "init", "--name", "t").exit_code == 0
    ps = files.roster(200, seed=52)
    body = files.write_csv(tmp_path / "l.csv", ps).read_bytes()
    with Site() as site:
        site.routes["/l.csv"] = (200, {"Content-Type": "text/csv"}, body)
        r = invoke("scan", site.url("/l.csv"), "--import", "--json", "--db", db)
    assert r.exit_code == 0, r.stderr
    doc = one_json(r.stdout)
    assert doc["records"] == 200 and doc["imported"]["added"] == 200
    assert doc["artifact"]["status"] == 200 and doc["artifact"]["evidence"].endswith(doc["sha256"])
    r = invoke("--db", db, "scan", tmp_path / "l.csv", "--import", "--json")
    doc = one_json(r.stdout)
    assert doc["artifact"]["known"] and doc["imported"]["added"] == 0
    verified = one_json(invoke("--db", db, "verify", "--json").stdout)
    assert verified["ok"] and verified["tables"]["people"] == 200


def test_scan_errors_are_one_line(tmp_path):
    junk = tmp_path / "x.csv"
    junk.write_bytes(b"\x00\x01\x02" * 1000)
    r = invoke("--db", tmp_path / "none.db", "scan", junk)
    assert r.exit_code == 1 and "binary data" in one_line(r.stderr)
    r = invoke("--db", tmp_path / "none.db", "scan", junk, "--import")
    assert r.exit_code == 1 and "--import fills a journal" in one_line(r.stderr)


def test_scan_human_output_is_redacted(tmp_path):
    ps = files.roster(30, seed=53)
    sheet = files.write_xlsx(tmp_path / "l.xlsx", ps)
    r = invoke("--db", tmp_path / "none.db", "scan", sheet)
    assert r.exit_code == 0, r.stderr
    assert "records 30" in r.stdout and "A-***-***-" in r.stdout
    assert not any(p.family_name in r.stdout or p.a_number in r.stdout for p in ps)


def test_high_risk_list_can_be_given(tmp_path):
    ps = files.roster(400, seed=54)
    path = files.write_xlsx(tmp_path / "l.xlsx", ps)
    r = invoke("--db", tmp_path / "none.db", "scan", path, "--json",
               "--high-risk", "Cuba, VENEZUELAN,prc")
    assert r.exit_code == 0, r.stderr
    doc = one_json(r.stdout)
    nat = files.truth(ps)["nationalities"]
    assert doc["high_risk_list"] == ["China", "Cuba", "Venezuela"]
    assert doc["high_risk"] == nat["Cuba"] + nat["Venezuela"] + nat["China"]
    r = invoke("--db", tmp_path / "none.db", "scan", path, "--high-risk", "Atlantis")
    assert r.exit_code == 1 and "Atlantis" in one_line(r.stderr)
