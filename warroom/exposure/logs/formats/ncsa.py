"""The NCSA family that Apache's `mod_log_config` and nginx's `log_format` write: the common
log format, combined (with Referer and User-Agent), and nginx's combined with
`"$http_x_forwarded_for"` appended. Each format module is this one pattern with more quoted
fields at the end; a line must match its whole format, or it is a bad line.

    %h %l %u %t "%r" %>s %b                                   common
    %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"    combined
    ... "$http_referer" "$http_user_agent" "$http_x_forwarded_for"   nginx, XFF appended
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from warroom.exposure.logs.hit import Hit, clf_time, count, forwarded, split_request, unquote_field

QUOTED = r'"((?:[^"\\]|\\.)*)"'
_HEAD = (r"(\S+) \S+ (\S+|\"[^\"]*\") \[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d(?: [+-]\d{4})?)\] "
         + QUOTED + r" (\d{3}) (\d+|-)")


def pattern(quoted_fields: int) -> re.Pattern[str]:
    """The whole line: the common head, then this many quoted fields, then nothing."""
    return re.compile(_HEAD + (" " + QUOTED) * quoted_fields + r"\s*$")


def sniff(line_pattern: re.Pattern[str], first_lines: Sequence[str]) -> bool:
    """Most of the first lines match the whole pattern (a bad line or two may be among
    them)."""
    lines = [x for x in first_lines if x.strip()]
    matched = sum(1 for x in lines if line_pattern.match(x))
    return matched > 0 and matched * 2 >= len(lines)


def parse(line_pattern: re.Pattern[str], line: str) -> Hit | None:
    found = line_pattern.match(line)
    if found is None:
        return None
    host, _user, stamp, request, status, sent, *quoted = found.groups()
    method, path = split_request(unquote_field(request))
    agent = unquote_field(quoted[1]) if len(quoted) > 1 else ""
    chain = forwarded(unquote_field(quoted[2])) if len(quoted) > 2 else ()
    return Hit(clf_time(stamp), host, method, path, int(status), count(sent), agent, chain,
               peer=host)
