"""People in prose: an e-mail quoting part of the list, a forum post, a comment, a text file.

Each A-number is a person. Around it, the text is mined for what says who that is: a name, a
birth date (a date with birth context, never any date), a nationality and a facility. No NER
model is installed by default, so names are found by their shape and context: "FAMILY, Given",
"Given FAMILY", "Name:/Client:/Mr." before a name, a title-case name right beside the number;
a real spaCy model's PERSON spans join them when one is installed.

Which person a field belongs to: the text is one stream of lines; between two A-numbers the
fields are cut in two at the strongest break (a blank line, then line breaks and sentence
ends), never so that one person holds a kind of field twice, so person 2's name never goes to
person 1. A field may be a few lines from its number (a record written one field a line) but
never across a blank line, nor across a sentence end within a line.

Work is bounded: lines are cut into pieces, presidio sees at most MAX_PROSE_LINES pieces with
digits, fields are mined only near A-numbers, and every pattern is free of nested repeats.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from warroom.artifact import recognizers as R
from warroom.artifact.countries import countries
from warroom.artifact.extract import Dates, Nationalities, person_name
from warroom.model import a_number

MAX_PROSE_LINES = 50_000          # pieces of prose with digits that presidio analyzes
MAX_PROSE_CHARS = 32 << 20        # characters of prose read at all
MAX_PIECE = 4_000                 # a longer line is cut into pieces of at most this
MARGIN = 200                      # characters past its piece where a field may end
REACH = 4                         # line breaks between a field and its A-number, at most
PROSE_SECONDS = 0.005             # what presidio may take on one piece (about 2 ms): time asked
NOT_COUNTED = {R.A_NUMBER, R.PERSON, R.DATE_OF_BIRTH, R.NATIONALITY, R.FACILITY}  # per person

NAME, BIRTH, NATION, PLACE = "name", "birth", "nationality", "facility"
_PRIORITY = {NAME: 0, PLACE: 1, BIRTH: 2, NATION: 3}   # which of two overlapping fields stays

# ------------------------------------------------------------------ patterns
# An A-number: 'A' before the digits, or a label ('A-Number:', 'Alien #') before bare digits.
_ANCHOR = re.compile(
    r"(?<![A-Za-z0-9])(?:[Aa][ \t]?(?:#|-|No\.?)?[ \t]?"
    r"|(?i:alien(?:[ \t]+registration)?(?:[ \t]+(?:number|no\.?|\#))?|a[- ]?number|a[- ]?file"
    r"|a[- ]?no\.?|a\#)[ \t]*[:#]?[ \t]*)"
    r"(\d{3}[- ]?\d{3}[- ]?\d{3}|\d{8})(?![0-9])")
_DIGIT = re.compile(r"[0-9@]")

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
_STOP = frozenset("MY OUR HER HIS THEIR THE A AN CLIENT CLIENTS MR MRS MS MISS DEAR ALSO AND "
                  "DETAINEE NAME RE FW FWD SENT FROM TO SUBJECT PLEASE HELLO HI THANKS "
                  "REGARDS SR SRA ATTORNEY COUNSEL BOTH WITH FOR ABOUT REGARDING INCLUDING "
                  "FOUND MINE THIS THAT THESE THOSE WE I YOU YOUR IS ARE WAS SEE NOTE BUT OR "
                  "IF AS AT IN ON BY OF SO THEN HERE THERE WHERE WHEN ALSO NOT NO YES MOTHER "
                  "FATHER SISTER BROTHER SON DAUGHTER WIFE HUSBAND COUSIN UNCLE AUNT".split())
_LABELS = frozenset("DOB DATE BIRTH BORN NATIONALITY COUNTRY CITIZENSHIP FACILITY NUMBER ALIEN "
                    "SEX GENDER MALE FEMALE HELD DETAINED AT IN OF ON".split())

_DATE = re.compile(r"(?i)\b" + R._DATE + r"\b")
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
_GLUE = frozenset(" \t()[]-–—:,")
_JOIN = re.compile(r"(?i)\b(?:and|y|while|whereas|also)\b")
_LEAD = frozenset("IS ARE WAS HELD AT IN THE DETAINED HOUSED CURRENTLY NOW STILL TO".split())
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bNo)(?<!\bSr)(?<!\bSt)"
                           r"(?<![A-Z])[.!?;](?=[ \t]|\n|$)")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    kind: str               # "anchor" or one of NAME, BIRTH, NATION, PLACE
    value: Any              # the A-number, a (full, family, given) name, ISO date, country, text


@dataclass
class ProseFound:
    people: list[dict[str, Any]] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)   # other entities, once a piece
    pieces: int = 0                                      # pieces presidio analyzed
    notes: list[str] = field(default_factory=list)


def facility_of(text: str) -> str | None:
    """The facility a text names, cleaned. The one place where canonical facility matching
    (facilities.py) will plug in."""
    cleaned = " ".join(text.split()).strip(" .,;:-–—")
    return cleaned or None


# ------------------------------------------------------------------ the stream
def _stream(lines: Iterable[str], notes: list[str]) -> tuple[str, list[int]]:
    """The prose as one text, a line each, a blank line kept as a paragraph break; and where
    each line starts. Bounded by MAX_PROSE_CHARS."""
    parts: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > MAX_PROSE_CHARS:
            notes.append(f"only the first {MAX_PROSE_CHARS >> 20} MiB of prose were read")
            break
        if "\n" in line or "\r" in line:        # a line is one line, whoever cut it
            line = line.replace("\r", " ").replace("\n", " ")
        if line or (parts and parts[-1]):
            parts.append(line)
            size += len(line) + 1
    text = "\n".join(parts)
    starts, at = [], 0
    for line in parts:
        starts.append(at)
        at += len(line) + 1
    return text, starts


def _line(text: str, starts: list[int], line: int) -> tuple[int, int]:
    end = text.find("\n", starts[line])
    return starts[line], len(text) if end < 0 else end


def _pieces(text: str, starts: list[int]) -> list[tuple[int, int, int]]:
    """(start, end, line) of each piece: a line, or a part of a long one cut at a sentence
    end or a space."""
    out = []
    for number, start in enumerate(starts):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        while end - start > MAX_PIECE:
            cut = text.rfind(". ", start + MAX_PIECE // 2, start + MAX_PIECE)
            if cut < 0:
                cut = text.rfind(" ", start + MAX_PIECE // 2, start + MAX_PIECE)
            cut = start + MAX_PIECE if cut < 0 else cut + 1
            out.append((start, cut, number))
            start = cut
        if end > start:
            out.append((start, end, number))
    return out


# ------------------------------------------------------------------ finding fields
def _name(text: str, family: str | None = None, given: str | None = None
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
                               or countries().names.get(given_words[-1].upper())):
            given_words.pop()
        given = " ".join(given_words) or None
        if not family or not given or countries().names.get(family.upper()):
            return None
        if not _STOP.isdisjoint(family.upper().split()) or family.upper() in _LABELS:
            return None
        text = f"{family}, {given}"
    full = person_name(text)
    if full is None or full.upper() in _STOP:
        return None
    return full, family, given


def _names(text: str, a: int, b: int) -> Iterable[Mention]:
    for m in _SHAPED.finditer(text, a, b):
        if m.group("fam"):
            found = _name("", m.group("fam"), m.group("giv"))
        else:
            found = _name("", m.group("fam2"), m.group("giv2"))
        if found:
            yield Mention(m.start(), m.end(), NAME, found)
    for m in _CUED.finditer(text, a, b):
        if found := _name(m.group("name")):
            yield Mention(m.start("name"), m.end("name"), NAME, found)


def _beside(text: str, anchor: Mention, a: int, b: int) -> Iterable[Mention]:
    """A title-case name right before or right after an A-number, within its piece."""
    m = _BEFORE.search(text, max(a, anchor.start - 120), anchor.start)
    if m and (found := _name(m.group("name"))):
        yield Mention(m.start("name"), m.end("name"), NAME, found)
    m = _AFTER.match(text, anchor.end, min(b, anchor.end + 120))
    if m and (found := _name(m.group("name"))):
        yield Mention(m.start("name"), m.end("name"), NAME, found)


def _births(text: str, a: int, b: int, dates: Dates) -> Iterable[Mention]:
    this_year = date.today().year
    for m in _DATE.finditer(text, a, b):
        window = max(a, m.start() - 40)
        cue = _BIRTH_CUE.search(text, window, m.start())
        if not cue or _NOT_BIRTH.search(text, cue.end(), m.start()):
            continue
        value = dates(m.group().strip(" ,"))
        if value and 1900 <= int(value[:4]) <= this_year:
            yield Mention(m.start(), m.end(), BIRTH, value)


def _nations(text: str, a: int, b: int, anchored: bool, spans: list[tuple[int, int]] | None,
             nations: Nationalities) -> Iterable[Mention]:
    """Countries and demonyms (presidio's spans when it saw the piece); on a line without an
    A-number only those a cue marks as a nationality ('national of', 'Honduran citizen')."""
    if spans is None:
        found = [(s + a, e + a, short)
                 for s, e, short in R.country_mentions(text[a:b], countries())]
    else:
        found = [(s, e, nations(text[s:e])) for s, e in spans]
    for start, end, short in found:
        if short and (anchored or _NATION_BEFORE.search(text, max(a, start - 30), start)
                      or _NATION_AFTER.match(text, end, min(b, end + 12))):
            yield Mention(start, end, NATION, short)


def _facilities(text: str, a: int, b: int, spans: list[tuple[int, int]] | None
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


# ------------------------------------------------------------------ who owns what
def _glue(gap: str) -> int:
    """How firmly a gap binds what is on either side: 'Ana RUIZ (A#…' and 'A#… - RUIZ, Ana'
    firmly, a comma a little, anything longer not at all."""
    if len(gap) > 4 or not _GLUE.issuperset(gap):
        return 0
    return 2 if any(ch in "([-–—:" for ch in gap) else 1


class _Gaps:
    """What lies between two places in the text: blank lines, line breaks, sentence ends
    within a line, and words that join two clauses ('and', 'y')."""

    def __init__(self, text: str) -> None:
        self.text = text

    def between(self, a: int, b: int) -> tuple[int, int, int, int]:
        gap = self.text[a:b]
        joins = len(_JOIN.findall(gap)) if len(gap) > 3 else 0
        if "\n" not in gap and not any(c in gap for c in ".!?;"):
            return 0, 0, 0, joins
        ends = len(_SENTENCE_END.findall(gap))
        return gap.count("\n\n"), gap.count("\n"), ends, joins


def _assign(items: list[Mention], gaps: _Gaps) -> list[tuple[str, dict[str, Any]]]:
    """Each A-number with the fields that are its own (see the module's docstring)."""
    anchors = [i for i, m in enumerate(items) if m.kind == "anchor"]
    groups: list[dict[str, Mention]] = [{} for _ in anchors]
    if not anchors:
        return []

    def near(anchor: int, other: int) -> bool:
        """A name in the A-number's sentence, other fields up to two sentences on; a few
        lines away at most, never past a blank line."""
        a, b = sorted((items[anchor], items[other]), key=lambda m: m.start)
        blank, breaks, ends, _ = gaps.between(a.end, b.start)
        return not blank and breaks <= REACH and ends <= (0 if items[other].kind == NAME else 2)

    def take(g: int, idx: int) -> bool:
        m = items[idx]
        if m.kind in groups[g] or not near(anchors[g], idx):
            return False
        groups[g][m.kind] = m
        return True

    for idx in range(anchors[0] - 1, -1, -1):             # before the first A-number
        if not take(0, idx):
            break
    for g, (left, right) in enumerate(zip(anchors, anchors[1:])):
        between = list(range(left + 1, right))
        cut = _cut(items, between, groups[g], gaps, left, right)
        for idx in between[:cut]:
            take(g, idx)
        for idx in reversed(between[cut:]):
            take(g + 1, idx)
    for idx in range(anchors[-1] + 1, len(items)):         # after the last
        if not take(len(anchors) - 1, idx):
            break
    return [(items[a].value, {k: m.value for k, m in groups[g].items()})
            for g, a in enumerate(anchors)]


def _cut(items: list[Mention], between: list[int], left_has: dict[str, Mention],
         gaps: _Gaps, left: int, right: int) -> int:
    """How many of the fields between two A-numbers go to the first: cut at the strongest
    break that gives neither person a kind of field twice, never between a field and the
    number it is glued to ('Ana RUIZ (A#…', 'A#… - RUIZ, Ana'); of equal ones, the last
    (fields follow their number: 'A#…, born …', a record written one field a line)."""
    if not between:
        return 0
    kinds = set(left_has)
    hi = len(between)
    for n, idx in enumerate(between):
        if items[idx].kind in kinds:
            hi = n
            break
        kinds.add(items[idx].kind)
    kinds, lo = set(), 0
    for n in range(len(between) - 1, -1, -1):
        if items[between[n]].kind in kinds:
            lo = n + 1
            break
        kinds.add(items[between[n]].kind)
    lo, hi = min(lo, hi), max(lo, hi)
    edges = [left, *between, right]

    def strength(c: int) -> tuple[int, int, int, int, int]:
        a, b = items[edges[c]].end, items[edges[c + 1]].start
        blank, breaks, ends, joins = gaps.between(a, b)
        return blank, breaks + ends, joins, -_glue(gaps.text[a:b]), c

    return max(range(lo, hi + 1), key=strength)


# ------------------------------------------------------------------ the whole of it
def read(lines: list[str], engine: Any, *, model: bool = False,
         more_time: Callable[[float], None] | None = None) -> ProseFound:
    """The people in these lines of prose, each once (fields of repeated mentions merged),
    and the other entities presidio counts. `model`: a real NER model is installed, so
    presidio's PERSON spans are names too."""
    found = ProseFound()
    text, starts = _stream(lines, found.notes)
    pieces = _pieces(text, starts)
    digits = [i for i, (a, b, _) in enumerate(pieces) if _DIGIT.search(text, a, b)]
    if not digits:
        return found
    if len(digits) > MAX_PROSE_LINES:
        found.notes.append(f"only the first {MAX_PROSE_LINES:,} lines of prose with digits"
                           " were scanned")
        digits = digits[:MAX_PROSE_LINES]
        pieces = pieces[:digits[-1] + 1]
    piece_starts = [p[0] for p in pieces]
    anchors: list[Mention] = []
    anchored: set[int] = set()              # pieces with an A-number
    for line in sorted({pieces[i][2] for i in digits}):
        for m in _ANCHOR.finditer(text, *_line(text, starts, line)):
            if number := a_number(m.group(1)):
                anchors.append(Mention(m.start(), m.end(), "anchor", number))
                anchored.add(bisect_right(piece_starts, m.start()) - 1)
    anchors = [m for m in anchors if m.end <= pieces[-1][1]]
    anchored_lines = {pieces[i][2] for i in anchored}
    # fields are looked for a few lines around each A-number: a few pieces, when lines are
    # long, so that one A-number on a line of a megabyte costs a few pieces, not the line
    mined = sorted({j for i in anchored for j in range(i - REACH - 1, i + REACH + 2)
                    if 0 <= j < len(pieces) and abs(pieces[j][2] - pieces[i][2]) <= REACH})
    analyzed = sorted(set(digits) | (set(mined) if model else set()))
    if more_time:
        more_time(len(analyzed) * PROSE_SECONDS)
    mentions: list[Mention] = []
    seen: dict[int, dict[str, list[tuple[int, int]]]] = {}   # presidio's spans, by piece
    for i in analyzed:
        a, b, _ = pieces[i]
        spans: dict[str, list[tuple[int, int]]] = {R.NATIONALITY: [], R.FACILITY: []}
        kinds = set()
        for res in engine.analyze(text[a:b], language="en", score_threshold=0.4):
            kinds.add(res.entity_type)
            if res.entity_type in spans:
                spans[res.entity_type].append((a + res.start, a + res.end))
            elif model and res.entity_type == R.PERSON and (
                    name := _name(text[a + res.start:a + res.end])):
                mentions.append(Mention(a + res.start, a + res.end, NAME, name))
        seen[i] = spans
        found.entities.update(kinds - NOT_COUNTED)
    found.pieces = len(digits)
    dates, nations = Dates(), Nationalities()
    for i in mined:
        a, b, line = pieces[i]
        la, lb = _line(text, starts, line)
        wa, wb = max(la, a - MARGIN), min(lb, b + MARGIN)   # a name cut by a piece is whole
        spans = seen.get(i, {})
        for m in chain(_names(text, wa, wb), _births(text, wa, wb, dates),
                       _nations(text, wa, wb, line in anchored_lines, spans.get(R.NATIONALITY),
                                nations),
                       _facilities(text, wa, wb, spans.get(R.FACILITY))):
            if (m.start > wa or wa == la) and (m.end < wb or wb == lb):  # not cut by the window
                mentions.append(m)
    for anchor in anchors:
        la, lb = _line(text, starts, pieces[bisect_right(piece_starts, anchor.start) - 1][2])
        mentions += _beside(text, anchor, la, lb)
    people = _assign(_resolve(anchors, mentions), _Gaps(text))
    found.people = _merge(people)
    return found


def _resolve(anchors: list[Mention], mentions: list[Mention]) -> list[Mention]:
    """All in text order, without overlaps: an A-number beats any field, a name beats a
    facility, which beats a date or a country (JORDAN the name is no nationality); of two
    of a kind, the longer."""
    kept = _sweep(anchors, [])
    for kind in sorted(_PRIORITY, key=_PRIORITY.get):
        kept = sorted(kept + _sweep([m for m in mentions if m.kind == kind], kept),
                      key=lambda m: m.start)
    return kept


def _sweep(found: list[Mention], kept: list[Mention]) -> list[Mention]:
    """Those of `found` that overlap neither `kept` (in text order) nor one another."""
    out: list[Mention] = []
    starts = [m.start for m in kept]
    for m in sorted(found, key=lambda m: (m.start, m.start - m.end)):
        if out and out[-1].end > m.start:
            continue
        i = bisect_right(starts, m.start)
        if (i and kept[i - 1].end > m.start) or (i < len(kept) and kept[i].start < m.end):
            continue
        out.append(m)
    return out


def _merge(people: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One person per A-number, in order of first mention; a later mention fills in what an
    earlier one lacked, never overwrites it."""
    merged: dict[str, dict[str, Any]] = {}
    for number, fields in people:
        person = merged.setdefault(number, {
            "a_number": number, "full_name": None, "family_name": None, "given_names": None,
            "birth_date": None, "nationality": None, "facility": None})
        if NAME in fields and person["full_name"] is None:
            person["full_name"], person["family_name"], person["given_names"] = fields[NAME]
        for kind, key in ((BIRTH, "birth_date"), (NATION, "nationality"), (PLACE, "facility")):
            if kind in fields and person[key] is None:
                person[key] = fields[kind]
    return list(merged.values())
