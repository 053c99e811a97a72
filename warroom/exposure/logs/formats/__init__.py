"""Access-log formats: one module a format, each with `NAME`, `sniff(first_lines)` and
`parse(line) -> Hit | None` (None: a bad line, counted and skipped). A format that needs
something from the file itself (CloudFront's `#Fields`) or from the caller (a JSON field
map) also has `parser(first_lines, field_map)`; one with header lines has `COMMENT`, their mark.

FORMATS is the one registry, in the order a file's first lines are tried: the most
specific first, so a combined line is not taken for the common format it starts with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType

from warroom.errors import WarroomError
from warroom.exposure.logs.formats import alb, cloudfront, combined, common, jsonl, nginx_xff
from warroom.exposure.logs.formats.jsonl import FieldMap
from warroom.exposure.logs.hit import Hit

__all__ = ["FORMATS", "NAMES", "FieldMap", "UnknownFormat", "by_name", "detect", "parser"]

FORMATS: tuple[ModuleType, ...] = (cloudfront, alb, jsonl, nginx_xff, combined, common)
NAMES: tuple[str, ...] = tuple(f.NAME for f in FORMATS)


class UnknownFormat(WarroomError):
    """No format takes a file's first lines, or a format's name is not known."""


def by_name(name: str) -> ModuleType:
    for fmt in FORMATS:
        if fmt.NAME == name:
            return fmt
    raise UnknownFormat(f"unknown log format {name!r}: use one of {', '.join(NAMES)}")


def detect(first_lines: Sequence[str]) -> ModuleType | None:
    """The first format whose sniff takes these lines, or None."""
    for fmt in FORMATS:
        if fmt.sniff(first_lines):
            return fmt
    return None


def parser(fmt: ModuleType, first_lines: Sequence[str] = (),
           field_map: FieldMap | None = None) -> Callable[[str], Hit | None]:
    """The parse function for one file in this format."""
    make = getattr(fmt, "parser", None)
    if make is None:
        return fmt.parse
    return make(first_lines, field_map)
