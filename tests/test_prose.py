"""People in prose: every field of every person read back from generated e-mails, posts and
replies (made-up people), the fields kept with their own person, and hostile text bounded."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from clirun import invoke, one_json

from warroom.artifact import prose, prose_fields
from warroom.artifact.scan import Scan, scan_file

import files

FIELDS = ("a_number", "full_name", "family_name", "given_names", "birth_date", "nationality",
          "facility")


def people(path: Path) -> dict[str, dict]:
    return {p["a_number"]: {k: p.get(k) for k in FIELDS} for p in Scan(path).people()}


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Null:
    """An analyzer engine that finds nothing: prose.py's own work, without presidio."""

    def analyze(self, *args, **kwargs) -> list:
        return []


def test_an_email_quoting_twelve_people_in_four_layouts(tmp_path):
    ps = files.roster(12, seed=41)
    path, expected = files.write_prose_email(tmp_path / "fw.eml", ps)
    assert people(path) == expected
    result = scan_file(path, sandbox=False)
    assert result.records == 12 and result.a_numbers == 12
    for entity in ("PERSON", "DATE_OF_BIRTH", "NATIONALITY", "FACILITY"):
        assert result.entities[entity] == 12, entity
    assert result.entities["PHONE_NUMBER"] == 1 and result.entities["EMAIL_ADDRESS"] == 2


def test_every_layout_on_many_people(tmp_path):
    """Forty people: every name shape the generator makes (one or two words each side)."""
    ps = files.roster(40, seed=42)
    path, expected = files.write_prose_email(tmp_path / "fw.txt", ps)
    assert people(path) == expected


def test_an_email_wrapped_at_72_columns(tmp_path):
    path, expected = files.write_wrapped_email(tmp_path / "wrapped.eml", files.roster(16, seed=54))
    assert max(len(line) for line in path.read_text().splitlines()[:10]) <= 72
    assert people(path) == expected


def test_warroom_scan_json_counts_the_fields_of_people_in_prose(tmp_path):
    ps = files.roster(12, seed=43)
    path, _ = files.write_prose_email(tmp_path / "fw.eml", ps)
    r = invoke("--db", tmp_path / "none.db", "scan", path, "--json")
    assert r.exit_code == 0, r.output
    doc = one_json(r.stdout)
    assert doc["records"] == 12 and doc["a_numbers"] == 12
    assert {k: doc["entities"][k] for k in ("PERSON", "DATE_OF_BIRTH", "NATIONALITY",
                                            "FACILITY")} == dict.fromkeys(
        ("PERSON", "DATE_OF_BIRTH", "NATIONALITY", "FACILITY"), 12)
    assert doc["nationalities"] == files.truth(ps)["nationalities"]
    assert [t["name"] for t in doc["tables"]] == ["prose"]
    assert all(p.a_number not in r.stdout for p in ps)       # shown redacted


def test_a_quoted_reply_repeating_people_gives_each_once_with_fields_merged(tmp_path):
    ps = files.roster(6, seed=44)
    lines = ["Thanks. Two more of ours are on it:"]
    lines += [f"{p.full_name} — A#{p.a_number[1:]} — {p.nationality}" for p in ps[:3]]
    lines += ["", "On Mon, Nov 21, 2022 at 10:14 AM Intake <intake@advocates-fictitious.org>"
              " wrote:"]
    lines += [f"> {files.prose_list(p)}" for p in ps]
    got = people(write(tmp_path / "re.eml", *lines))
    assert got == {p.a_number: files.PROSE_LAYOUTS[0][1](p) for p in ps}


def test_two_people_in_one_paragraph_each_keep_their_own_fields(tmp_path):
    one, two = files.roster(2, seed=45)
    text = (f"My client {one.given_names.title()} {one.family_name} (A#{one.a_number[1:]}),"
            f" born on {files._spelled(one.birth_date)}, is held at {one.facility}, and her"
            f" brother {two.given_names.title()} {two.family_name} (A {two.a_number[1:4]}"
            f" {two.a_number[4:7]} {two.a_number[7:]}), a national of"
            f" {files.SHORT[two.nationality]} born on {files._us(two.birth_date)}, is held at"
            f" {two.facility}.")
    got = people(write(tmp_path / "post.txt", text))
    assert got[one.a_number] == {**files._expect(one, one.family_name, one.given_names.title()),
                                 "nationality": None}
    assert got[two.a_number] == files._expect(two, two.family_name, two.given_names.title())


def test_names_beside_their_numbers_go_to_their_own_person(tmp_path):
    one, two = files.roster(2, seed=46)
    title = [f"{p.given_names.title()} {p.family_name.title()}" for p in (one, two)]
    got = people(write(tmp_path / "post.txt",
                       f"Both {title[0]} (A#{one.a_number[1:]}) and {title[1]}"
                       f" (A#{two.a_number[1:]}) are on the list."))
    assert got[one.a_number]["full_name"] == title[0]
    assert got[two.a_number]["full_name"] == title[1]
    assert got[one.a_number]["family_name"] is None        # "Given Family": no split is sure
    one, two, three = files.roster(3, seed=53)
    got = people(write(tmp_path / "post2.txt",
                       f"A#{one.a_number[1:]}, {two.given_names.title()} {two.family_name}"
                       f" (A#{two.a_number[1:]}), A#{three.a_number[1:]} - {three.full_name}."))
    assert [got[p.a_number]["full_name"] for p in (one, two, three)] == [
        None, f"{two.family_name}, {two.given_names.title()}", three.full_name]


def test_a_family_name_that_is_a_country_and_one_person_a_line(tmp_path):
    """MALI the family name is a name (the line's nationality is another word); and a line
    with a field twice gives nothing to the next line's person."""
    a, b, c = files.roster(3, seed=55)
    a = replace(a, family_name="MALI", nationality="MEXICO")
    lines = [files.prose_list(p) for p in (a, b, c)]
    lines[1] = lines[1].replace(" — DOB", f" — {b.nationality} — DOB")    # nationality twice
    got = people(write(tmp_path / "list.txt", "Three more of them:", *lines))
    assert got == {p.a_number: files._expect(p, p.family_name, p.given_names) for p in (a, b, c)}


def test_a_text_of_one_person_a_line_that_reads_as_a_csv(tmp_path):
    """'FAMILY, GIVEN — A… — …' lines split alike on their one comma: the sniffer takes the
    file for a CSV of two columns, none of people; its rows with an A-number are prose."""
    ps = files.roster(4, seed=56)
    path = write(tmp_path / "list.txt", *(files.prose_list(p) for p in ps))
    result = scan_file(path, sandbox=False)
    assert result.format == "csv" and result.records == 4
    assert people(path) == {p.a_number: files._expect(p, p.family_name, p.given_names)
                            for p in ps}


def test_records_with_the_number_first_and_no_blank_lines(tmp_path):
    ps = files.roster(5, seed=47)
    lines = []
    for p in ps:
        lines += [f"A-Number: {p.a_number[1:]}", f"Name: {p.full_name}",
                  f"DOB: {files._us(p.birth_date)}", f"Nationality: {p.nationality}",
                  f"Location: {p.facility}"]
    got = people(write(tmp_path / "list.txt", *lines))
    assert got == {p.a_number: files._expect(p, p.family_name, p.given_names) for p in ps}


def test_a_name_on_the_line_before_and_how_far_a_field_may_be(tmp_path):
    one, two = files.roster(2, seed=48)
    got = people(write(
        tmp_path / "note.txt",
        f"Client: Given {one.family_name}",           # cue and "Given FAMILY" on the line before
        f"A-number: {one.a_number}",
        "",
        f"Ms. Visitor {two.family_name} called about the list on Monday.",   # a sentence of
        # its own, two lines before the number: someone else
        "We have no more to say about it here.",
        f"A-number: {two.a_number}, held at {two.facility}."))
    assert got[one.a_number]["full_name"] == f"{one.family_name}, Given"
    assert got[one.a_number]["facility"] is None
    assert got[two.a_number]["full_name"] is None
    assert got[two.a_number]["facility"] == two.facility


def test_sent_and_hearing_dates_are_no_birth_dates(tmp_path):
    one, two, three = files.roster(3, seed=49)
    got = people(write(
        tmp_path / "mail.eml",
        "Sent: 11/21/2022 10:14 AM",
        f"Client: {one.given_names.title()} {one.family_name}",
        f"A-number: {one.a_number}",
        "Hearing date: 12/05/2022",
        "",
        f"A#{two.a_number[1:]} - {two.full_name}, hearing on 01/09/2023, born in"
        f" {files.SHORT[two.nationality]}.",
        f"{three.full_name} (A#{three.a_number[1:]}), DOB {files._us(three.birth_date)},"
        " court date 05/06/2023, booked in on 10/01/2022."))
    assert got[one.a_number]["birth_date"] is None
    assert got[two.a_number]["birth_date"] is None
    assert got[two.a_number]["nationality"] == files.SHORT[two.nationality]
    assert got[three.a_number]["birth_date"] == three.birth_date.isoformat()


def test_a_forum_post(tmp_path):
    ps = files.roster(3, seed=50)
    a, b, c = ps
    got = people(write(
        tmp_path / "forum.html.txt",
        "Posted by throwaway_22 on 11/20/2022 at 3:14 pm",
        f"Found my cousin on the list they leaked: {files.prose_forum(a)}",
        "Reply from mod_team on 11/20/2022: please remove personal details from posts.",
        f"Name: {b.full_name} A-Number: {b.a_number[1:4]} {b.a_number[4:7]} {b.a_number[7:]}"
        f" DOB: {files._us(b.birth_date)} Nationality: {b.nationality} Facility: {b.facility}",
        f"Mine too, {c.given_names.title()} {c.family_name} A# {c.a_number[1:]}, a"
        f" {files.SHORT[c.nationality]} citizen, born {c.birth_date.isoformat()}, now at"
        f" {c.facility}."))
    assert got == {
        a.a_number: files._expect(a, a.family_name.title(), a.given_names.title()),
        b.a_number: files._expect(b, b.family_name, b.given_names),
        c.a_number: files._expect(c, c.family_name, c.given_names.title())}


def test_the_old_email_generator_still_reads_whole(tmp_path):
    """tests/files.write_email: an aligned block (a table) and 'FAMILY, GIVEN, A# …' lines."""
    ps = files.roster(24, seed=51)
    got = people(files.write_email(tmp_path / "tip.eml", ps))
    for p in ps[12:]:
        assert got[p.a_number] == files._expect(p, p.family_name, p.given_names,
                                                facility=False)


def test_facility_of_is_the_cleaned_text():
    assert prose_fields.facility_of("  Alder Creek\n Processing Center. ") == \
        "Alder Creek Processing Center"
    assert prose_fields.facility_of(" - ") is None


# ------------------------------------------------------------------ hostile text
def _numbers(n: int, start: int = 900_000_000) -> list[str]:
    return [f"A{start + i * 7:09d}" for i in range(n)]


def test_thousands_of_a_numbers_on_one_line_without_a_newline():
    numbers = _numbers(5000)
    found = prose.read([" ".join(numbers)], Null())
    assert [p["a_number"] for p in found.people] == numbers
    assert not any(p["full_name"] or p["birth_date"] for p in found.people)


def test_a_name_beside_each_of_many_numbers_on_one_line():
    ps = files.roster(600, seed=52)
    line = "; ".join(f"{p.full_name} — {p.a_number}" for p in ps)
    found = prose.read([line], Null())
    assert {p["a_number"]: p["full_name"] for p in found.people} == {
        p.a_number: p.full_name for p in ps}


@pytest.mark.parametrize("text", [
    "A" * 300_000, "AAAA, " * 50_000, "Aa " * 100_000, "1" * 300_000, "A1" * 150_000,
    "Xxxx " * 60_000 + "A900000001", "XXXX " * 60_000 + "A900000001",
    "DOB " * 60_000 + "03/04/1990 A900000001", "- Xx, " * 50_000 + "A900000001",
    "held at " * 40_000 + "Processing Center A900000001", "Mr. " * 75_000 + "A900000001",
    ("Zz " * 7 + "processing ") * 30_000 + "A900000001",
    "A900000001 " + "Name: " * 60_000, "\n" * 300_000 + "A900000001",
    "A-number: " * 30_000 + "900000001",
], ids=lambda t: repr(t[:12]))
def test_adversarial_lines_are_read_whole(text):
    """Built against the patterns (long runs of what a name, a cue or a facility starts
    with): a pattern with nested repeats would never finish; these take well under a second
    each. The one A-number at the end is found, and only it."""
    found = prose.read([text], Null())
    assert [p["a_number"] for p in found.people] == (["A900000001"] if "9" in text else [])


def test_prose_beyond_the_limits_is_cut_and_said(monkeypatch):
    monkeypatch.setattr(prose, "MAX_PROSE_LINES", 10)
    found = prose.read([f"A#{n[1:]} is on it." for n in _numbers(25)], Null())
    assert len(found.people) == 10 and found.pieces == 10
    assert found.notes == ["only the first 10 lines of prose with digits were scanned"]


def test_presidio_person_spans_are_names_when_a_model_is_installed():
    """With a real NER model, presidio's PERSON spans join the names found by shape."""
    from presidio_analyzer import RecognizerResult

    class Model(Null):
        def analyze(self, text, **kwargs):
            at = text.find("Maria Lopez")
            return [RecognizerResult("PERSON", at, at + 11, 0.85)] if at >= 0 else []

    lines = ["my sister, you know, she is there too: Maria Lopez", "A#912345678 is hers."]
    assert prose.read(lines, Model(), model=False).people[0]["full_name"] is None
    found = prose.read(lines, Model(), model=True)
    assert found.people[0]["full_name"] == "Maria Lopez"


def test_a_line_of_four_thousand_a_numbers_through_the_sandbox(tmp_path):
    """The whole path (presidio on every piece of the line, in the sandbox's child), which
    asks for time by the size of what presidio reads."""
    numbers = _numbers(4000)
    path = write(tmp_path / "dump.txt", ", ".join(numbers))
    asked: list[float] = []
    inside = Scan(path, more_time=asked.append)
    assert [p["a_number"] for p in inside.people()] == numbers
    assert asked and asked[0] >= len(path.read_text()) * prose.PROSE_SECONDS_A_CHAR
    result = scan_file(path)
    assert result.records == result.a_numbers == 4000
    assert result.tables[0].name == "prose" and result.tables[0].rows == inside.result.rows > 10


def test_a_facility_in_prose_gets_its_one_spelling_as_in_a_table(tmp_path):
    """The agency's list names it 'ADELANTO ICE PROCESSING CENTER'; an e-mail abbreviates."""
    from warroom.artifact.facilities import facilities

    canonical = facilities().match("Adelanto ICE Processing Center")
    text = tmp_path / "mail.txt"
    text.write_text("Client: Maria RUIZ\nA-number: A912345678\nDate of birth: 03/14/1990\n"
                    "Facility: Adelanto ICE Processing Ctr\n", encoding="utf-8")
    (person,) = list(Scan(text).people())
    assert canonical and person["facility"] == canonical
    assert person["a_number"] == "A912345678" and person["birth_date"] == "1990-03-14"
