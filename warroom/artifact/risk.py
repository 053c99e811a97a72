"""Risk read from the record itself: a claim for protection in a case-status or
fear-interview column.

8 CFR 208.6 forbids disclosing "information contained in or pertaining to any application
for refugee admission, asylum, withholding of removal under section 241(b)(3) of the Act, or
protection under regulations issued pursuant to the Convention Against Torture", and
"records pertaining to any credible fear determination ... and any reasonable fear
determination"; other records "that indicate that a specific alien has applied for ...
asylum, withholding of removal ... or protection under ... the Convention Against Torture,
or has received a credible fear or reasonable fear interview" are protected too. What the
regulation protects is the claim, not its outcome: a NEGATIVE credible-fear result or a
denied asylum application still says the person asked for protection, and a leak of it is
the harm the rule guards against (retaliation on return, danger to family at home). So any
value that records a claim, a referral or an interview, whatever its result, marks the
person `protected_208_6` and high-risk, whatever their nationality. Values that say no
claim was made ('Not Applicable', 'None', 'No', 'N/A') mark no one.

Each column gets a rule, a pure function of one cell's text (cached: a categorical column
has few distinct values, each decided once):
- a fear-interview column (its header says fear, CFI or RFI): every value but the
  no-claim ones is a fear interview ('Positive', 'Negative', 'Pending', 'Referred', …):
  an unknown word there is taken as a claim, since a missed protection exposes someone and
  a wrong one costs a redaction;
- a case-status column (status, relief, application, claim, I-589, …), or any categorical
  column whose sampled values name a claim: only values that name one ('Asylum pending',
  'I-589 filed', 'Withholding granted', 'CAT deferral', 'Credible fear – negative').
A value that starts with a negation ('No asylum claim', 'Not applicable') names no claim.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter
from typing import Any

from warroom.artifact.columns import cell_text

PROTECTED = "protected_208_6"
Rule = Callable[[str], frozenset[str]]
NONE: frozenset[str] = frozenset()

_FEAR_HEADER = {"fear", "cfi", "rfi"}
_CLAIM_HEADER = {"status", "relief", "application", "applications", "claim", "claims",
                 "i589", "asylum", "withholding", "cat", "protection", "torture", "refugee"}
_NEGATIONS = {"no", "not", "none", "n", "na", "nil", "never", "unknown", "false", "0"}
_CATEGORICAL = 50          # distinct values, at most, in a sample of a categorical column
_LONGEST = 60              # characters, on average at most, of a categorical value


def _words(text: str) -> list[str]:
    """Lower-case words without accents; 'I-589' and 'I 589' become 'i589'."""
    plain = unicodedata.normalize("NFKD", text)
    letters = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c))
    words = letters.lower().split()
    out: list[str] = []
    for word in words:
        if word == "589" and out and out[-1] == "i":
            out[-1] = "i589"
        else:
            out.append(word)
    return out


@lru_cache(maxsize=4096)
def claim_flags(value: str) -> frozenset[str]:
    """The claims one value names: {'asylum'}, {'withholding', 'cat'}, … or none."""
    words = _words(value)
    if not words or words[0] in _NEGATIONS:
        return NONE
    have = set(words)
    flags = set()
    if have & {"asylum", "asilo", "i589", "asylee"}:
        flags.add("asylum")
    if "withholding" in have:
        flags.add("withholding")
    if have & {"cat", "torture"}:
        flags.add("cat")
    for i, word in enumerate(words[:-1]):
        if words[i + 1] == "fear" and word in ("credible", "reasonable"):
            flags.add(f"{word}_fear")
    if "cfi" in have:
        flags.add("credible_fear")
    if "rfi" in have:
        flags.add("reasonable_fear")
    if have & {"refugee", "refugees"}:
        flags.add("refugee")
    return frozenset(flags)


def _fear_rule(kind: str) -> Rule:
    @lru_cache(maxsize=4096)
    def fear_flags(value: str) -> frozenset[str]:
        """A fear-interview column: any recorded result is an interview (see above)."""
        words = _words(value)
        if not words or words[0] in _NEGATIONS:
            return NONE
        return claim_flags(value) | {kind}

    return fear_flags


credible_fear_flags = _fear_rule("credible_fear")
reasonable_fear_flags = _fear_rule("reasonable_fear")


def describe(rule: Rule) -> str:
    """What a column's rule reads, in words (the scan report names each claim column)."""
    return {credible_fear_flags: "any result is a credible-fear interview",
            reasonable_fear_flags: "any result is a reasonable-fear interview"}.get(
        rule, "the claims its values name")


def header_rule(header: str) -> Rule | None:
    """The rule a header alone asks for, or None."""
    words = set(_words(header))
    if words & _FEAR_HEADER:
        return reasonable_fear_flags if words & {"reasonable", "rfi"} else (
            credible_fear_flags)
    if words & {"credible", "reasonable"}:
        return credible_fear_flags if "credible" in words else reasonable_fear_flags
    if words & _CLAIM_HEADER:
        return claim_flags
    return None


def column_rule(header: str, values: list[Any]) -> Rule | None:
    """The rule for a column, from its header, else from its sampled values: a categorical
    column (few distinct, short values) in which a value names a claim."""
    rule = header_rule(header)
    if rule is not None:
        return rule
    distinct = {text for v in values if (text := cell_text(v))}
    if not distinct or len(distinct) > _CATEGORICAL:
        return None
    if sum(map(len, distinct)) / len(distinct) > _LONGEST:
        return None
    return claim_flags if any(claim_flags(v) for v in distinct) else None


def claim_columns(header: list[str], sample: list[list[Any]],
                  taken: set[int]) -> list[tuple[int, Rule]]:
    """(index, rule) of each column that may hold a claim, but those in `taken` (the
    columns of names, A-numbers and dates: never claims)."""
    out = []
    for i, name in enumerate(header):
        if i in taken:
            continue
        rule = column_rule(name, [r[i] for r in sample if i < len(r)])
        if rule is not None:
            out.append((i, rule))
    return out


class RowFlags:
    """The risk flags of one row: PROTECTED and the claims found, sorted (a tuple), or
    None. A file repeats a few combinations of statuses on every row: each combination is
    decided once (a row then costs a tuple and a dictionary look-up)."""

    MAX_CACHED = 20_000

    def __init__(self, columns: list[tuple[int, Rule]]) -> None:
        self.columns = columns
        self.getter = itemgetter(*(i for i, _ in columns))
        self.cache: dict[Any, tuple[str, ...] | None] = {}

    def __call__(self, row: list[Any]) -> tuple[str, ...] | None:
        """`row` holds every claim column (the RowReader pads short rows)."""
        key = self.getter(row)
        try:
            return self.cache[key]
        except KeyError:
            pass
        except TypeError:       # an unhashable cell: decided, not cached
            return self._decide(row)
        flags = self._decide(row)
        if len(self.cache) < self.MAX_CACHED:
            self.cache[key] = flags
        return flags

    def _decide(self, row: list[Any]) -> tuple[str, ...] | None:
        found: frozenset[str] = NONE
        for i, rule in self.columns:
            cell = row[i]
            if cell is not None:
                found = found | rule(cell if type(cell) is str else cell_text(cell))
        return (PROTECTED, *sorted(found)) if found else None
