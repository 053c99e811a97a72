"""Tips from advocacy groups and the public: intake and triage."""

from __future__ import annotations

import uuid
from datetime import datetime

from warroom.errors import WarroomError
from warroom.journal import Journal
from warroom.model import Event, mask_url
from warroom.model.payloads import TipReceived
from warroom.model.urls import mask_urls_in


def add_tip(journal: Journal, source: str, text: str, url: str | None = None,
            confidential: bool = False, at: datetime | None = None,
            discovery: bool = False, uid: str | None = None) -> Event:
    """Record a tip. `discovery` marks the tip that told us of the exposure (starts T0).
    URLs, in `url` or in the text, are journaled with their secrets masked."""
    if not source.strip() or not text.strip():
        raise WarroomError("a tip needs a source and a text")
    uid = uid or uuid.uuid4().hex
    tip = TipReceived(uid=uid, source=source.strip(), text=mask_urls_in(text.strip()),
                      url=mask_url(url) if url else url,
                      confidential=confidential, discovery=discovery)
    return journal.record(tip, uid, occurred_at=at, uid=f"tip-{uid}")
