"""`warroom letters`: whom it writes to, what it refuses, what it prints and journals."""

from __future__ import annotations

from click.testing import CliRunner
from clirun import invoke, one_json, one_line
from test_letters import CONTACT, contact_file, incident, pdf_pages

from warroom.cli import cli
from warroom.journal import Journal, queries


def _setup(db, tmp_path, n: int = 8):
    with Journal(db, create=True) as journal:
        people = incident(journal, n=n, seed=5)
    return people, contact_file(tmp_path)


def _events(db) -> int:
    with Journal(db) as journal:
        return queries.event_count(journal.conn)


def test_letters_for_roster_ids_as_json(db, tmp_path):
    people, contact = _setup(db, tmp_path)
    ids = [str(p["id"]) for p in people[:3]]
    r = invoke("--db", db, "letters", *ids, "--lang", "es", "--format", "html", "-o",
               tmp_path / "out", "--contact", contact, "--date", "2022-12-01", "--json")
    assert r.exit_code == 0, r.stderr
    doc = one_json(r.stdout)
    assert doc["count"] == 3 and doc["languages"] == {"es": 3} and doc["format"] == "html"
    assert doc["dated"] == "2022-12-01" and doc["drafts"] == [] and doc["placeholders"] == []
    assert sorted(doc["files"]) == sorted(str(tmp_path / "out" / f"{i}-es.html") for i in ids)
    page = (tmp_path / "out" / f"{ids[0]}-es.html").read_text("utf-8")
    assert "antes del 31 de diciembre de 2022" in page   # 30 days after the notice's date
    assert not any(p["full_name"] in r.stdout + r.stderr for p in people)
    assert one_json(invoke("--db", db, "verify", "--json").stdout)["ok"]


def test_a_filter_states_its_count_and_asks(db, tmp_path):
    people, contact = _setup(db, tmp_path)
    facility = people[0]["facility"]
    count = sum(p["facility"] == facility for p in people)
    before = _events(db)
    r = CliRunner().invoke(cli, ["--db", str(db), "letters", "--facility", facility.upper(),
                                 "-o", str(tmp_path / "no"), "--contact", str(contact)],
                           input="n\n", catch_exceptions=False)
    assert r.exit_code == 1 and f"Write {count} letters?" in r.stderr
    assert not (tmp_path / "no").exists() and _events(db) == before
    r = invoke("--db", db, "letters", "--facility", facility, "-o", tmp_path / "yes",
               "--contact", contact, "--yes", "--batch")
    assert r.exit_code == 0, r.stderr
    assert f"Wrote {count} letters (pdf, one printable file)" in r.stdout
    assert len(pdf_pages((tmp_path / "yes" / "letters-batch.pdf").read_bytes())) == 2 * count
    assert _events(db) == before + 1


def test_the_human_report_names_drafts_and_placeholders(db, tmp_path):
    people, _contact = _setup(db, tmp_path)
    r = invoke("--db", db, "letters", str(people[0]["id"]), "--lang", "fa", "--format", "md",
               "-o", tmp_path / "out")
    assert r.exit_code == 0, r.stderr
    assert "Draft translations (fa)" in r.stdout
    assert "Not ready to send" in r.stdout and "sender.name" in r.stdout


def test_whom_to_write_to_must_be_said_once(db, tmp_path):
    people, _contact = _setup(db, tmp_path, n=2)
    for args in ([], [str(people[0]["id"]), "--all"], ["--all", "--high-risk"]):
        r = invoke("--db", db, "letters", *args, "-o", tmp_path / "out")
        assert r.exit_code == 2, (args, r.stderr)
        assert r.stderr.startswith("warroom: error:")
    r = invoke("--db", db, "letters", "999", "-o", tmp_path / "out")
    assert r.exit_code == 1 and "no person with roster id 999" in one_line(r.stderr)
    assert not (tmp_path / "out").exists()


def test_what_cannot_be_written_is_one_clear_line(db, tmp_path):
    people, _contact = _setup(db, tmp_path, n=2)
    one = str(people[0]["id"])
    for args, says in (
            (["--lang", "xx"], "no letter template for 'xx'"),
            (["--batch", "--format", "md"], "a printable batch is html or pdf"),
            (["--date", "28/11/2022"], "is not a date")):
        r = invoke("--db", db, "letters", one, "-o", tmp_path / "out", *args)
        assert r.exit_code in (1, 2) and says in one_line(r.stderr.split("\nUsage")[0])


def test_a_consular_contact_is_a_refused_action(db, tmp_path):
    people, _contact = _setup(db, tmp_path, n=2)
    bad = contact_file(tmp_path, CONTACT.replace("Notice help line", "Consular section"))
    before = _events(db)
    r = invoke("--db", db, "letters", str(people[0]["id"]), "-o", tmp_path / "out",
               "--contact", bad)
    assert r.exit_code == 2 and "consulate" in one_line(r.stderr)
    assert _events(db) == before and not list((tmp_path / "out").glob("*"))
