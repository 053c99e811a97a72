"""The fields of a person in prose, found by shape and context: names ("FAMILY, Given",
"Given FAMILY", after "Name:", "Client", "Mr.", or a title-case name right beside an A-number),
birth dates (a date with birth context, never any date), nationalities (on the number's line,
or with a cue elsewhere) and facilities. prose.py decides whose each one is.

Every pattern here is free of nested repeats and stays on one line: a hostile line of a
megabyte costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from warroom.artifact import recognizers as R
from warroom.artifact.countries import countries, normalize
from warroom.artifact.extract import Nationalities, person_name

NAME, BIRTH, NATION, PLACE = "name", "birth", "nationality", "facility"

_UP = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+"                   # an upper-case word: LOPEZ, O'NEIL
_TI = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ'’]+)?"   # Maria, Ana-Luisa
_UPS = rf"{_UP}(?: +{_UP}){{0,3}}"
_TIS = rf"{_TI}(?: +{_TI}){{0,4}}"
_ANY = rf"(?:{_UP}|{_TI})(?: +(?:{_UP}|{_TI})){{0,3}}"
# strong shapes, wherever they are: "FAMILY, Given" and "Given FAMILY"
_SHAPED = re.compile(rf"(?<![\w'’-])(?:(?P<fam>{_UPS}), (?P<giv>{_ANY})|(?P<giv2>{_TIS}) "
                     rf"(?P<fam2>{_UPS}))(?![\w'’-])")
# any shape after a cue: 'Name:', 'Client', 'detainee', 'Mr.', 'Sra.'
_CUED = re.compile(
    r"(?i:\b(?:name|client|detainee|nombre|inmate|mr|mrs|ms|miss|sr|sra|señor|señora)\b\.?)"
    rf"[ \t]*[:\-–—]?[ \t]*(?P<name>{_ANY}, {_ANY}|{_TIS} {_UPS}|{_UP}(?: +{_UP}){{1,5}}|{_TIS})"
    r"(?![\w'’-])")
# a title-case name right beside an A-number: "Given Family (A#…)", "A#… - Family, Given"
_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_TI}(?:,? +{_TI}){{1,4}})[ \t]*[(\[,:\-–—]?[ \t]*$")
_AFTER = re.compile(rf"[ \t]*[)\]]?[ \t]*[,:\-–—][ \t]*(?P<name>{_TI}(?:,? +{_TI}){{1,4}})"
                    r"(?![\w'’-])")
# words that start a sentence or a cue, never a name: "Both Ana Ruiz (A#…) and …"
_STOP = frozenset("MY OUR HER HIS THEIR THE A AN CLIENT CLIENTS MR MRS MS MISS DEAR AND "
                  "DETAINEE NAME RE FW FWD SENT FROM TO SUBJECT PLEASE HELLO HI THANKS "
                  "REGARDS SR SRA ATTORNEY COUNSEL BOTH WITH FOR ABOUT REGARDING INCLUDING "
                  "FOUND MINE THIS THAT THESE THOSE WE I YOU YOUR IS ARE WAS SEE NOTE BUT OR "
                  "IF AS AT IN ON BY OF SO THEN HERE THERE WHERE WHEN ALSO NOT NO YES MOTHER "
                  "FATHER SISTER BROTHER SON DAUGHTER WIFE HUSBAND COUSIN UNCLE AUNT".split())
_LABELS = frozenset("DOB DATE BIRTH BORN NATIONALITY COUNTRY CITIZENSHIP FACILITY NUMBER ALIEN "
                    "SEX GENDER MALE FEMALE HELD DETAINED AT IN OF ON".split())

_DATE = re.compile(r"(?i)\b" + R.DATE_PATTERN + r"\b")
_BIRTH_CUE = re.compile(r"(?i)(?:\bd\.?o\.?b\b\.?|\bborn\b|\bbirth(?:[ -]?date|day)?\b"
                        r"|\bnacimiento\b|\bnacid[oa]\b|\bf\.?d\.?n\b)[^0-9\n.;]{0,25}$")
_NOT_BIRTH = re.compile(r"(?i)\b(?:hearing|court|sent|arrest|arrested|book|booked|detained"
                        r"|released|date)\b")
_NATION_BEFORE = re.compile(r"(?i)\b(?:national(?:ity)?|citizen(?:ship)?|country"
                            r"|nacionalidad|pa[ií]s|from)\b[^0-9\n.;]{0,20}$")
_NATION_AFTER = re.compile(r"(?i)[ \t]+(?:national|citizen)s?\b")
_FACILITY = re.compile(R.FACILITY_PATTERN)
_FACILITY_LABEL = re.compile(r"(?i:\b(?:facility|held at|detained at|housed at|location)\b)"
                             r"[ \t]*:?[ \t]*(?P<text>[A-Z][^\n,;:—–|()]{2,80}?)"
                             r"(?=[ \t]*(?:[,;:—–|()\n]|\.(?:\s|$)|$))")
_FACILITY_CUT = re.compile(r"(?s:.*)(?:[ \t][-–—|:][ \t]|[,;(\n])")
_LEAD = frozenset("IS ARE WAS HELD AT IN THE DETAINED HOUSED CURRENTLY NOW STILL TO".split())


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    kind: str               # "anchor" or one of NAME, BIRTH, NATION, PLACE
    value: Any              # the A-number, a (full, family, given) name, ISO date, country, text


def facility_of(text: str) -> str | None:
    """The facility a text names, in its one spelling (facilities.py), as a table's are;
    an unknown one as written, cleaned."""
    from warroom.artifact.facilities import facilities

    cleaned = " ".join(text.split()).strip(" .,;:-–—")
    return facilities().match(cleaned) if cleaned else None


def _country(text: str) -> bool:
    """The whole text is a country's name ('JORDAN' the family name is one, alone)."""
    return normalize(text) in countries().names


def name(text: str, family: str | None = None, given: str | None = None
         ) -> tuple[str, str | None, str | None] | None:
    """(full name, family, given) from a found name: leading cue words and trailing labels or
    countries dropped, then the same check a table's name cell passes."""
    if family is None:
        words = text.replace(",", " , ").split()
        while words and words[0].strip(",").upper() in _STOP:
            words.pop(0)
        while words and (words[-1].upper() in _LABELS or words[-1] == ","):
            words.pop()
        text = " ".join(words).replace(" ,", ",")
        if "," in text:
            family, _, given = (p.strip() for p in text.partition(","))
        elif len(words) >= 2 and words[-1].isupper() and not words[0].isupper():
            split = next(i for i, w in enumerate(words) if w.isupper())
            family, given = " ".join(words[split:]), " ".join(words[:split])
    if family is not None:
        given_words = (given or "").split()
        while given_words and given_words[0].upper() in _STOP:
            given_words.pop(0)
        while given_words and (given_words[-1].upper() in _LABELS
                               or _country(given_words[-1])):
            given_words.pop()
        given = " ".join(given_words) or None
        if not family or not given or _country(f"{family} {given}") or (
                _country(family) and _country(given)):    # "CHINA, PEOPLES REPUBLIC OF"
            return None
        if not _STOP.isdisjoint(family.upper().split()) or family.upper() in _LABELS:
            return None
        text = f"{family}, {given}"
    full = person_name(text)
    if full is None or full.upper() in _STOP:
        return None
    return full, family, given


def names(text: str, a: int, b: int) -> Iterable[Mention]:
    """'FAMILY, Given' and 'Given FAMILY' anywhere; any shape after a cue ('Name:', 'Mr.')."""
    for m in _SHAPED.finditer(text, a, b):
        if _country(m.group()):
            continue                        # "CHINA, PEOPLES REPUBLIC OF" is a nationality
        if m.group("fam"):
            found = name("", m.group("fam"), m.group("giv"))
        else:
            found = name("", m.group("fam2"), m.group("giv2"))
        if found:
            yield Mention(m.start(), m.end(), NAME, found)
    for m in _CUED.finditer(text, a, b):
        if found := name(m.group("name")):
            yield Mention(m.start("name"), m.end("name"), NAME, found)


def beside(text: str, anchor: Mention, a: int, b: int) -> Iterable[Mention]:
    """A title-case name right before or right after an A-number, on its line."""
    m = _BEFORE.search(text, max(a, anchor.start - 120), anchor.start)
    if m and (found := name(m.group("name"))):
        yield Mention(m.start("name"), m.end("name"), NAME, found)
    m = _AFTER.match(text, anchor.end, min(b, anchor.end + 120))
    if m and (found := name(m.group("name"))):
        yield Mention(m.start("name"), m.end("name"), NAME, found)


def births(text: str, a: int, b: int, dates: Callable[[str], str | None]
           ) -> Iterable[Mention]:
    """Dates a birth cue stands shortly before ('DOB', 'born on', 'fecha de nacimiento:'),
    with no other date, sentence end or 'hearing'/'court'/'sent' word between."""
    this_year = date.today().year
    for m in _DATE.finditer(text, a, b):
        window = max(a, m.start() - 40)
        cue = _BIRTH_CUE.search(text, window, m.start())
        if not cue or _NOT_BIRTH.search(text, cue.end(), m.start()):
            continue
        raw = m.group().strip(" ,").replace(". ", " ")   # "Jun. 4, 1990"
        value = dates(raw)
        if value and 1900 <= int(value[:4]) <= this_year:
            # the text as written: its day/month order is the prose's, decided by the scan
            # from all its birth dates together (dates.DateColumn)
            yield Mention(m.start(), m.end(), BIRTH, raw)


def nations(text: str, a: int, b: int, anchored: bool, spans: list[tuple[int, int]] | None,
            lookup: Nationalities) -> Iterable[Mention]:
    """Countries and demonyms (presidio's spans when it saw the piece); on a line without an
    A-number only those a cue marks as a nationality ('national of', 'Honduran citizen')."""
    if spans is None:
        found = [(s + a, e + a, short)
                 for s, e, short in R.country_mentions(text[a:b], countries())]
    else:
        found = [(s, e, lookup(text[s:e])) for s, e in spans]
    for start, end, short in found:
        if short and (anchored or _NATION_BEFORE.search(text, max(a, start - 30), start)
                      or _NATION_AFTER.match(text, end, min(b, end + 12))):
            yield Mention(start, end, NATION, short)


def facilities(text: str, a: int, b: int, spans: list[tuple[int, int]] | None
               ) -> Iterable[Mention]:
    """Facility names (presidio's spans when it saw the piece), from their first capital
    after the last separator: 'DOB … - Honduras - Alder Creek Processing Center'."""
    if spans is None:
        spans = [m.span() for m in _FACILITY.finditer(text, a, b)]
    for start, end in spans:
        cut = _FACILITY_CUT.match(text, start, end)   # after the last separator
        if cut:
            start = cut.end()
        words = text[start:end].split(" ")
        while words and (not words[0][:1].isupper() or words[0].upper() in _LEAD):
            start += len(words.pop(0)) + 1
        if words and (value := facility_of(text[start:end])):
            yield Mention(start, end, PLACE, value)
    for m in _FACILITY_LABEL.finditer(text, a, b):
        if value := facility_of(m.group("text")):
            yield Mention(m.start("text"), m.end("text"), PLACE, value)
