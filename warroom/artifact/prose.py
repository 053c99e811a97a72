"""People in prose: an e-mail quoting part of the list, a forum post, a comment, a text file.

Each A-number is a person. Around it, the text is mined for what says who that is: a name, a
birth date (a date with birth context, never any date), a nationality and a facility. No NER
model is installed by default, so names are found by their shape and context: "FAMILY, Given",
"Given FAMILY", "Name:/Client:/Mr." before a name, a title-case name right beside the number;
a real spaCy model's PERSON spans join them when one is installed.

Which person a field belongs to: the text is one stream of lines (hard-wrapped paragraphs
joined back first); between two A-numbers the fields are cut in two at the strongest break (a
blank line, then line breaks and sentence ends), where neither person holds a kind of field
twice and not between a name and the number it is glued to, so person 2's name never goes to
person 1. How far a field may be from its number: a name stays in its number's sentence, or
on a line next to it in a record written a field a line ("Client: Ana RUIZ" then
"A-number: …"); other fields may be up to two sentences on; none more than REACH lines away,
and none past a blank line.

Work is bounded: lines are cut into pieces, presidio sees at most MAX_PROSE_LINES pieces with
digits, fields are mined only near A-numbers, and every pattern is free of nested repeats.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from warroom.artifact import prose_fields as F
from warroom.artifact import recognizers as R
from warroom.artifact.dates import Dates
from warroom.artifact.extract import Nationalities
from warroom.artifact.prose_fields import BIRTH, NAME, NATION, PLACE, Mention
from warroom.model import a_number

MAX_PROSE_LINES = 50_000          # pieces of prose with digits that presidio analyzes
MAX_PROSE_CHARS = 32 << 20        # characters of prose read at all
MAX_PIECE = 4_000                 # a longer line is cut into pieces of at most this
MAX_WRAPPED = 1_000               # lines of one block looked at as a wrapped paragraph
MARGIN = 200                      # characters past its piece where a field may end
REACH = 4                         # line breaks between a field and its A-number, at most
# the time asked of the sandbox for presidio: a short line takes about 2 ms, a piece of 4,000
# characters dense with numbers up to 60 ms
PROSE_SECONDS = 0.005             # a piece
PROSE_SECONDS_A_CHAR = 25e-6      # and a character of it
NOT_COUNTED = {R.A_NUMBER, R.PERSON, R.DATE_OF_BIRTH, R.NATIONALITY, R.FACILITY}  # per person

_PRIORITY = {NAME: 0, PLACE: 1, BIRTH: 2, NATION: 3}   # which of two overlapping fields stays

# An A-number: 'A' before the digits, or a label ('A-Number:', 'Alien #') before bare digits.
_ANCHOR = re.compile(
    r"(?<![A-Za-z0-9])(?:[Aa][ \t]?(?:#|-|No\.?)?[ \t]?"
    r"|(?i:alien(?:[ \t]+registration)?(?:[ \t]+(?:number|no\.?|\#))?|a[- ]?number|a[- ]?file"
    r"|a[- ]?no\.?|a\#)[ \t]*[:#]?[ \t]*)"
    r"(\d{3}[- ]?\d{3}[- ]?\d{3}|\d{8})(?![0-9])")
_DIGIT = re.compile(r"[0-9@]")

_HARD_START = re.compile(r"[-*•>+]|\d{1,3}[.)] |[A-Za-z][\w #/-]{0,30}:")  # list item, label
_GLUE = frozenset(" \t()[]-–—:,")
_JOIN = re.compile(r"(?i)\b(?:and|y|while|whereas|also)\b")
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bNo)(?<!\bSr)(?<!\bSt)"
                           r"(?<![A-Z])[.!?;](?=[ \t]|\n|$)")


@dataclass
class ProseFound:
    people: list[dict[str, Any]] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)   # other entities, once a piece
    pieces: int = 0                                      # pieces presidio analyzed
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the stream
def _unwrap(lines: list[str]) -> list[str]:
    """Paragraphs hard-wrapped at a fixed width (a plain-text e-mail's 72 columns) joined back
    into one line each, so that a name or a facility cut by the wrap is whole again."""
    out: list[str] = []
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and lines[end] and end - start < MAX_WRAPPED:
            end += 1
        if end == start:
            out.append(lines[start])
            start += 1
            continue
        out += _rejoin(lines[start:end])
        start = end
    return out


def _rejoin(block: list[str]) -> list[str]:
    """A block of lines as wrapped paragraphs, if it is one: lines filled to within 20
    characters of a width of 40 to 100, each break where the next word would not have fit,
    the next line no list item or 'Label:', not both lines with an A-number; else the block
    as it is."""
    width = max(map(len, block))
    full = sum(1 for line in block[:-1] if len(line) >= width - 20)
    if len(block) < 3 or not 40 <= width <= 100 or full * 3 < (len(block) - 1) * 2:
        return block
    out = [block[0]]
    numbered = [bool(_ANCHOR.search(line)) for line in block]
    for n, (before, line) in enumerate(zip(block, block[1:])):
        first = line.split(" ", 1)[0]
        if (len(before) + 1 + len(first) > width and len(before) >= width - 20
                and before[-1] not in ".!?:;" and not _HARD_START.match(line)
                and not (numbered[n] and numbered[n + 1])):      # a list, one person a line
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


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


# ------------------------------------------------------------------ who owns what
def _glued(gap: str) -> bool:
    """A gap that binds what is on either side: 'Ana RUIZ (A#…', 'A#… - RUIZ, Ana'."""
    return len(gap) <= 4 and _GLUE.issuperset(gap) and any(ch in "([-–—:" for ch in gap)


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
    break (a blank line, then line breaks and sentence ends: one person a line stays so even
    when a line has a field twice); among equal ones, one that gives neither person a kind of
    field twice, then one with 'and' in it, one not between a field and the number it is
    glued to ('Ana RUIZ (A#…', 'A#… - RUIZ, Ana'), and the last (fields follow their number:
    'A#…, born …', a record written one field a line)."""
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

    def strength(c: int) -> tuple[int, int, bool, int, bool, int]:
        a, b = items[edges[c]].end, items[edges[c + 1]].start
        blank, breaks, ends, joins = gaps.between(a, b)
        return blank, breaks + ends, lo <= c <= hi, joins, not _glued(gaps.text[a:b]), c

    return max(range(len(between) + 1), key=strength)


# ------------------------------------------------------------------ the whole of it
def read(lines: list[str], engine: Any, *, model: bool = False,
         more_time: Callable[[float], None] | None = None) -> ProseFound:
    """The people in these lines of prose, each once (fields of repeated mentions merged),
    and the other entities presidio counts. `model`: a real NER model is installed, so
    presidio's PERSON spans are names too."""
    found = ProseFound()
    text, starts = _stream(_unwrap(lines), found.notes)
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
        more_time(sum(PROSE_SECONDS + (pieces[i][1] - pieces[i][0]) * PROSE_SECONDS_A_CHAR
                      for i in analyzed))
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
                    found_name := F.name(text[a + res.start:a + res.end])):
                mentions.append(Mention(a + res.start, a + res.end, NAME, found_name))
        seen[i] = spans
        found.entities.update(kinds - NOT_COUNTED)
    found.pieces = len(digits)
    dates, nations = _either_order, Nationalities()
    for i in mined:
        a, b, line = pieces[i]
        la, lb = _line(text, starts, line)
        wa, wb = max(la, a - MARGIN), min(lb, b + MARGIN)   # a name cut by a piece is whole
        spans = seen.get(i, {})
        for m in chain(F.names(text, wa, wb), F.births(text, wa, wb, dates),
                       F.nations(text, wa, wb, line in anchored_lines, spans.get(R.NATIONALITY),
                                nations),
                       F.facilities(text, wa, wb, spans.get(R.FACILITY))):
            if (m.start > wa or wa == la) and (m.end < wb or wb == lb):  # not cut by the window
                mentions.append(m)
    for anchor in anchors:
        la, lb = _line(text, starts, pieces[bisect_right(piece_starts, anchor.start) - 1][2])
        mentions += F.beside(text, anchor, la, lb)
    people = _assign(_resolve(anchors, mentions), _Gaps(text))
    found.people = _merge(people)
    return found


_MONTH_FIRST, _DAY_FIRST = Dates("mdy"), Dates("dmy")


def _either_order(text: str) -> str | None:
    """Is this a date in one order or the other? (Which one, the scan decides.)"""
    return _MONTH_FIRST(text) or _DAY_FIRST(text)


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
