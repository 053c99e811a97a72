"""The exposure commands on a real journal and a real server on 127.0.0.1: a location added
and listed, probed by its content until verified down, a takedown requested, drafted and
closed, and the exposure window with its evidence."""

from __future__ import annotations

import pytest
from clirun import invoke, one_json, one_line

import files
from httpserve import Served


@pytest.fixture
def incident(tmp_path):
    db = tmp_path / "incident.db"
    sheet = files.write_xlsx(tmp_path / "stats.xlsx", files.roster(60, seed=81))
    assert invoke("--db", db, "init", "--name", "Probe by command").exit_code == 0
    assert invoke("--db", db, "scan", sheet, "--import").exit_code == 0
    return db, sheet.read_bytes()


def test_a_location_from_adding_to_verified_down(incident):
    db, body = incident
    with Served() as site:
        site.routes["/stats.xlsx"] = (200, {}, body)
        url = site.url("/stats.xlsx")
        r = invoke("--db", db, "location", "add", url, "--kind", "mirror", "--json")
        assert r.exit_code == 0 and one_json(r.stdout)["url"] == url
        r = invoke("--db", db, "probe", "--once", "--json")
        result = one_json(r.stdout)["results"][0]
        assert (result["url"], result["was"], result["state"]) == (url, "unknown", "live")
        assert result["match"] == "sha256"
        r = invoke("--db", db, "takedown", url, "--via", "host", "--ref", "ABUSE-7", "--json")
        assert r.exit_code == 0 and one_json(r.stdout)["via"] == "host"
        r = invoke("--db", db, "takedown", url, "--draft")
        assert url in r.stdout and "ABUSE-7" in r.stdout
        site.routes["/stats.xlsx"] = (404, {}, b"gone")
        for _ in range(2):
            r = invoke("--db", db, "probe", "--confirm", "2", "--over", "0", "--json")
    assert one_json(r.stdout)["results"][0]["state"] == "verified_down"
    r = invoke("--db", db, "location", "list", "--json")
    row = one_json(r.stdout)["locations"][0]
    assert row["state"] == "verified_down" and row["takedown"] is None   # closed by the probe
    assert row["takedowns"][0]["state"] == "done"
    r = invoke("--db", db, "verify", "--json")
    assert one_json(r.stdout)["ok"]


def test_the_exposure_window_and_its_gaps(tmp_path):
    db = tmp_path / "demo.db"
    r = invoke("--db", db, "demo", "--json")
    assert r.exit_code == 0, r.output
    r = invoke("--db", db, "exposure", "--json")
    doc = one_json(r.stdout)
    assert doc["clock"] == "CONTAINED" and not doc["live"]   # the demo's live part pulled it
    whats = [m["what"] for m in doc["moments"]]
    assert whats.index("posted") < whats.index("discovered") < whats.index(
        "taken down at the origin")
    r = invoke("--db", db, "exposure")
    assert r.exit_code == 0 and "discovered" in r.stdout and "every location down" in r.stdout


def test_usage_errors_are_exit_2(incident):
    db, _ = incident
    r = invoke("--db", db, "probe", "--over", "5x")
    assert r.exit_code == 2 and "no duration" in r.stderr
    r = invoke("--db", db, "takedown", "https://x.example/f")
    assert r.exit_code == 2
    r = invoke("--db", db, "takedown", "https://nowhere.example/f", "--via", "site")
    assert r.exit_code == 1 and one_line(r.stderr).startswith("warroom: error:")


def test_logs_on_the_real_apache_log_and_the_import(tmp_path):
    from conftest import real_data

    log = real_data("apache_logs.gz")
    db = tmp_path / "incident.db"
    assert invoke("--db", db, "init", "--name", "Logs by command").exit_code == 0
    r = invoke("--db", db, "logs", log, "--path", "/images/logstash_OSCON.pdf",
               "--size", "1693678", "--import", "--json")
    doc = one_json(r.stdout)
    assert (doc["lines"], len(doc["downloaders"])) == (10_000, 10)   # counted by hand
    assert doc["first_access"] == "2015-05-17T13:05:12.000Z"
    assert doc["imported"]["downloaders"] == 10
    r = invoke("--db", db, "verify", "--json")
    assert one_json(r.stdout)["tables"]["downloaders"] == 10
    r = invoke("--db", db, "logs", tmp_path / "none.log", "--path", "/f")
    assert r.exit_code == 2                                           # no such file: usage
