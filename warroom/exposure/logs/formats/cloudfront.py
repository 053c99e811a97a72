"""AWS CloudFront standard logs: tab-separated, after `#Version:` and `#Fields:` header
lines. The columns are read from `#Fields`; without it (files cut or joined) they are the
documented order, which only ever grew at the end: 24 fields in the first long-lived set,
26 with field-level encryption, 33 since 2019 (`c-port` … `sc-range-end`).

`date` and `time` are UTC. `c-ip` is the viewer, or the viewer's proxy, whose
`x-forwarded-for` then names the viewer. `cs-uri-stem` and `cs(User-Agent)` are
URL-encoded. `sc-bytes` counts headers too. `sc-range-start`/`sc-range-end` hold the
response's Content-Range, when it has one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from urllib.parse import unquote

from warroom.exposure.logs.hit import Hit, count, forwarded
from warroom.exposure.logs.paths import normalize

NAME = "cloudfront"
COMMENT = "#"

FIELDS = (
    "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)",
    "cs-uri-stem", "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)",
    "x-edge-result-type", "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes",
    "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher",
    "x-edge-response-result-type", "cs-protocol-version",            # 24: the older set
    "fle-status", "fle-encrypted-fields",                            # 26
    "c-port", "time-to-first-byte", "x-edge-detailed-result-type", "sc-content-type",
    "sc-content-len", "sc-range-start", "sc-range-end",              # 33: the newer set
)
_NEEDED = ("date", "time", "c-ip", "cs-uri-stem", "sc-status")


def sniff(first_lines: Sequence[str]) -> bool:
    for line in first_lines:
        if line.startswith("#Fields:"):
            return all(name in line.split() for name in _NEEDED)
    rows = [x.split("\t") for x in first_lines if x.strip() and not x.startswith("#")]
    return bool(rows) and all(len(r) >= 12 and _is_date(r[0]) and r[1].count(":") == 2
                              for r in rows)


def _is_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def parser(first_lines: Sequence[str], field_map: object = None) -> Callable[[str], Hit | None]:
    """A parser for one file, with the columns its `#Fields` line names (a field map is for
    JSON and is not used here)."""
    for line in first_lines:
        if line.startswith("#Fields:"):
            return _parser(tuple(line.split()[1:]))
    return parse


def _parser(fields: tuple[str, ...]) -> Callable[[str], Hit | None]:
    index = {name: i for i, name in enumerate(fields)}
    if any(name not in index for name in _NEEDED):
        return parse
    width = len(fields)

    def parse_line(line: str) -> Hit | None:
        row = line.rstrip("\r\n").split("\t")
        if len(row) != width:      # another version's line, joined into this file
            return parse(line)
        return _hit(row, index)

    return parse_line


_BY_WIDTH = {n: {name: i for i, name in enumerate(FIELDS[:n])} for n in range(12, 34)}


def parse(line: str) -> Hit | None:
    """A line in the documented column order (as many columns as it has)."""
    row = line.rstrip("\r\n").split("\t")
    index = _BY_WIDTH.get(len(row))
    return _hit(row, index) if index else None


def _hit(row: list[str], index: dict[str, int]) -> Hit | None:
    def field(name: str) -> str:
        i = index.get(name)
        value = row[i] if i is not None else "-"
        return "" if value == "-" else value

    try:
        moment = datetime.fromisoformat(f"{field('date')}T{field('time')}").replace(tzinfo=UTC)
        status = int(field("sc-status"))
    except ValueError:
        return None
    client = field("c-ip")
    if not client:
        return None
    start, end = field("sc-range-start"), field("sc-range-end")
    return Hit(moment, client, field("cs-method"), normalize(field("cs-uri-stem")), status,
               count(field("sc-bytes")), unquote(field("cs(User-Agent)")),
               forwarded(unquote(field("x-forwarded-for"))),
               int(start) if start.isdigit() else None, int(end) if end.isdigit() else None,
               peer=client)
