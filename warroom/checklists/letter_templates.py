"""Letter templates: one Markdown file a language in data/letters/, with TOML front matter
(language, direction, labels, month names, digits) and Jinja values limited to VALUES.

A template is parsed once and checked: unknown values or blocks are a clear error, and the
blocks that use the person's name are marked (they are the letter's only personal text).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from warroom.errors import WarroomError
from warroom.paths import data_dir

DIRECTIVES = ("addressee", "legal_help", "contact", "signature")
VALUES = frozenset({"name", "posted", "discovered", "taken_down", "hours", "downloaded",
                    "hold_days", "hold_until"})   # what a template's {{ }} may use
LABELS = ("confidential", "name", "a_number", "date", "phone", "email", "hours", "closing")

Block = tuple[str, Any]   # (kind, text | tuple of texts | tuple of (label, value))


@dataclass(frozen=True, eq=False)   # one a language, compared by identity
class Template:
    code: str
    language: str
    rtl: bool
    draft: bool
    font: str                    # the PDF font family: sans, naskh, sc
    wrap_chars: bool             # lines may break between any two characters (Chinese)
    labels: dict[str, str]
    months: tuple[str, ...]
    date_format: str
    digits: str
    colon: str                   # between a label and its value
    blocks: tuple[Block, ...]
    personal: frozenset[int]     # the blocks whose text uses the person's name

    def number(self, value: object) -> str:
        text = str(value)
        return text.translate(str.maketrans("0123456789", self.digits)) if self.digits else text

    def day(self, d: date) -> str:
        return self.date_format.format(day=self.number(d.day), month=self.months[d.month - 1],
                                       year=self.number(d.year))


def _parse(code: str, text: str) -> Template:
    from jinja2 import Environment, StrictUndefined
    from jinja2.meta import find_undeclared_variables as meta_vars

    where = f"data/letters/{code}.md"
    parts = text.split("+++\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise WarroomError(f"{where}: the front matter between +++ lines is missing")
    meta = tomllib.loads(parts[1])
    missing = [x for x in LABELS if x not in meta.get("labels", {})]
    if missing or len(meta.get("months", ())) != 12:
        raise WarroomError(f"{where}: front matter lacks {missing or 'twelve months'}")
    digits = meta.get("digits", "")

    def finalize(value: Any) -> Any:   # numbers in the language's own digits
        return t.number(value) if isinstance(value, int) and not isinstance(value, bool) else value

    env = Environment(undefined=StrictUndefined, autoescape=False, finalize=finalize)
    blocks: list[Block] = []
    personal: set[int] = set()

    def compiled(source: str):
        used = meta_vars(env.parse(source))
        if used - VALUES:
            raise WarroomError(f"{where}: no value {', '.join(sorted(used - VALUES))} (there"
                               f" are {', '.join(sorted(VALUES))})")
        if "name" in used:
            personal.add(len(blocks))
        return env.from_string(source)

    for chunk in re.split(r"\n[ \t]*\n", parts[2].strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if m := re.fullmatch(r"\[\[(\w+)\]\]", chunk.strip()):
            if m[1] not in DIRECTIVES:
                raise WarroomError(f"{where}: unknown block [[{m[1]}]] (known: {DIRECTIVES})")
            blocks.append(("block", m[1]))
        elif lines[0].startswith(("# ", "## ")):
            level, _, title = " ".join(lines).partition(" ")
            blocks.append(("title" if level == "#" else "heading", compiled(title)))
        elif all(line.startswith("- ") for line in lines):
            blocks.append(("list", tuple(compiled(line[2:]) for line in lines)))
        else:
            blocks.append(("para", compiled(meta.get("join", " ").join(lines))))
    t = Template(code, meta["language"], meta.get("direction") == "rtl", bool(meta["draft"]),
                 meta.get("font", "sans"), meta.get("wrap") == "char", meta["labels"],
                 tuple(meta["months"]), meta["date"], digits, meta.get("colon", ": "),
                 tuple(blocks), frozenset(personal))
    return t


@lru_cache(maxsize=1)
def templates() -> dict[str, Template]:
    """Every letter template in data/letters/, by language code."""
    folder = data_dir() / "letters"
    return {p.stem: _parse(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.md")) if p.stem.islower()}


@lru_cache(maxsize=1)
def _by_nationality() -> dict[str, str]:
    table = tomllib.loads((data_dir() / "letters" / "languages.toml").read_text("utf-8"))
    return {k.lower(): v for k, v in table["nationality"].items()}


def language_for(nationality: str | None) -> str:
    """The letter's language when the person's own is not known: from their nationality."""
    code = _by_nationality().get((nationality or "").lower(), "en")
    return code if code in templates() else "en"
