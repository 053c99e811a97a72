"""The forms of the Notify and Holds tabs: what to record (state, channel or type, dates, a
note) and for whom (the person under the cursor, or everyone the tab's filter shows).

The change is made by the service's own parser (`NotifyChange.parse`, `HoldChange.parse`), so
a consular channel or counsel is refused here with the same one line as on the command line,
and the form stays open with nothing recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from warroom.checklists import holds, notify, when
from warroom.checklists.filters import PeopleFilter
from warroom.errors import WarroomError
from warroom.model import Channel, HoldState, NotifyState, parse_instant
from warroom.model.kinds import HoldType
from warroom.tui.dialogs.forms import Field, Form

WHEN_HINT = "when it happened (empty: now): 2022-11-30T10:15, T0+3d"


@dataclass(frozen=True)
class Target:
    """Whom a change may be for: one person (by id, shown redacted) and the tab's filter."""

    person: dict | None          # the person under the cursor, as the list shows them
    filter: PeopleFilter
    shown: int                   # how many people the filter shows

    def choices(self) -> list[tuple[str, str]]:
        out = []
        if self.person is not None:
            p = self.person
            out.append((f"#{p['id']} {p['a_number']} {p['name']}", "one"))
        out.append((f"all {self.shown:,} shown ({self.filter.describe()})", "filter"))
        return out

    def default(self) -> str:
        return "filter" if self.filter.narrowed or self.person is None else "one"

    def selection(self, who: str | None) -> tuple[PeopleFilter, str]:
        """The filter for the chosen people, and who they are in words."""
        if who == "one" and self.person is not None:
            return PeopleFilter(ids=(self.person["id"],)), f"person #{self.person['id']}"
        return self.filter, f"{self.shown:,} people shown ({self.filter.describe()})"


@dataclass(frozen=True)
class ChangeRequest:
    """What a form gives back: the service ("notify" | "hold"), its change, for whom."""

    service: str
    change: object
    filter: PeopleFilter
    scope: str


def _instant(text: str | None, t0: str | None) -> datetime | None:
    return when.instant(text, parse_instant(t0) if t0 else None)


class ChangeForm(Form):
    SERVICE = ""
    STATES: Sequence[str] = ()

    def __init__(self, target: Target, t0: str | None) -> None:
        super().__init__()
        self.target = target
        self.t0 = t0

    def intro(self) -> Text:
        return Text("One event a person is journaled, as you. A bulk change states its count"
                    " and asks before anything is recorded.", style="dim")

    def who(self) -> Field:
        return Field("who", "for", self.target.choices(), self.target.default(), blank=False)

    def state(self) -> Field:
        return Field("state", "state", [(s, s) for s in self.STATES])

    def correct(self) -> Field:
        return Field("correction", "correction", placeholder="only to record a move the rules"
                                                             " refuse: why (kept)")

    def make(self, values: dict[str, str | None]) -> ChangeRequest:
        if not any(v for k, v in values.items() if k != "who"):
            raise WarroomError("say what to record: a state, or a detail to change")
        flt, scope = self.target.selection(values.pop("who"))
        return ChangeRequest(self.SERVICE, self.change(values), flt, scope)

    def change(self, values: dict[str, str | None]) -> object:
        raise NotImplementedError


class NotifyForm(ChangeForm):
    HEADING = "Record notification work"
    SERVICE = "notify"
    STATES = [s.value for s in NotifyState]

    def fields(self) -> Sequence[Field]:
        return (self.who(), self.state(),
                Field("channel", "channel", placeholder="in-person, mail, counsel or court",
                      suggestions=[c.value for c in Channel]),
                Field("counsel", "counsel", placeholder="counsel of record (for notice"
                                                        " through counsel)"),
                Field("when", "when", placeholder=WHEN_HINT),
                Field("note", "note", placeholder="kept with the person"), self.correct())

    def change(self, values: dict[str, str | None]) -> notify.NotifyChange:
        return notify.NotifyChange.parse(state=values["state"], channel=values["channel"],
                                         counsel=values["counsel"], note=values["note"],
                                         correction=values["correction"],
                                         at=_instant(values["when"], self.t0))


class HoldForm(ChangeForm):
    HEADING = "Record removal-hold work"
    SERVICE = "hold"
    STATES = [s.value for s in HoldState]

    def fields(self) -> Sequence[Field]:
        return (self.who(), self.state(),
                Field("type", "type", [(t.value, t.value) for t in HoldType]),
                Field("expires", "hold ends", placeholder="a date (empty: 30 days after the"
                                                          " person's notice)"),
                Field("removal_date", "removal date", placeholder="scheduled removal, as the"
                                                                  " custody system says; none"),
                Field("when", "when", placeholder=WHEN_HINT),
                Field("note", "note", placeholder="kept with the person"), self.correct())

    def change(self, values: dict[str, str | None]) -> holds.HoldChange:
        return holds.HoldChange.parse(state=values["state"], type=values["type"],
                                      expires=values["expires"],
                                      removal_date=values["removal_date"], note=values["note"],
                                      correction=values["correction"],
                                      at=_instant(values["when"], self.t0))


FORMS = {"notify": NotifyForm, "hold": HoldForm}
