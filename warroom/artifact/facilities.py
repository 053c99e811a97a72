"""One spelling per detention facility: 'Adams Co. Det. Ctr' -> 'ADAMS COUNTY DET CENTER'.

The known facilities are the agency's own list (data/facilities.tsv, built from its
statistics workbook by facilities_build.py), the demo's (data/facilities.txt) and the
responder's own file named by $WARROOM_FACILITIES. A cell is first normalised (case,
punctuation, the agencies' abbreviations spelled out) and looked up whole; failing that,
rapidfuzz finds the closest known name, accepted only when it is close enough overall AND in
the words that tell one facility from another (the place: 'PIKE' is not 'POLK', though
'PIKE COUNTY JAIL' and 'POLK COUNTY JAIL' differ by two letters), and when no other facility
is about as close. A facility not known is kept as written: a wrong merge would put people
in the wrong place, which is worse than a second spelling.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from warroom.errors import WarroomError
from warroom.paths import data_lines

ENV = "WARROOM_FACILITIES"

# Chosen by measuring (bench/facilities.py --sweep): every known facility written 20 ways
# (2 in 5 with a typo): 100% found, none given another's name; of 1,244 look-alikes not
# in the list (a listed place with another listed kind, real counties a letter away) only
# HARDING COUNTY JAIL becomes HARDIN's (a letter added is what a typo does too).
WHOLE_SCORE = 92      # rapidfuzz ratio of the whole normalised name, 0-100
PLACE_SCORE = 85      # the same for the words that are not facility-type words
TYPE_SCORE = 80       # a word this close to a facility-type word is that word misspelt
TYPO_LENGTH = 5       # in words this long at least (a short place name is near too many)
MARGIN = 4            # the runner-up facility must be this much further away
CACHE_SIZE = 100_000  # distinct cells remembered (a column holds a few hundred)
LONGEST = 200         # a cell longer than this is no facility's name: kept, not looked up

# How agencies abbreviate (the workbook writes DET, CTR, IPC, CDF, SPC), as normalised
# words: each key word becomes its value's words.
ABBREVIATIONS = {
    "det": "detention", "detn": "detention", "ctr": "center", "cntr": "center",
    "cent": "center", "centre": "center", "fac": "facility", "facil": "facility",
    "fclty": "facility", "corr": "correctional", "corrl": "correctional",
    "correc": "correctional", "correction": "correctional", "corrections": "correctional",
    "proc": "processing", "co": "county", "cnty": "county", "cty": "county",
    "spc": "service processing center", "ipc": "ice processing center",
    "cdf": "contract detention facility", "cf": "correctional facility",
    "frc": "family residential center", "mdc": "metropolitan detention center",
    "svc": "service", "serv": "service", "reg": "regional", "rgnl": "regional",
    "fed": "federal", "res": "residential", "resid": "residential", "juv": "juvenile",
    "dept": "department", "st": "saint", "mt": "mount", "ft": "fort", "sheriff": "sheriffs",
    "and": "", "the": "", "of": "",
}
# Words that say what kind of place it is, not which one: a typo is forgiven in them more
# easily than in the place's own words.
TYPE_WORDS = frozenset(
    "county parish city jail detention center facility correctional processing service ice "
    "contract regional federal family residential staging adult juvenile department sheriffs "
    "office house prison justice complex public safety secure transitional metropolitan"
    .split())
# each type word, and each long abbreviation of one ('corrections'), by what it means
_TYPE_SPELLINGS = {**{w: w for w in TYPE_WORDS},
                   **{k: v for k, v in ABBREVIATIONS.items() if len(k) >= 6 and v in TYPE_WORDS}}
_TYPE_CHOICES = tuple(_TYPE_SPELLINGS)
_NUMBER = re.compile(r"^(?:\d+|i{1,3}|iv|v|vi{1,3}|ix|x)$")   # II is not III
_PARENS = re.compile(r"\(([^()]*)\)")


def normalize(text: str) -> str:
    """Lower case, punctuation to blanks, abbreviations spelled out, blanks collapsed."""
    words = default_process(text.replace("'", "").replace("’", "")).split()
    return " ".join(w for word in words for w in ABBREVIATIONS.get(word, word).split())


def _place(key: str) -> str:
    return " ".join(w for w in key.split() if w not in TYPE_WORDS)


def _numbers(key: str) -> set[str]:
    return {w for w in key.split() if _NUMBER.match(w)}


class Facilities:
    """Known facilities by normalised spelling; `match(cell)` gives a cell's canonical name."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names: list[str] = []
        self.keys: dict[str, str] = {}       # normalised name or alias -> canonical name
        aliases: dict[str, set[str]] = {}
        for name in names:
            name = " ".join(name.split())
            key = normalize(name)
            if not key or key in self.keys:
                continue                      # an earlier source's spelling wins
            self.names.append(name)
            self.keys[key] = name
            for alias in _aliases(name):
                aliases.setdefault(alias, set()).add(name)
        for alias, owners in aliases.items():
            if alias not in self.keys and len(owners) == 1:   # an alias two share is no one's
                self.keys[alias] = owners.pop()
        self._choices = list(self.keys)
        self._canonical = frozenset(self.names)
        self._words = {w for k in self.keys for w in k.split()}
        self._cache: dict[str, str | None] = {}

    @classmethod
    def load(cls, extra: Path | None = None) -> Facilities:
        """The agency's list, the demo's, then the responder's (`extra`, else the file
        named by $WARROOM_FACILITIES)."""
        return cls(known_names(extra))

    def __len__(self) -> int:
        return len(self.names)

    def match(self, text: str) -> str | None:
        """The canonical name, or the text as written (blanks collapsed) when the facility is
        not known, or None for a blank cell."""
        if len(text) > LONGEST:
            return " ".join(text.split())
        try:
            return self._cache[text]
        except KeyError:
            pass
        written = " ".join(text.split()) or None
        found = self._find(normalize(text)) if written else None
        value = found or written
        if len(self._cache) < CACHE_SIZE:
            self._cache[text] = value
        return value

    def known(self, text: str) -> str | None:
        """The canonical name of a cell that is a known facility, else None (for the
        recognizer: a facility not known is no evidence either way)."""
        found = self.match(text)
        return found if found in self._canonical else None

    def _find(self, key: str) -> str | None:
        if not key:
            return None
        if key in self.keys:
            return self.keys[key]
        key = self._spell(key)
        if key in self.keys:
            return self.keys[key]
        place, numbers = _place(key), _numbers(key)
        best: tuple[float, str] | None = None
        for choice, score, _ in process.extract(key, self._choices, scorer=fuzz.ratio,
                                                processor=None, limit=8,
                                                score_cutoff=WHOLE_SCORE - MARGIN):
            name = self.keys[choice]
            if fuzz.ratio(place, _place(choice)) < PLACE_SCORE:
                continue               # another place, however alike the rest
            if best is None and score >= WHOLE_SCORE and _numbers(choice) == numbers:
                best = (score, name)
            elif best is None:
                return None            # a closer one of the same place is another facility
            elif name != best[1] and score > best[0] - MARGIN:
                return None            # another facility about as close: say neither
        return best[1] if best else None

    def _spell(self, key: str) -> str:
        """Typos in the words that name a kind of place ('detentoin') corrected, so that
        only the place's own words are left to tell facilities apart."""
        words = key.split()
        for i, word in enumerate(words):
            if len(word) >= TYPO_LENGTH and word not in self._words:
                found = process.extractOne(word, _TYPE_CHOICES, scorer=fuzz.ratio,
                                           score_cutoff=TYPE_SCORE)
                if found:
                    words[i] = _TYPE_SPELLINGS[found[0]]
        return " ".join(words)


def _aliases(name: str) -> set[str]:
    """Other whole spellings of a name: without its parenthesis ('LASALLE ICE PROCESSING
    CENTER (JENA)'), the parenthesis alone when it names a facility ('(NORTHWEST DET CTR)'),
    a place in parenthesis for the word before it ('BUFFALO (BATAVIA) SERVICE PROCESSING
    CENTER'), and each without the word ICE ('ADELANTO PROCESSING CENTER')."""
    found = {_PARENS.sub(" ", name)}
    for match in _PARENS.finditer(name):
        inner = normalize(match.group(1))
        if len(inner.split()) >= 2 and not TYPE_WORDS.isdisjoint(inner.split()):
            found.add(inner)
        elif TYPE_WORDS.isdisjoint(inner.split()) and name[match.end():].strip():
            before = name[:match.start()].split()[:-1]       # all but the word it renames
            found.add(" ".join([*before, inner, name[match.end():]]))
    keys = {normalize(f) for f in found}
    keys.update([" ".join(w for w in k.split() if w != "ice") for k in keys])
    keys.discard(normalize(name))
    return {k for k in keys if _place(k)}     # 'SAN DIEGO CDF', never 'DETENTION CENTER'


def known_names(extra: Path | None = None) -> list[str]:
    """Every known facility name: the agency's list, the demo's, the responder's file."""
    names = [line.split("\t")[0] for line in data_lines("facilities.tsv")]
    names += data_lines("facilities.txt")
    named = os.environ.get(ENV, "").strip()
    path = extra or (Path(named).expanduser() if named else None)
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise WarroomError(f"${ENV}: cannot read {path}: "
                               f"{getattr(exc, 'strerror', None) or exc}") from None
        names += [line.split("\t")[0].strip() for line in text.splitlines()
                  if line.strip() and not line.lstrip().startswith("#")]
    return [n for n in names if n]


@lru_cache(maxsize=1)
def facilities() -> Facilities:
    """The known facilities, loaded once per process (the sandbox's children inherit it)."""
    return Facilities.load()
