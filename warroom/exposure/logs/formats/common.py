"""Apache/nginx common log format: `%h %l %u %t "%r" %>s %b` (no Referer, no User-Agent)."""

from __future__ import annotations

from collections.abc import Sequence

from warroom.exposure.logs.formats import ncsa
from warroom.exposure.logs.hit import Hit

NAME = "common"
LINE = ncsa.pattern(0)


def sniff(first_lines: Sequence[str]) -> bool:
    return ncsa.sniff(LINE, first_lines)


def parse(line: str) -> Hit | None:
    return ncsa.parse(LINE, line)
