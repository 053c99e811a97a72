"""nginx combined with `"$http_x_forwarded_for"` appended: the chain of addresses a proxy or
load balancer in front of nginx passed on (`-` when none)."""

from __future__ import annotations

from collections.abc import Sequence

from warroom.exposure.logs.formats import ncsa
from warroom.exposure.logs.hit import Hit

NAME = "combined-xff"
LINE = ncsa.pattern(3)


def sniff(first_lines: Sequence[str]) -> bool:
    return ncsa.sniff(LINE, first_lines)


def parse(line: str) -> Hit | None:
    return ncsa.parse(LINE, line)
