"""People: the one A-number form, the one person key, and redaction. No I/O."""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"[^0-9]+")
_A_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9])[Aa]\s?(?:#|-|No\.?)?\s?(\d{3}[- ]?\d{3}[- ]?\d{3}|\d{8})(?![0-9])")
_SEPARATORS = re.compile(r"[\s#-]")


def a_number(text: object) -> str | None:
    """The one A-number form, 'A' and nine digits: 'A# 123 456 789', 'a-12345678',
    '012345678', 'A-number: A123-456-789' -> 'A123456789', 'A012345678', …; None when it is
    not one (letters other than a leading A, or not eight or nine digits)."""
    if text is None:
        return None
    text = str(text).strip()
    if len(text) == 10 and text[0] in "Aa" and text[1:].isdigit():
        return "A" + text[1:]   # the canonical form, as scans write it: the fast path
    if text.isdigit():
        digits = text
    else:
        found = _A_IN_TEXT.search(text)
        digits = _NON_DIGITS.sub("", found.group(1)) if found else _NON_DIGITS.sub("", text)
        if not found and len(digits) != len(_SEPARATORS.sub("", text)):
            return None  # letters other than a leading A: not an A-number
    if len(digits) in (8, 9):
        return "A" + digits.zfill(9)
    return None


def normalize_name(name: str | None) -> str:
    if not name:
        return ""
    cleaned = "".join(c if c.isalnum() or c == "," else " " for c in name.upper())
    return " ".join(cleaned.replace(",", " , ").split()).replace(" ,", ",")


def person_key(number: str | None, name: str | None, birth_date: str | None) -> str:
    """How the roster and the scan tell people apart: 'A:<nine digits>' by A-number, else
    'N:<name>|<birth date>'."""
    canonical = a_number(number)
    if canonical:
        return "A:" + canonical[1:]
    return f"N:{normalize_name(name)}|{birth_date or ''}"


def initials(name: str | None) -> str:
    """'PEREZ LOPEZ, JUAN CARLOS' -> 'P.L., J.C.'; keeps the family/given split if any."""
    if not name:
        return "?"
    parts = []
    for chunk in name.split(","):
        letters = [w[0].upper() + "." for w in chunk.replace("-", " ").split() if w[:1].isalpha()]
        if letters:
            parts.append("".join(letters))
    return ", ".join(parts) or "?"


def redact_a_number(number: str | None) -> str:
    """Only the last three digits: 'A-***-***-789'."""
    if not number:
        return "A-none"
    digits = "".join(c for c in number if c.isdigit())
    return "A-***-***-" + digits[-3:] if len(digits) >= 3 else "A-***"


def redact_date(date_text: str | None) -> str:
    """Birth dates show only the year."""
    return (date_text[:4] + "-**-**") if date_text and len(date_text) >= 4 else "****"


def redact_person(name: str | None, number: str | None) -> str:
    return f"{initials(name)} {redact_a_number(number)}"


# ---------------------------------------------------------------- tips


def a_numbers_in(text: str) -> list[str]:
    """The A-numbers written in a free text ('A# 123 456 789', 'A-12345678'), canonical, in
    order, each once. Only those marked with an A: a bare nine-digit number in a mail may be
    a phone or a case number."""
    found = (a_number("A" + m.group(1)) for m in _A_IN_TEXT.finditer(text))
    return list(dict.fromkeys(n for n in found if n))
