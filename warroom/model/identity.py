"""When two records with one A-number are two identities. Pure functions, no I/O: the scan
and the roster's projection decide the same way.

An identity is a name and a birth date. Two records with the same A-number conflict when
both carry a name and the names differ, or both carry a birth date and the dates differ. A
missing name or date is less information, not another person. Names are compared as the
set of their words, upper-cased, accents and punctuation dropped: 'PEREZ LOPEZ, Juan',
'Juan Perez-Lopez' and 'JUAN  PÉREZ LÓPEZ' are one name (a file writes 'FAMILY, Given',
another 'Given FAMILY', a third loses its accents to an encoding). Word order is not
compared at all: a family and a given name swapped is a clerk's slip, not a second person.

Expressed on a whole column (what a columnar scan does): group the rows by A-number; a
conflict is a group with more than one distinct non-empty `name_key`, or more than one
distinct non-empty birth date.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

Identity = tuple[str | None, str | None]   # (full name, ISO birth date)


@lru_cache(maxsize=65_536)
def name_key(name: str | None) -> str:
    """The words of a name, upper-cased, without accents or punctuation, sorted; '' for
    none."""
    if not name:
        return ""
    plain = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in plain
                      if not unicodedata.combining(c)).upper()
    return " ".join(sorted(letters.split()))


def differences(a: Identity, b: Identity) -> list[str]:
    """What sets two identities of one A-number apart: 'name', 'birth_date', both or none."""
    (name_a, born_a), (name_b, born_b) = a, b
    out = []
    if name_a and name_b and name_a != name_b and name_key(name_a) != name_key(name_b):
        out.append("name")
    if born_a and born_b and born_a != born_b:
        out.append("birth_date")
    return out


def conflicts(a: Identity, b: Identity) -> bool:
    """Whether two identities of one A-number are two different people."""
    return bool(differences(a, b))


def merged(a: Identity, b: Identity) -> Identity:
    """What is known of one identity from two records of it (the first's values first)."""
    return (a[0] or b[0], a[1] or b[1])
