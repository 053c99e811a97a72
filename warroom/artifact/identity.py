"""Conflicting identities inside one file: the same A-number with another name or birth date.

Both identities are kept (the second record is imported too, so the roster holds both) and
the conflict is reported, redacted, never merged silently. What is a conflict is decided in
`model.identity` (the roster's projection decides the same way). The per-row cost is one
dictionary look-up and one small tuple per A-number; the comparison runs only for an
A-number seen before.
"""

from __future__ import annotations

from warroom.model import initials, redact_a_number, redact_date
from warroom.model.identity import Identity, conflicts, merged, name_key

MAX_LISTED = 1000       # conflicts described in the result (all are counted)
MAX_IDENTITIES = 10     # identities kept for one A-number: a hostile file of one A-number
                        # under a million names would otherwise cost a million squared


class Identities:
    """The identities seen for each A-number of one scan."""

    def __init__(self) -> None:
        self.known: dict[str, Identity] = {}               # what is known of the first
        self.others: dict[str, list[Identity]] = {}        # A-number -> all its identities
        self.where: dict[str, str] = {}                    # A-number -> table of the second
        self.dropped = 0        # identities past MAX_IDENTITIES for their A-number (said)

    def see(self, number: str, name: str | None, born: str | None, table: str) -> bool | None:
        """None: a new A-number; False: one seen before, the same identity (or less of it);
        True: one seen before with another identity (the record is to be kept too)."""
        identity = (name, born)
        known = self.known.setdefault(number, identity)     # one dictionary operation
        if known is identity:
            return None
        if not conflicts(known, identity):
            if number not in self.others:
                self.known[number] = merged(known, identity)
            else:   # a third record may match one of the identities but the first
                return self._add(number, identity)
            return False
        if number not in self.others:
            self.others[number] = [known]
            self.where[number] = table
        return self._add(number, identity)

    def _add(self, number: str, identity: Identity) -> bool:
        seen = self.others[number]
        if any(not conflicts(old, identity) for old in seen):
            return False
        if len(seen) >= MAX_IDENTITIES:
            self.dropped += 1
            return False
        seen.append(identity)
        return True

    @property
    def count(self) -> int:
        """A-numbers with more than one identity."""
        return len(self.others)

    def notes(self) -> list[str]:
        if not self.dropped:
            return []
        return [f"{self.dropped:,} more identities of A-numbers that had {MAX_IDENTITIES}"
                " already were not kept (review those A-numbers: the file may be forged)"]

    def report(self) -> list[dict]:
        """The conflicts, redacted (initials, the A-number's last three digits, birth
        years), with what differs: the redacted names of two spellings may read the same."""
        out = []
        for number, identities in list(self.others.items())[:MAX_LISTED]:
            names = {name_key(i[0]) for i in identities if i[0]}
            births = {i[1] for i in identities if i[1]}
            out.append({
                "a_number": redact_a_number(number),
                "table": self.where[number],
                "differs": [what for what, values in (("name", names),
                                                      ("birth_date", births))
                            if len(values) > 1],
                "identities": [{"name": initials(name) if name else None,
                                "birth_date": redact_date(born) if born else None}
                               for name, born in identities],
            })
        return out
