"""Times a responder types: 'T0+4h', '+30m', '2022-11-28T14:00', '2022-11-28', 'now'.

A time without an offset is the machine's local time; a date alone is its start."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from warroom.errors import WarroomError
from warroom.model import now

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_OFFSET = re.compile(r"^\s*(?:t0\s*)?\+?\s*((?:\d+\s*[wdhms]\s*)+|0)\s*$", re.IGNORECASE)
_PART = re.compile(r"(\d+)\s*([wdhms])", re.IGNORECASE)


def offset_seconds(text: str) -> int | None:
    """'T0+1h30m', '+7d', '15m', '0' as seconds; None when text is not an offset."""
    found = _OFFSET.match(text or "")
    if not found:
        return None
    return sum(int(n) * _UNITS[unit.lower()] for n, unit in _PART.findall(found.group(1)))


def _looks_like_date(text: str) -> bool:
    return bool(re.match(r"^\s*\d{4}-\d{2}-\d{2}", text))


def instant(text: str | None, t0: datetime | None = None) -> datetime | None:
    """A typed time as an aware datetime: 'now', an ISO time or date, or an offset after T0
    ('T0+4h'; '+4h' is after now)."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if text.lower() == "now":
        return now()
    if not _looks_like_date(text):
        seconds = offset_seconds(text)
        if seconds is not None:
            base = t0 if text.lower().startswith("t0") else now()
            if base is None:
                raise WarroomError("T0 is not known yet: open the incident first")
            return base + timedelta(seconds=seconds)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise WarroomError(f"{text[:40]!r} is not a time: write 2022-11-28T14:00, 2022-11-28,"
                           " T0+4h or now") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment


def day(text: str | None) -> str | None:
    """A typed date as 'YYYY-MM-DD': an ISO date (or time: its local date), '+30d' after
    today, or 'none' (returned as '': no date)."""
    if text is None:
        return None
    text = text.strip()
    if text.lower() in ("none", "-"):
        return ""
    if not _looks_like_date(text) and offset_seconds(text) is not None:
        return (now() + timedelta(seconds=offset_seconds(text))).date().isoformat()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise WarroomError(f"{text[:40]!r} is not a date: write 2022-12-28, +30d or none") \
            from None
