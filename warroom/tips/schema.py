"""The shape of a tip from outside, in one place: the intake server's request bodies (and so
its OpenAPI description) and the records of a JSON file imported with `warroom tip import`.
Unknown fields are refused, so a misspelt field is an error rather than a silent loss. The
meaning (a real A-number, an http URL) is checked by `warroom.tips.submit`, for every way in."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, Strict, StringConstraints

from warroom.model.kinds import TipChannel
from warroom.tips.submit import (
    A_NUMBER_PATTERN,
    MAX_A_NUMBERS,
    MAX_CONTACT,
    MAX_KEY,
    MAX_SOURCE,
    MAX_TEXT,
    MAX_URL,
    MAX_URLS,
    TEXT_PATTERN,
    URL_PATTERN,
)

# Strict: a number is not a text and 0 is not false (a schema-violating request is refused,
# not coerced into something the sender did not say).
Url = Annotated[str, Strict(), StringConstraints(pattern=URL_PATTERN, max_length=MAX_URL)]
# 'A123456789', 'A-123-456-789', 'A# 123 456 789', '12345678'
ANumber = Annotated[str, Strict(), StringConstraints(pattern=A_NUMBER_PATTERN, max_length=20)]


class TipFields(BaseModel):
    """A tip: what was found or who is affected."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, strict=True, pattern=TEXT_PATTERN,
                      description="what you found or know, in your words")
    contact: str | None = Field(None, max_length=MAX_CONTACT, strict=True,
                                description="how to reach you about this tip")
    urls: list[Url] = Field(default_factory=list, max_length=MAX_URLS, strict=True,
                            description="http(s) addresses where the file or a copy is")
    a_numbers: list[ANumber] = Field(default_factory=list, max_length=MAX_A_NUMBERS, strict=True,
                                     description="A-numbers of affected clients")
    confidential: bool = Field(False, strict=True,
                               description="keep who sent this tip confidential")


class TipRecord(TipFields):
    """One tip in a JSON file (`warroom tip import`)."""

    source: str | None = Field(None, max_length=MAX_SOURCE, strict=True,
                               description="the organisation or person it came from")
    channel: TipChannel = TipChannel.FILE
    received_at: AwareDatetime | None = Field(None, description="when it was received")
    id: str | None = Field(None, max_length=MAX_KEY,
                           description="the sender's id for it: importing twice adds it once")


_PATTERNS = {"a_numbers": "not an A-number (an A and 8 or 9 digits)",
             "a_number": "not an A-number (an A and 8 or 9 digits)",
             "urls": "not an http(s) URL (no spaces in it)",
             "text": "has nothing but spaces"}


def problem(error: dict) -> tuple[str, str]:
    """(where, what) of one pydantic error, said for a person: a pattern by its meaning,
    never the regular expression; never the input echoed back."""
    loc = [str(x) for x in error.get("loc", ()) if x != "body"]
    where = ".".join(loc) or "the body"
    if error.get("type") == "string_pattern_mismatch" and loc and loc[0] in _PATTERNS:
        return where, _PATTERNS[loc[0]]
    return where, error.get("msg", "invalid")
