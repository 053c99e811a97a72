"""One request from an access log, and the small readers every format shares: times (with
their offsets, to UTC), request lines, quoted strings, byte counts and ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from warroom.exposure.logs.paths import normalize


@dataclass(slots=True)
class Hit:
    """A request as the log tells it. `client` starts as the direct peer; the analysis puts
    the real client there (the first X-Forwarded-For address behind a proxy) and keeps the
    peer in `peer`."""

    time: datetime                          # aware, UTC
    client: str
    method: str
    path: str                               # decoded, normalized (see paths.normalize)
    status: int
    bytes: int
    user_agent: str = ""
    forwarded_for: tuple[str, ...] = ()
    range_start: int | None = None
    range_end: int | None = None
    peer: str = ""
    file: str = ""
    line: int = 0


MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


@lru_cache(maxsize=64)
def _zone(offset: str) -> timezone:
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def clf_time(text: str) -> datetime:
    """Apache `%t` and nginx `$time_local`: 10/Oct/2000:13:55:36 -0700, to UTC."""
    stamp, _, offset = text.partition(" ")
    moment = datetime(int(stamp[7:11]), MONTHS[stamp[3:6]], int(stamp[0:2]), int(stamp[12:14]),
                      int(stamp[15:17]), int(stamp[18:20]), tzinfo=_zone(offset or "+0000"))
    return moment.astimezone(UTC)


def iso_time(text: str) -> datetime:
    """ISO 8601 (Z or an offset; a time without one is taken as UTC), to UTC."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def epoch_time(value: float) -> datetime:
    """Seconds, milli-, micro- or nanoseconds since 1970 (told apart by their size)."""
    for scale in (1e18, 1e15, 1e12):
        if abs(value) >= scale / 1e2:
            value /= scale / 1e9
            break
    return datetime.fromtimestamp(value, UTC)


def any_time(value: object) -> datetime:
    """A time as JSON exports write it: epoch numbers, ISO 8601, or the CLF form."""
    if isinstance(value, int | float):
        return epoch_time(float(value))
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return epoch_time(float(text))
    if len(text) > 20 and text[2] == "/" and text[6] == "/":
        return clf_time(text)
    return iso_time(text)


def split_request(request: str) -> tuple[str, str]:
    """(method, normalized path) of a request line: `GET /f.xlsx?x=1 HTTP/1.1`, or with an
    absolute URL as proxies and load balancers write it. A malformed line (a TLS handshake
    sent to the plain port, `-`) gives a path that matches nothing."""
    parts = request.split(" ")
    if len(parts) < 2:
        return request, ""
    return parts[0], normalize(" ".join(parts[1:-1]) if len(parts) > 2 else parts[1])


def unquote_field(text: str) -> str:
    """A quoted field as Apache (\\") or nginx (\\x22) escapes it; `-` is empty."""
    if text == "-":
        return ""
    if "\\" in text:
        text = text.replace('\\"', '"').replace("\\x22", '"').replace("\\\\", "\\")
    return text


def count(text: str) -> int:
    """A byte count: `-` (nothing sent) is 0."""
    return int(text) if text.isdigit() else 0


def forwarded(text: str) -> tuple[str, ...]:
    """An X-Forwarded-For value as a tuple of addresses (`-` or empty: none)."""
    if not text or text == "-":
        return ()
    return tuple(part.strip() for part in text.split(",") if part.strip())


def byte_range(text: str | None) -> tuple[int | None, int | None]:
    """(start, end) of a Range (`bytes=0-1023`, `bytes=500-`) or Content-Range
    (`bytes 0-1023/2048`) value; (None, None) when there is none or it is a suffix range."""
    if not text:
        return None, None
    spec = text.strip().removeprefix("bytes").lstrip("= ").split("/")[0].split(",")[0]
    start, _, end = spec.partition("-")
    if not start.strip().isdigit():
        return None, None
    return int(start), int(end) if end.strip().isdigit() else None
