"""Notice letters: every template renders for every person of the demo and names its
addressee and nothing else of the record; envelopes tell nothing; drafts say so; the three
formats carry the same letter, read back from the bytes written (PDF text through pdfium)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from warroom.artifact.roster import import_people
from warroom.checklists import letters
from warroom.checklists.letter_formats import render, to_html, to_markdown
from warroom.errors import WarroomError
from warroom.incident import add_location, open_incident, record
from warroom.journal import queries
from warroom.model import Kind, LocationKind
from warroom.tips import add_tip

from files import HIGH_RISK, SHORT, roster

EASTERN = timezone(timedelta(hours=-5))
T0 = datetime(2022, 11, 28, 9, 45, tzinfo=EASTERN)
ORIGIN = "https://www.agency.example/files/detention-stats.xlsx"
DATED = date(2022, 12, 5)
LANGS = ["en", "es", "fa", "ru", "zh"]
DRAFTS = {"fa", "ru", "zh"}
# Written out here, not taken from the code: what no envelope may say, in any language.
ENVELOPE_NEVER = ["asylum", "asilo", "refugee", "refugiad", "immigra", "inmigra", "migra",
                  "deport", "breach", "leak", "exposure", "data", "datos", "庇护", "移民",
                  "难民", "泄露", "پناه", "مهاجرت", "убежищ", "иммигра", "беженц", "утечк"]
CONTACT = """
[sender]
name = "Records Office"
address = ["500 Example Avenue", "Springfield, ST 00000"]
[contact]
name = "Notice help line"
phone = "1-800-555-0100"
email = "notice@agency.example"
hours = "Monday to Friday, 8:00 to 20:00"
[[legal_help]]
name = "Free Legal Aid of Springfield (fictitious)"
phone = "1-800-555-0199"
[signature]
name = "A. Official"
title = "Records Officer"
[letter]
hold_days = 30
timezone = "America/New_York"
"""


def contact_file(tmp_path: Path, text: str = CONTACT) -> Path:
    path = tmp_path / "contact.toml"
    path.write_text(text, encoding="utf-8")
    return path


def incident(journal, n: int = 12, seed: int = 7, *, taken_down: bool = True) -> list[dict]:
    """An incident like the real one (posted 09:45, tip 13:53, down 14:04 Eastern, one
    download) and n made-up people in the roster; returns the roster rows."""
    open_incident(journal, "Letters test", at=T0 + timedelta(hours=4, minutes=10))
    add_location(journal, ORIGIN, LocationKind.ORIGIN, at=T0 + timedelta(hours=4, minutes=10))
    record(journal, Kind.POSTED, ORIGIN, {"url": ORIGIN}, at=T0)
    add_tip(journal, "Advocates (fictitious)", "a list of detainees is on your site",
            discovery=True, at=T0 + timedelta(hours=4, minutes=8))
    record(journal, Kind.DOWNLOADED, "198.51.100.23", {"client": "198.51.100.23"},
           at=T0 + timedelta(minutes=26))
    if taken_down:
        record(journal, Kind.TAKEN_DOWN, ORIGIN, {"url": ORIGIN},
               at=T0 + timedelta(hours=4, minutes=19))
    import_people(journal, [{
        "a_number": p.a_number, "full_name": p.full_name, "birth_date": p.birth_date.isoformat(),
        "nationality": SHORT[p.nationality], "facility": p.facility,
        "high_risk": SHORT[p.nationality] in HIGH_RISK} for p in roster(n, seed)])
    return queries.letter_people(journal.conn)


def compose_all(journal, tmp_path, lang: str, people: list[dict] | None = None,
                contact: str = CONTACT) -> list[letters.Letter]:
    details = letters.load_contact(contact_file(tmp_path, contact))
    facts = letters.incident_facts(journal.conn, details)
    return [letters.compose(p, letters.templates()[lang], facts, details, DATED)
            for p in people or queries.letter_people(journal.conn)]


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as pdfium reads it (every script, in logical order)."""
    import pypdfium2 as pdfium

    return [page.get_textpage().get_text_bounded().replace("\u200b", "")
            for page in pdfium.PdfDocument(data)]


def squeezed(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- what a letter holds


def _leaks(person: dict, t: letters.Template) -> list[str]:
    """Every value of the person's record other than the name and A-number, in the forms a
    letter could print it."""
    values = [v for k, v in person.items() if isinstance(v, str) and len(v) > 2
              and k not in ("a_number", "full_name", "family_name", "given_names")]
    born = date.fromisoformat(person["birth_date"])
    return [*values, t.day(born), born.strftime("%m/%d/%Y"), born.strftime("%d/%m/%Y")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from warroom.demo import staged
    from warroom.journal import Journal

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with staged(path, fast=True) as live:       # the demo's whole story: the file taken down
        live.run()
    with Journal(path) as journal:
        rows = queries._dicts(journal.conn, "SELECT * FROM people ORDER BY id")
        details = letters.load_contact(contact_file(tmp_path_factory.mktemp("c")))
        yield rows, letters.incident_facts(journal.conn, details), details


def test_every_template_renders_for_every_person_of_the_demo(demo):
    rows, facts, details = demo
    assert len(rows) == 6252
    for lang, t in letters.templates().items():
        for person in rows:
            letter = letters.compose(person, t, facts, details, DATED)
            body = [text for _kind, content in letter.body
                    for text in (content if isinstance(content, tuple) else (content,))]
            flat = "\n".join(x if isinstance(x, str) else " ".join(x) for x in body)
            assert person["full_name"] in flat and person["a_number"] in flat
            for value in _leaks(person, t):
                assert value not in flat, (lang, person["id"], value)
            year = person["birth_date"][:4]
            assert not re.search(rf"(?<!\d){year}(?!\d)", flat), (lang, person["id"])
            envelope = [x for _kind, lines in letter.envelope for x in lines]
            assert envelope[-2:] == [person["full_name"], person["facility"]]
            assert person["a_number"] not in " ".join(envelope)


def test_an_envelope_shows_the_name_the_facility_a_neutral_sender_and_nothing_else(
        journal, tmp_path):
    people = incident(journal, n=3)
    for lang in LANGS:
        for letter in compose_all(journal, tmp_path, lang, people[:1]):
            envelope = [x for _kind, lines in letter.envelope for x in lines]
            said = " ".join(envelope).lower()
            assert [w for w in ENVELOPE_NEVER if w in said] == [], lang
            assert envelope[:3] == ["Records Office", "500 Example Avenue",
                                    "Springfield, ST 00000"]
            assert envelope[-2:] == [people[0]["full_name"], people[0]["facility"]]
            assert people[0]["a_number"] not in said.upper()


def test_draft_translations_say_so_and_checked_ones_do_not(journal, tmp_path):
    incident(journal, n=1)
    for lang in LANGS:
        letter = compose_all(journal, tmp_path, lang)[0]
        banner = letter.body[0] == ("banner", letters.DRAFT_NOTE)
        assert banner == (lang in DRAFTS) == letter.draft, lang
        assert ("DRAFT TRANSLATION" in to_markdown(letter)) == (lang in DRAFTS)
        assert ("DRAFT TRANSLATION" in to_html([letter])) == (lang in DRAFTS)


def test_the_letter_tells_what_happened_in_the_incidents_own_dates(journal, tmp_path):
    incident(journal, n=1)
    text = " ".join(compose_all(journal, tmp_path, "en")[0].texts())
    assert "On 28 November 2022, a file with information about you" in text
    assert "We learned about it on 28 November 2022" in text
    assert "It could be seen for about 4 hours. Some people downloaded it" in text
    assert "not before 4 January 2023, at least 30 days after this notice" in text
    assert "name, date of birth, nationality, detention facility and A-number" in text
    assert "Free Legal Aid of Springfield (fictitious) · 1-800-555-0199" in text
    assert "Phone: 1-800-555-0100" in text
    es = " ".join(compose_all(journal, tmp_path, "es")[0].texts())
    assert "El 28 de noviembre de 2022" in es and "antes del 4 de enero de 2023" in es
    fa = " ".join(compose_all(journal, tmp_path, "fa")[0].texts())
    assert "۲۸ نوامبر ۲۰۲۲" in fa and "۳۰ روز" in fa     # Persian digits for dates, numbers
    zh = " ".join(compose_all(journal, tmp_path, "zh")[0].texts())
    assert "2022年11月28日" in zh and "2023年1月4日" in zh


def test_no_letter_before_the_file_is_down(journal, tmp_path):
    incident(journal, n=1, taken_down=False)
    with pytest.raises(WarroomError, match="taken down"):
        compose_all(journal, tmp_path, "en")
    stated = CONTACT.replace("[letter]", "[letter]\ntaken_down = 2022-11-28T14:04:00-05:00")
    assert "28 November 2022" in " ".join(compose_all(journal, tmp_path, "en",
                                                      contact=stated)[0].texts())


# ---------------------------------------------------------------- the contact details


@pytest.mark.parametrize("old, new", [
    ("Notice help line", "Consulate of the home country"),
    ("Free Legal Aid of Springfield", "Embajada de Mexico"),
    ("notice@agency.example", "help@home-government.example"),
    ("Records Officer", "Консульство, отдел"), ("A. Official", "领事馆")])
def test_a_consular_contact_is_refused(tmp_path, old, new):
    text = CONTACT.replace(old, new)
    with pytest.raises(letters.LetterRefused, match="consulate"):
        letters.load_contact(contact_file(tmp_path, text))


@pytest.mark.parametrize("new", ["Consulta legal gratuita", "Юридическая консультация",
                                 "Counsel for detained people"])
def test_a_consultation_is_no_consulate(tmp_path, new):
    text = CONTACT.replace("Free Legal Aid of Springfield", new)
    assert new in letters.load_contact(contact_file(tmp_path, text)).legal_help[0]["name"]


@pytest.mark.parametrize("sender", ["Asylum Office", "Immigration Records", "Privacy Office",
                                    "Detention Management"])
def test_a_sender_that_says_what_the_letter_is_about_is_refused(tmp_path, sender):
    with pytest.raises(letters.LetterRefused, match="neutral"):
        letters.load_contact(contact_file(tmp_path, CONTACT.replace("Records Office", sender)))


def test_placeholders_are_named_and_a_short_hold_is_refused(tmp_path):
    assert "sender.name" in letters.load_contact().placeholders
    assert letters.load_contact(contact_file(tmp_path)).placeholders == ()
    with pytest.raises(WarroomError, match="at least 30"):
        letters.load_contact(contact_file(tmp_path, CONTACT.replace("= 30", "= 14")))


# ---------------------------------------------------------------- language and names


def test_the_language_comes_from_the_nationality():
    assert [letters.language_for(x) for x in ("China", "IRAN", "Russia", "Mexico",
                                              "Guatemala", "Haiti", None)] == \
        ["zh", "fa", "ru", "es", "es", "en", "en"]


def test_every_nationality_in_the_language_table_is_a_name_the_roster_uses():
    import tomllib

    from warroom.artifact.countries import countries
    from warroom.paths import data_dir

    table = tomllib.loads((data_dir() / "letters" / "languages.toml").read_text("utf-8"))
    for name, code in table["nationality"].items():
        assert countries().lookup(name) == name and code in letters.templates()


def test_a_name_from_the_file_is_shown_never_obeyed(journal, tmp_path):
    incident(journal, n=1)
    person = {**queries.letter_people(journal.conn)[0],
              "full_name": "EVIL\u202eNAME\n# HEADING, <b>X</b> & *Y*"}
    letter = compose_all(journal, tmp_path, "en", [person])[0]
    assert "EVIL NAME # HEADING, <b>X</b> & *Y*" in letter.texts()
    md, html = to_markdown(letter), to_html([letter])
    assert "\u202e" not in md + html and "\n# HEADING" not in md
    assert r"\<b\>X\</b\> & \*Y\*" in md
    assert "&lt;b&gt;X&lt;/b&gt; &amp; *Y*" in html and "<b>X" not in html


# ---------------------------------------------------------------- the formats


def test_html_is_one_self_contained_page_with_each_letter_in_its_direction(journal, tmp_path):
    incident(journal, n=2)
    page = to_html([*compose_all(journal, tmp_path, "fa"), *compose_all(journal, tmp_path, "en")])
    assert not re.search(r"<script|<link|<img|src=|href=|url\(|@import", page)
    assert page.count('class="sheet letter" lang="fa" dir="rtl"') == 2
    assert page.count('class="sheet letter" lang="en" dir="ltr"') == 2
    assert page.count('class="sheet envelope"') == 4


def test_each_pdf_letter_is_its_envelope_sheet_and_one_letter_sheet(journal, tmp_path):
    people = incident(journal, n=2)
    person = {**people[0], "full_name": "QUALITY-LONGNAME " * 4 + ", GIVEN NAMES " * 3}
    for lang in LANGS:
        pages = pdf_pages(render(compose_all(journal, tmp_path, lang, [person, people[1]]),
                                 "pdf"))
        assert len(pages) == 4, lang
        for p, envelope, sheet in zip(people, pages[0::2], pages[1::2]):
            assert p["a_number"] in sheet and p["a_number"] not in envelope
            assert "500 Example Avenue" in envelope and "500 Example Avenue" not in sheet


def test_pdf_text_reads_back_in_every_script_drafts_marked(journal, tmp_path):
    people = incident(journal, n=1)
    expect = {"en": "Which information about you", "es": "Qué datos suyos",
              "ru": "Какие сведения о вас", "zh": "涉及您的哪些信息", "fa": "کدام اطلاعات شما"}
    for lang, heading in expect.items():
        sheet = pdf_pages(render(compose_all(journal, tmp_path, lang), "pdf"))[1]
        assert squeezed(heading) in squeezed(sheet), lang
        assert ("DRAFT TRANSLATION" in sheet) == (lang in DRAFTS)
        assert people[0]["full_name"] in sheet and people[0]["a_number"] in sheet


def test_farsi_runs_right_to_left(journal, tmp_path):
    import pypdfium2 as pdfium

    incident(journal, n=1)
    doc = pdfium.PdfDocument(render(compose_all(journal, tmp_path, "fa"), "pdf"))
    page = doc[1]
    text = page.get_textpage()
    start = text.get_text_range().index("اطلاعیه")    # the title's first word: rightmost
    boxes = [text.get_charbox(i) for i in range(start, start + 7)]
    right_margin = page.get_width() - 22 / 25.4 * 72
    assert right_margin - 6 < max(b[2] for b in boxes) <= right_margin   # a cell's padding
    assert min(b[0] for b in boxes) > page.get_width() / 2


def test_a_character_no_font_draws_is_refused_with_the_remedy(journal, tmp_path):
    incident(journal, n=1)
    letter = compose_all(journal, tmp_path, "zh", contact=CONTACT.replace(
        "Notice help line", "龘 help line"))[0]
    with pytest.raises(WarroomError, match=r"subset\.py"):
        render([letter], "pdf")


def test_the_chinese_subset_draws_every_character_of_the_chinese_template():
    from fontTools.ttLib import TTFont

    from warroom.paths import data_dir

    fonts = data_dir() / "fonts"
    text = (data_dir() / "letters" / "zh.md").read_text("utf-8")
    for weight in ("Regular", "Bold"):
        drawn = set(TTFont(fonts / f"NotoSansSC-{weight}-subset.otf").getBestCmap())
        lacking = {c for c in text if not c.isspace() and ord(c) not in drawn}
        assert not lacking, f"run data/fonts/subset.py: {''.join(sorted(lacking))}"


# ---------------------------------------------------------------- writing and journaling


def test_writing_journals_ids_not_names_and_prepares_the_notices(journal, tmp_path):
    people = incident(journal, n=6)
    chosen = people[:4]
    done = letters.write_letters(journal, chosen, tmp_path / "out", fmt="md", dated=DATED,
                                 contact=contact_file(tmp_path))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{p['id']}-{letters.language_for(p['nationality'])}.md" for p in chosen)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o700
    assert {f.stat().st_mode & 0o777 for f in done.files} == {0o600}
    event = queries.timeline(journal.conn, limit=1)[0]
    assert event.kind == Kind.LETTERS_WRITTEN and event.id == done.event
    assert event.data["people"] == [p["id"] for p in chosen] and event.data["count"] == 4
    assert not any(p["full_name"].split(",")[0] in str(event.data) for p in people)
    states = dict(journal.conn.execute("SELECT id, notify_state FROM people"))
    assert [states[p["id"]] for p in people] == ["prepared"] * 4 + ["pending"] * 2
    from warroom.journal.verify import verify

    assert verify(journal.path).ok


def test_a_batch_is_one_sheet_a_letter_in_facility_order(journal, tmp_path):
    people = incident(journal, n=9, seed=3)
    assert len({p["facility"] for p in people}) > 2
    done = letters.write_letters(journal, people, tmp_path, batch=True, dated=DATED,
                                 contact=contact_file(tmp_path))
    pages = pdf_pages(done.files[0].read_bytes())
    assert len(pages) == 2 * len(people)
    facilities = [next(f for f in {p["facility"] for p in people} if f in page)
                  for page in pages[0::2]]
    assert facilities == sorted(facilities)
    for person, envelope, sheet in zip(people, pages[0::2], pages[1::2]):
        assert squeezed(person["full_name"]) in squeezed(envelope)
        assert person["full_name"] in sheet
        assert re.findall(r"A9\d{8}", sheet) == [person["a_number"]]
