"""Times. Every instant is stored as UTC text with a fixed width, so text order is time order:
2022-11-28T14:45:00.000Z. The offset the source wrote ("-05:00") is kept beside it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now() -> datetime:
    """The current time, timezone-aware, in the machine's local zone."""
    return datetime.now(UTC).astimezone()


def to_utc_text(moment: datetime) -> tuple[str, str]:
    """(UTC text, source offset) for an aware datetime; naive ones are taken as local."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return text, f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_instant(text: str) -> datetime:
    """Parse stored UTC text (or any ISO 8601 with offset) into an aware datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment
