"""The selections the command line and the console share: FILTERS over the roster, and over
the downloaders. A filter is a plain value; `query()` gives the keyword arguments of the
journal's read functions (`queries.roster_page`, `queries.roster_count`, ...), with the
deadlines that `--overdue` needs worked out for the moment asked about."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from warroom.model import ContactState, HoldState, NotifyState, a_number, now, parse_instant


@dataclass(frozen=True)
class PeopleFilter:
    """Who: explicit ids, or FILTERS (all given ones must hold), or both (ids that also pass
    the filters). `order`: "id", or "work" (scheduled removal soonest, high-risk, the rest)."""

    ids: tuple[int, ...] = ()
    facility: str | None = None          # part of the facility's name, any case
    nationality: str | None = None       # the short English name, any case
    notify: NotifyState | None = None
    hold: HoldState | None = None
    high_risk: bool = False
    overdue: bool = False                # notice or hold not done by its deadline
    alarm: bool = False                  # any removal alarm (see holds.ALARMS)
    conflict: bool = False               # an A-number with more than one identity
    search: str | None = None            # part of a name, of an A-number or of the counsel
    order: str = "id"

    @property
    def narrowed(self) -> bool:
        """Whether FILTERS (not only ids) choose the people: a bulk action then states its
        count and asks."""
        return any(getattr(self, f.name) for f in fields(self)
                   if f.name not in ("ids", "order"))

    @property
    def everyone(self) -> bool:
        return not self.ids and not self.narrowed

    def describe(self) -> str:
        """'facility ~ Alder, notify pending, high-risk' (the filter, never a person)."""
        parts = [f"{len(self.ids):,} id(s)"] if self.ids else []
        for name, label in (("facility", "facility ~ "), ("nationality", "nationality "),
                            ("notify", "notify "), ("hold", "hold "), ("search", "search ")):
            if getattr(self, name):
                parts.append(f"{label}{getattr(self, name)}")
        parts += [flag.replace("_", "-") for flag in ("high_risk", "overdue", "alarm",
                                                       "conflict")
                  if getattr(self, flag)]
        return ", ".join(parts) or "everyone"

    def with_ids(self, ids) -> PeopleFilter:
        return replace(self, ids=tuple(ids))

    def query(self, conn: sqlite3.Connection, at: datetime | None = None) -> dict:
        """Keyword arguments for `queries.roster_page` and `queries.roster_count`."""
        from warroom.checklists.tasks import person_deadlines

        at = at or now()
        late = {what: due is not None and due <= at
                for what, due in person_deadlines(conn).items()}
        search = (self.search or "").strip() or None
        number = a_number(search) if search else None   # an A-number in any form: exact
        return {"ids": self.ids, "facility": self.facility, "nationality": self.nationality,
                "notify": self.notify, "hold": self.hold, "high_risk": self.high_risk,
                "overdue": self.overdue, "alarm": self.alarm, "conflict": self.conflict,
                "search": search,
                "a_number": number, "today": at.astimezone().date().isoformat(),
                "notify_late": late.get("notify", False), "hold_late": late.get("hold", False)}


@dataclass(frozen=True)
class DownloaderFilter:
    """Which downloaders: explicit clients, or FILTERS, or both."""

    clients: tuple[str, ...] = ()
    state: ContactState | None = None
    complete: bool | None = None
    bot: bool | None = None
    search: str | None = None            # part of the client address or the organisation

    @property
    def narrowed(self) -> bool:
        return any(getattr(self, name) is not None for name in ("state", "complete", "bot",
                                                                 "search"))

    @property
    def everyone(self) -> bool:
        return not self.clients and not self.narrowed

    def describe(self) -> str:
        parts = [f"{len(self.clients):,} client(s)"] if self.clients else []
        if self.state:
            parts.append(f"contact {self.state}")
        if self.complete is not None:
            parts.append("complete" if self.complete else "partial")
        if self.bot is not None:
            parts.append("crawlers" if self.bot else "not crawlers")
        if self.search:
            parts.append(f"search {self.search}")
        return ", ".join(parts) or "every downloader"

    def query(self) -> dict:
        return {"clients": self.clients, "state": self.state, "complete": self.complete,
                "bot": self.bot, "search": self.search}


def after(t0_text: str | None, seconds: int | None) -> datetime | None:
    """T0 + seconds, or None when either is unknown."""
    if t0_text is None or seconds is None:
        return None
    return parse_instant(t0_text) + timedelta(seconds=seconds)
