"""The ways to reach an exposed person, and the one way that is never taken.

For an asylum seeker, a notice that reaches the home government (a consulate, an embassy, a
ministry) is the harm itself: a second disclosure of the very fact the leak exposed. `Channel`
has no such member by design, and any text that names one, as a channel, a counsel or an
address, is refused with `RefusedAction` (the command line exits 2), never recorded.
"""

from __future__ import annotations

import re
import unicodedata

from warroom.errors import RefusedAction, WarroomError
from warroom.model import Channel

CONSULAR_REFUSAL = ("a home government or consulate is never a notification channel: for an"
                    " asylum seeker, a notice that reaches it is the harm itself (8 CFR 208.6);"
                    " use in-person, mail, counsel or court")

# Words for a home government's offices, in the languages of the roster's nationalities too
# (consulado, consulat, embajada, ambassade, Botschaft, ministerio, посольство, консульство),
# matched in the text and in the text with its spaces and separators squeezed out.
_WORDS = re.compile(
    r"[ck]onsul|embass|embaj|ambas+ad|botschaft|diplomat|(?<!ad)ministr|foreign\s*affairs"
    r"|(?:home|national|foreign|central)\s*(?:government|authorit)|government\s*of"
    r"|gobierno|gouvernement|regierung|homecountry|countryoforigin"
    r"|посольств|консул|правительств|министерств|领事|使馆|大使馆|政府|سفارت|کنسول",
    re.IGNORECASE)

_ALIASES = {
    "in-person": Channel.IN_PERSON, "in person": Channel.IN_PERSON, "inperson": Channel.IN_PERSON,
    "hand": Channel.IN_PERSON, "hand-delivery": Channel.IN_PERSON,
    "hand delivery": Channel.IN_PERSON,
    "mail": Channel.MAIL, "post": Channel.MAIL, "letter": Channel.MAIL,
    "counsel": Channel.COUNSEL, "attorney": Channel.COUNSEL, "lawyer": Channel.COUNSEL,
    "court": Channel.COURT, "ij": Channel.COURT, "immigration judge": Channel.COURT,
    "immigration court": Channel.COURT,
}


def is_consular(text: str | None) -> bool:
    """Whether text names a home government, a consulate, an embassy or a ministry (also
    spelt with accents, separators or in the roster's languages)."""
    if not text:
        return False
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c)).lower()
    squeezed = re.sub(r"[\W_]+", "", plain)
    return bool(_WORDS.search(plain) or _WORDS.search(squeezed))


def refuse_consular(text: str | None) -> None:
    if is_consular(text):
        raise RefusedAction(CONSULAR_REFUSAL)


def channel(text: str | None) -> Channel | None:
    """The channel named by text, or None for none; a consular one is refused (exit 2), an
    unknown one is a clear error."""
    if text is None or not text.strip():
        return None
    refuse_consular(text)
    found = _ALIASES.get(" ".join(text.strip().lower().replace("_", " ").split()))
    if found is None:
        raise WarroomError(f"no channel {text.strip()[:40]!r}: one of"
                           f" {', '.join(c.value for c in Channel)}")
    return found


def destination(text: str | None, what: str) -> str | None:
    """Free text that says where a notice or a letter goes (counsel, a contact): trimmed,
    and refused when it names a home government or consulate."""
    if text is None:
        return None
    refuse_consular(text)
    text = " ".join(text.split())
    if not text:
        raise WarroomError(f"{what} is empty")
    return text
