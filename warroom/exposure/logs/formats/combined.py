"""Apache/nginx combined log format: common, then `"%{Referer}i" "%{User-agent}i"` (nginx:
`"$http_referer" "$http_user_agent"`)."""

from __future__ import annotations

from collections.abc import Sequence

from warroom.exposure.logs.formats import ncsa
from warroom.exposure.logs.hit import Hit

NAME = "combined"
LINE = ncsa.pattern(2)


def sniff(first_lines: Sequence[str]) -> bool:
    return ncsa.sniff(LINE, first_lines)


def parse(line: str) -> Hit | None:
    return ncsa.parse(LINE, line)
