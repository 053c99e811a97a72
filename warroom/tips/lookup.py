"""The advocate lookup: is one client in the exposed file, and where are their notification
and their removal hold? The A-number and the birth date must both match; a wrong birth date
answers exactly as an absent client does (same answer, same work: one indexed read, one
constant-time comparison, one event). One person per call and never a list: A-numbers are
low-entropy (nine digits, many in narrow ranges), so a range or hash-prefix scheme in the
style of Have I Been Pwned would let a caller walk every prefix and recover the whole file.

Every lookup is journaled: the organisation, its token's id, the result class (`in_file`,
`absent`, `mismatch`: a right A-number with a wrong birth date, the mark of someone guessing,
or `unverifiable`: the file holds the A-number without a birth date) and a redacted
A-number; never the birth date that was asked."""

from __future__ import annotations

import hmac
from dataclasses import asdict, dataclass
from datetime import date

from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model import person_key, redact_a_number
from warroom.model.kinds import LookupResult
from warroom.model.payloads import Lookup
from warroom.tips.submit import clean_a_number, new_receipt

_NOBODY = "0000-00-00"   # compared against when no one has the A-number: the same work


@dataclass(frozen=True)
class LookupAnswer:
    """What the advocate hears: the same four keys whether or not the client is found."""

    in_file: bool
    notification_state: str | None
    hold_state: str | None
    receipt: str

    def as_json(self) -> dict:
        return asdict(self)


def _birth_date(value: date | str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise WarroomError("the birth date is a date, YYYY-MM-DD") from None


def lookup(journal: Journal, org: str, token_id: str, number: str,
           birth_date: date | str) -> LookupAnswer:
    """Look one client up and journal it. Raises `WarroomError` only for a malformed
    A-number or date (said the same whether or not anyone has it)."""
    canonical = clean_a_number(number)
    asked = _birth_date(birth_date)
    row = queries.lookup_person(journal.conn, person_key(canonical, None, None))
    stored = (row[1] or "")[:10] if row else _NOBODY
    same = hmac.compare_digest(stored.encode(), asked.encode())
    if row is None:
        result = LookupResult.ABSENT
    elif not row[1]:
        result = LookupResult.UNVERIFIABLE
    else:
        result = LookupResult.IN_FILE if same else LookupResult.MISMATCH
    found = result == LookupResult.IN_FILE
    receipt = new_receipt("L")
    journal.record(Lookup(org=org, token_id=token_id, result=result, receipt=receipt,
                          a_number=redact_a_number(canonical),
                          person_id=row[0] if found else None),
                   org, actor=f"intake:{org}", uid=f"lookup-{receipt}")
    return LookupAnswer(found, row[2] if found else None, row[3] if found else None, receipt)
