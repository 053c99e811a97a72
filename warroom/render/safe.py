"""The one sanitizer for text from outside (file contents, headers, sheet names, captions, URLs,
incident and actor names, user agents, tip texts, organisation names): shown, never obeyed.

C0 and C1 control characters and the bidi controls become visible marks, so an escape
sequence in a column header cannot clear the screen, set a hyperlink or reorder a line; the
result goes to rich as `Text` (never parsed as markup). JSON output escapes the same
characters, so a piped `--json` document cannot drive the terminal it is shown on either."""

from __future__ import annotations

import json
from typing import Any

# C0 controls (except tab, which becomes a space), DEL, C1 controls, and the Unicode bidi
# controls (embeddings, overrides, isolates, marks) and other invisible format characters
# that can make a text read differently from what it holds.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u2028\u2029\ufeff"


def _mark(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)            # ␛ for ESC, ␀ for NUL: the control pictures
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


_TABLE: dict[int, str] = {c: _mark(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_TABLE.update({ord(c): _mark(ord(c)) for c in _BIDI + _INVISIBLE})
_TABLE[ord("\t")] = " "
_LINE_TABLE = dict(_TABLE)
_LINE_TABLE.update({ord("\n"): "\n", ord("\r"): ""})


def clean(text: object, *, lines: bool = False) -> str:
    """Text with every control and bidi character replaced by a visible mark (newlines kept
    when `lines`)."""
    s = text if isinstance(text, str) else str(text)
    return s.translate(_LINE_TABLE if lines else _TABLE)


def safe_text(text: object, style: str = "", *, lines: bool = False):
    """A rich `Text` of outside text: cleaned, and never parsed as markup."""
    from rich.text import Text

    return Text(clean(text, lines=lines), style=style)


_JSON_ESCAPE = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0))}
_JSON_ESCAPE.update({ord(c): f"\\u{ord(c):04x}" for c in _BIDI + _INVISIBLE})


def json_dumps(doc: Any, **kwargs: Any) -> str:
    """JSON with non-ASCII kept readable but every control and bidi character escaped (json
    itself escapes only C0): still the same document to any JSON reader."""
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(doc, **kwargs).translate(_JSON_ESCAPE)
