"""Country names, official long forms, aliases and demonyms, mapped to one short English name
("CHINA, PEOPLES REPUBLIC OF" -> "China"). Built from pycountry plus data/ word lists."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from warroom.paths import data_lines

_PUNCT = re.compile(r"[^0-9A-Z]+")


def normalize(text: str) -> str:
    """Upper case, accents and apostrophes dropped, punctuation to single spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.upper().replace("'", "").replace("’", "")
    return _PUNCT.sub(" ", text).strip()


class Countries:
    def __init__(self) -> None:
        import pycountry

        overrides = dict(line.split("\t") for line in data_lines("countries.tsv"))
        self.short: dict[str, str] = {}        # alpha-3 -> short name
        self.names: dict[str, str] = {}        # normalized name or alias -> short name
        self.codes: dict[str, str] = {}        # normalized alpha-2/alpha-3 -> short name
        for c in pycountry.countries:
            short = overrides.get(c.alpha_3) or getattr(c, "common_name", None) or c.name
            self.short[c.alpha_3] = short
            for name in (c.name, getattr(c, "official_name", None),
                         getattr(c, "common_name", None), short):
                if name:
                    self.names[normalize(name)] = short
            self.codes[c.alpha_3] = short
            self.codes[c.alpha_2] = short
        for line in data_lines("country_aliases.tsv"):
            alias, target = line.split("\t")
            self.names[normalize(alias)] = self.short.get(target.strip(), target.strip())
        self._automaton = None

    def lookup(self, cell: object) -> str | None:
        """The short name for a whole cell: a name, alias, demonym or ISO code."""
        key = normalize(cell)
        return self.names.get(key) or self.codes.get(key) or self._inside(key)

    def _inside(self, key: str) -> str | None:
        found = self.find(key)
        return found[0][2] if found else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Whole-word mentions in normalized text, longest first at each place: (start, end,
        short name). Codes are not matched inside text (IN, US, TO are words)."""
        automaton = self.build()
        hits: list[tuple[int, int, str]] = []
        last_end = -1
        for end, (length, short) in automaton.iter_long(text):
            start = end - length + 1
            if start <= last_end:
                continue
            if (start == 0 or text[start - 1] == " ") and (end + 1 == len(text)
                                                           or text[end + 1] == " "):
                hits.append((start, end + 1, short))
                last_end = end
        return hits

    def build(self):
        """The automaton of names, made on first use (or now, to be inherited by a fork)."""
        if self._automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for name, short in self.names.items():
                if len(name) >= 4:
                    automaton.add_word(name, (len(name), short))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton


@lru_cache(maxsize=1)
def countries() -> Countries:
    return Countries()


def high_risk_list() -> frozenset[str]:
    c = countries()
    return frozenset(c.lookup(line) or line for line in data_lines("high_risk.txt"))


def parse_high_risk(text: str) -> frozenset[str]:
    """'China, Iran,RUSSIAN FEDERATION' -> {'China', 'Iran', 'Russia'}; unknown names refused."""
    from warroom.errors import WarroomError

    c = countries()
    out = set()
    for part in (p.strip() for p in text.split(",")):
        if part:
            short = c.lookup(part)
            if short is None:
                raise WarroomError(f"--high-risk: {part!r} is no country Warroom knows")
            out.add(short)
    if not out:
        raise WarroomError("--high-risk needs at least one country")
    return frozenset(out)
