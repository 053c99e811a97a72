"""JSON Lines, one request an object, as CDNs export them (Cloudflare Logpush, Fastly, nginx
`escape=json` formats, CloudFront's JSON output, ECS). A field map says which key holds
what: each field has a list of names, the first one present wins; a dotted name
(`http.request.method`) looks into nested objects. The default map covers the common
names; pass another (its names are tried first) with `parser(first_lines, field_map)`, or
`analyze(..., field_map=...)`.

Times may be epoch numbers (s, ms, µs or ns), ISO 8601 or the CLF form; one with no offset
is taken as UTC. A missing method is taken as GET (exports that log only downloads).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from warroom.exposure.logs.hit import Hit, any_time, byte_range, forwarded, split_request
from warroom.exposure.logs.paths import normalize

NAME = "jsonl"

FieldMap = Mapping[str, "str | Sequence[str]"]

DEFAULT_MAP: dict[str, tuple[str, ...]] = {
    "time": ("EdgeStartTimestamp", "timestamp", "time", "time_iso8601", "time_local",
             "@timestamp", "date", "datetime"),
    "client": ("ClientIP", "client_ip", "remote_addr", "c-ip", "clientip", "ip",
               "client.ip", "source.ip"),
    "method": ("ClientRequestMethod", "method", "request_method", "http_method", "cs-method",
               "http.request.method"),
    "path": ("ClientRequestURI", "ClientRequestPath", "path", "uri", "request_uri", "url",
             "cs-uri-stem", "url.original", "url.path"),
    "request": ("request", "request_line"),
    "status": ("EdgeResponseStatus", "status", "status_code", "response_status", "sc-status",
               "http.response.status_code"),
    "bytes": ("EdgeResponseBytes", "bytes", "body_bytes_sent", "bytes_sent",
              "response_body_size", "resp_body_size", "sc-bytes", "http.response.body.bytes"),
    "user_agent": ("ClientRequestUserAgent", "user_agent", "http_user_agent", "useragent",
                   "cs(User-Agent)", "user_agent.original"),
    "forwarded_for": ("XForwardedFor", "x_forwarded_for", "http_x_forwarded_for",
                      "forwarded_for", "x-forwarded-for"),
    "range": ("content_range", "sent_http_content_range", "ContentRange", "range",
              "http_range", "ClientRequestRange"),
}


def merged(field_map: FieldMap | None) -> dict[str, tuple[str, ...]]:
    """The default map with another's names tried first."""
    names = dict(DEFAULT_MAP)
    for field, given in (field_map or {}).items():
        given = (given,) if isinstance(given, str) else tuple(given)
        names[field] = given + tuple(n for n in names.get(field, ()) if n not in given)
    return names


def sniff(first_lines: Sequence[str]) -> bool:
    lines = [x for x in first_lines if x.strip()]
    objects = sum(1 for x in lines if x.lstrip().startswith("{") and _object(x) is not None)
    return objects > 0 and objects * 2 >= len(lines)


def _object(line: str) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _get(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if name in record:
            value = record[name]
        elif "." in name:
            value = record
            for part in name.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        else:
            continue
        if value not in (None, "", "-"):
            return value
    return None


def parser(first_lines: Sequence[str] = (),
           field_map: FieldMap | None = None) -> Callable[[str], Hit | None]:
    names = merged(field_map)
    look = {field: names[field] for field in DEFAULT_MAP}

    def parse_line(line: str) -> Hit | None:
        record = _object(line)
        if record is None:
            return None
        client, stamp = _get(record, look["client"]), _get(record, look["time"])
        target, request = _get(record, look["path"]), _get(record, look["request"])
        method = _get(record, look["method"])
        if target is not None:
            path = normalize(str(target))
        elif request is not None:
            method_in_line, path = split_request(str(request))
            method = method or method_in_line
        else:
            return None
        if client is None or stamp is None:
            return None
        try:
            moment = any_time(stamp)
            status = int(_get(record, look["status"]) or 0)
            sent = int(_get(record, look["bytes"]) or 0)
        except (ValueError, TypeError, KeyError, OverflowError, OSError):
            return None
        chain = _get(record, look["forwarded_for"])
        chain = tuple(map(str, chain)) if isinstance(chain, list) else forwarded(str(chain or ""))
        start, end = byte_range(_get(record, look["range"]))
        client = str(client)
        return Hit(moment, client, str(method or "GET").upper(), path, status, sent,
                   str(_get(record, look["user_agent"]) or ""), chain, start, end, peer=client)

    return parse_line


parse = parser()
