"""Tables drawn without ruling lines: columns found from where the words sit.

A report printed without borders still aligns its columns, so down the page there are
vertical strips of white that no cell crosses (the "rivers"); every stretch between two rivers
is a column. Words are first joined into phrases (words one space apart), so a multi-word
cell such as "LAST, FIRST MIDDLE" or a facility name stays one cell and the spaces inside it
never read as rivers. pdfplumber's own `text` strategy was measured on such a roster and read
no row right (it cut the last column at its aligned edge and split titles into cells).

Lines of one phrase (titles, "Page 1 of 9", notes) are no rows; a line with cells in some
columns only, just under a row and starting where that row's cells start, is the second line of
cells that wrapped and is joined to them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PHRASE_GAP = 0.45   # words closer than this share of the text height are one phrase (a space
                    # is about 0.28 of it in common fonts)
MIN_RIVER = 1.0     # points of white that part two columns
MAX_PHRASES = 20_000  # a page of more cells than this is no roster page: read as prose
MAX_COLUMNS = 200     # a page of more columns than this is scattered words, not a table
EDGE = 3           # lines at the top and at the foot of a page where page furniture sits
ALIGN = 2.0         # points: how far two left edges may be apart and still be aligned


@dataclass
class Phrase:
    x0: float
    x1: float
    words: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


@dataclass
class Line:
    top: float
    bottom: float
    words: list[dict[str, Any]]
    phrases: list[Phrase] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageTable:
    """One page's table: its rows (cells by column), the column spans, and the lines of the
    page that were no part of it (they are prose)."""

    rows: list[list[str]]
    columns: list[tuple[float, float]]
    prose: list[str]


def lines_of(words: list[dict[str, Any]]) -> list[Line]:
    """Words grouped into lines: a word whose middle falls within a line's height is on it."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (w["top"] + w["bottom"]) / 2
        line = next((ln for ln in reversed(lines[-3:]) if ln.top <= middle <= ln.bottom), None)
        if line is None:
            lines.append(Line(w["top"], w["bottom"], [w]))
        else:
            line.words.append(w)
            line.bottom = max(line.bottom, w["bottom"])
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
        line.phrases = _phrases(line.words)
    return lines


def _phrases(words: list[dict[str, Any]]) -> list[Phrase]:
    out: list[Phrase] = []
    for w in words:
        gap = PHRASE_GAP * max(1.0, w["bottom"] - w["top"])
        if out and w["x0"] - out[-1].x1 <= gap:
            out[-1].words.append(w)
            out[-1].x1 = max(out[-1].x1, w["x1"])
        else:
            out.append(Phrase(w["x0"], w["x1"], [w]))
    return out


def _coverage(spans: list[tuple[float, float]]) -> list[tuple[float, float, int]]:
    """How many spans cover each stretch of the page: (start, end, count) pieces."""
    events = sorted([(x0, 1) for x0, _ in spans] + [(x1, -1) for _, x1 in spans])
    pieces, count, last = [], 0, None
    for x, step in events:
        if last is not None and x > last:
            pieces.append((last, x, count))
        count += step
        last = x
    return pieces


def _low(pieces: list[tuple[float, float, int]], most: int) -> list[tuple[float, float]]:
    """Stretches covered by at most `most` spans, inside the covered width."""
    out: list[tuple[float, float]] = []
    for x0, x1, n in pieces:
        if n <= most:
            if out and abs(out[-1][1] - x0) < 1e-6:
                out[-1] = (out[-1][0], x1)
            else:
                out.append((x0, x1))
    return out


def _unbridge(rows: list[Line]) -> list[Line]:
    """A few lines cross a strip that every other line leaves white. Where the crossing is
    the white between two words (a cell filled to the brim, set close to the next cell), the
    phrase is split there; where a word itself crosses, the line is no row (a title, a
    footer in two parts, a sentence)."""
    spans = [(p.x0, p.x1) for ln in rows for p in ln.phrases]
    low = _low(_coverage(spans), max(1, len(rows) // 10))
    starts = [a for a, _ in low]
    kept = []
    for line in rows:
        phrases, ok = [], True
        for p in line.phrases:
            for a, b in low[bisect_right(starts, p.x0):bisect_left(starts, p.x1)]:
                if b >= p.x1:
                    break
                # the last white inside the strip: the next column's cell starts after it
                cut = next((i for i in range(len(p.words) - 1, 0, -1)
                            if p.words[i - 1]["x1"] <= b and p.words[i]["x0"] >= a), None)
                if cut is None:
                    ok = False
                    break
                phrases.append(Phrase(p.x0, p.words[cut - 1]["x1"], p.words[:cut]))
                p = Phrase(p.words[cut]["x0"], p.x1, p.words[cut:])
            phrases.append(p)
        if ok:
            line.phrases = phrases
            kept.append(line)
    return kept


def columns_of(rows: list[Line]) -> list[tuple[float, float]]:
    """The columns: the covered stretches between strips of white no phrase crosses."""
    pieces = _coverage([(p.x0, p.x1) for ln in rows for p in ln.phrases])
    columns: list[tuple[float, float]] = []
    for x0, x1, n in pieces:
        if n == 0 and x1 - x0 >= MIN_RIVER:
            continue
        if columns and (n == 0 or x0 - columns[-1][1] < MIN_RIVER):
            columns[-1] = (columns[-1][0], x1)
        else:
            columns.append((x0, x1))
    return columns


def _column(columns: list[tuple[float, float]], p: Phrase) -> int | None:
    middle = (p.x0 + p.x1) / 2
    return next((i for i, (a, b) in enumerate(columns) if a - 0.5 <= middle <= b + 0.5), None)


def furniture(pages: list[list[Line]]) -> set[str]:
    """What a printer or a report writer puts at the top and foot of every page (a title, a
    date, "file:///… 2/6", the table's header again): lines near a page's edge that recur,
    numbers aside, on half the pages or more. They are left out when the columns are found."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({norm(ln.text) for ln in lines[:EDGE] + lines[-EDGE:]})
    least = max(2, len(pages) // 2)
    return {text for text, n in seen.items() if n >= least}


def norm(text: str) -> str:
    """A line's text with its numbers blurred: the page's title, not its page number."""
    return re.sub(r"\d+", "#", " ".join(text.split()))


def page_table(lines: list[Line], repeated: set[str] = frozenset()) -> PageTable | None:
    """The page's unruled table, or None when its lines do not line up in columns. Lines
    that recur on every page are no part of the columns; above the first row they may still
    be rows (the header repeated), below it they are prose."""
    if sum(len(ln.phrases) for ln in lines) > MAX_PHRASES:
        return None
    candidates = _unbridge([ln for ln in lines if len(ln.phrases) >= 2
                            and norm(ln.text) not in repeated])
    if len(candidates) < 2:
        return None
    columns = columns_of(candidates)
    if len(candidates) >= 4 and (alone := _alone(columns, candidates)):
        candidates = [ln for ln in candidates if id(ln) not in alone]
        columns = columns_of(candidates)
    if not 2 <= len(columns) <= MAX_COLUMNS:
        return None
    table = set(map(id, candidates))
    rows: list[list[str]] = []
    starts: list[list[float | None]] = []       # each row's cells' left edges
    last: Line | None = None
    prose = []
    started = False         # a row of this page's own (no page furniture) was read
    for line in lines:
        own = id(line) in table
        top = not started and len(line.phrases) >= 2
        cells = _cells(columns, line.phrases) if own or top else None
        if cells is not None:
            started = started or own
            rows.append([" ".join(c) for c in cells[0]])
            starts.append(cells[1])
            last = line
            continue
        if (last is not None and rows and line.top - last.bottom <= line.height
                and _wrapped(columns, line, rows[-1], starts[-1])):
            for p in line.phrases:
                i = _column(columns, p)
                if i is not None:
                    rows[-1][i] = f"{rows[-1][i]} {p.text}"
            last = line
            continue
        prose.append(line.text)
        last = None
    if not _tabular(rows, len(columns)):
        return None
    return PageTable(rows, columns, prose)


def _alone(columns: list[tuple[float, float]], rows: list[Line]) -> set[int]:
    """The lines that alone fill a column: a note set beside the table, not a row of it."""
    fillers: list[list[Line]] = [[] for _ in columns]
    for line in rows:
        for i in {_column(columns, p) for p in line.phrases} - {None}:
            fillers[i].append(line)
    return {id(f[0]) for f in fillers if len(f) == 1}


def _cells(columns, phrases) -> tuple[list[list[str]], list[float | None]] | None:
    cells: list[list[str]] = [[] for _ in columns]
    starts: list[float | None] = [None] * len(columns)
    for p in phrases:
        i = _column(columns, p)
        if i is None:
            return None
        cells[i].append(p.text)
        starts[i] = p.x0 if starts[i] is None else starts[i]
    return cells, starts


def _wrapped(columns, line: Line, row: list[str], starts: list[float | None]) -> bool:
    """Is this line the wrapped rest of the row above: each of its phrases in a column
    the row fills, starting where that cell starts?"""
    for p in line.phrases:
        i = _column(columns, p)
        if i is None or not row[i] or starts[i] is None or abs(p.x0 - starts[i]) > ALIGN:
            return False
    return True


def _tabular(rows: list[list[str]], width: int) -> bool:
    """Columns on a page of prose come and go: a table fills three cells or more in most of
    its rows (two in every row, for a table of two columns)."""
    filled = [sum(1 for c in r if c) for r in rows]
    if width == 2:
        return len(rows) >= 3 and all(f == 2 for f in filled)
    return len(rows) >= 2 and sum(1 for f in filled if f >= 3) >= 0.6 * len(rows)
