"""AWS Application Load Balancer access logs (and the Classic Load Balancer's, which lack the
leading type): space-separated, strings in double quotes, new fields only ever appended.

    type time elb client:port target:port request_processing_time target_processing_time
    response_processing_time elb_status_code target_status_code received_bytes sent_bytes
    "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" …

`time` is ISO 8601 in UTC. `client:port` is the peer (a proxy in front of the load balancer,
if any); the port changes with every connection, the client does not. `"request"` holds the
method, the absolute URL (`https://host:443/path?query`) and the protocol. `sent_bytes`
counts headers too. `-` stands for a value the load balancer did not have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from warroom.exposure.logs.hit import Hit, count, iso_time, split_request, unquote_field

NAME = "alb"

_TYPES = ("http", "https", "h2", "grpcs", "ws", "wss")
LINE = re.compile(
    r"(?:(\w+) )?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (\S+) (\S+) (\S+)"
    r" (\S+) (\S+) (\S+) (\d{3}|-) (\d{3}|-) (\d+|-) (\d+|-)"
    r' "([^"]*)" "((?:[^"\\]|\\.)*)"(?: |$)')


def sniff(first_lines: Sequence[str]) -> bool:
    lines = [x for x in first_lines if x.strip()]
    matched = 0
    for line in lines:
        found = LINE.match(line)
        if found and (found.group(1) is None or found.group(1) in _TYPES):
            matched += 1
    return matched > 0 and matched * 2 >= len(lines)


def client_address(text: str) -> str:
    """The address of `client:port`: `192.0.2.1:2817` or IPv6 `[2001:db8::1]:2817` (or
    `2001:db8::1:2817`, the last colon before the port)."""
    if text.startswith("["):
        return text[1:].partition("]")[0]
    address, colon, port = text.rpartition(":")
    return address if colon and port.isdigit() else text


def parse(line: str) -> Hit | None:
    found = LINE.match(line)
    if found is None:
        return None
    (_type, stamp, _elb, client, _target, _t1, _t2, _t3, status, _target_status, _received,
     sent, request, agent) = found.groups()
    if client == "-":
        return None
    peer = client_address(client)
    method, path = split_request(request)
    return Hit(iso_time(stamp), peer, method, path, int(status) if status.isdigit() else 0,
               count(sent), unquote_field(agent), peer=peer)
