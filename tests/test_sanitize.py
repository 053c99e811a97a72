"""Hostile text never drives the terminal: the one sanitizer, and the renderables that use it,
checked on the bytes a real rich console writes."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from warroom.render.safe import clean, json_dumps, safe_text
from warroom.render.scan import scan_report

# What a hostile file, URL, tip or name can carry.
PAYLOADS = [
    "\x1b[2J\x1b[H",                                   # clear the screen, home the cursor
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",   # an OSC 8 hyperlink
    "\x1b]0;owned",                                     # an unterminated OSC (window title)
    "\x9b2J",                                           # the 8-bit CSI (C1)
    "\x07\x08\x00",                                     # bell, backspace, NUL
    "invoice\u202egpj.exe",                              # right-to-left override
    "\u2066isolate\u2069 and \u200fmark",
    "[link=http://evil.example]click[/link]",           # rich markup
    "[bold red]not bold[/]",
]
FORBIDDEN = ["\x1b[2J", "\x1b]8;;http://evil", "\x1b]0;", "\x9b", "\x07", "\x00", "\u202e",
             "\u2066", "\u200f", "evil.example/\x1b"]


def _bytes(renderable) -> str:
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200,
            legacy_windows=False).print(renderable)
    return out.getvalue()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_leaves_no_control_or_bidi_character(payload):
    cleaned = clean(payload)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in cleaned)
    assert not set(cleaned) & set("\u202e\u2066\u2069\u200f")
    assert clean("Zoë Ørsted, 李") == "Zoë Ørsted, 李"             # letters are letters
    assert clean("a\nb", lines=True) == "a\nb" and clean("a\nb") == "a␊b"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_text_is_shown_not_obeyed(payload):
    written = _bytes(safe_text(f"header {payload}"))
    for bad in FORBIDDEN:
        assert bad not in written
    if payload.startswith("[link"):
        assert "[link=http://evil.example]click[/link]" in written   # shown as typed


def test_scan_report_routes_are_clean():
    hostile = "|".join(PAYLOADS)
    doc = {"records": 1, "a_numbers": 1, "high_risk": 0, "high_risk_list": [hostile],
           "file": hostile, "format": "csv", "size": 1, "sha256": "0" * 64, "rows": 1,
           "nlp": "blank", "columns": {hostile: "PERSON"}, "nationalities": {hostile: 1},
           "tables": [{"name": hostile, "columns": [
               {"header": hostile, "entity": "PERSON", "role": "full_name",
                "confidence": 1.0, "sampled": 1}]}],
           "preview": [hostile], "notes": [hostile],
           "artifact": {"known": False, "evidence": hostile}}
    written = _bytes(scan_report(doc))
    for bad in FORBIDDEN:
        assert bad not in written


def test_json_output_escapes_what_json_itself_lets_through():
    doc = {"header": "\x1b[2J \x9b2J \u202e ok Zoë 李"}
    text = json_dumps(doc)
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert "Zoë 李" in text and json.loads(text) == doc
