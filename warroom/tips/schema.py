"""The shape of a tip from outside, in one place: the intake server's request bodies (and so
its OpenAPI description) and the records of a JSON file imported with `warroom tip import`.
Unknown fields are refused, so a misspelt field is an error rather than a silent loss. The
meaning (a real A-number, an http URL) is checked by `warroom.tips.submit`, for every way in."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from warroom.model.kinds import TipChannel
from warroom.tips.submit import (
    MAX_A_NUMBERS,
    MAX_CONTACT,
    MAX_KEY,
    MAX_SOURCE,
    MAX_TEXT,
    MAX_URL,
    MAX_URLS,
)

Url = Annotated[str, StringConstraints(min_length=1, max_length=MAX_URL)]
ANumber = Annotated[str, StringConstraints(min_length=8, max_length=20)]


class TipFields(BaseModel):
    """A tip: what was found or who is affected."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT,
                      description="what you found or know, in your words")
    contact: str | None = Field(None, max_length=MAX_CONTACT,
                                description="how to reach you about this tip")
    urls: list[Url] = Field(default_factory=list, max_length=MAX_URLS,
                            description="http(s) addresses where the file or a copy is")
    a_numbers: list[ANumber] = Field(default_factory=list, max_length=MAX_A_NUMBERS,
                                     description="A-numbers of affected clients")
    confidential: bool = Field(False, description="keep who sent this tip confidential")


class TipRecord(TipFields):
    """One tip in a JSON file (`warroom tip import`)."""

    source: str | None = Field(None, max_length=MAX_SOURCE,
                               description="the organisation or person it came from")
    channel: TipChannel = TipChannel.FILE
    received_at: AwareDatetime | None = Field(None, description="when it was received")
    id: str | None = Field(None, max_length=MAX_KEY,
                           description="the sender's id for it: importing twice adds it once")
