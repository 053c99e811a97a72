"""Layering: services never import textual; `warroom --help` imports neither textual nor
presidio."""

from __future__ import annotations

import subprocess
import sys

SERVICES = ["warroom.journal", "warroom.journal.verify", "warroom.journal.queries",
            "warroom.model", "warroom.incident", "warroom.tips", "warroom.demo",
            "warroom.views", "warroom.artifact.roster", "warroom.cli",
            "warroom.artifact.service", "warroom.artifact.scan", "warroom.artifact.acquire",
            "warroom.artifact.formats", "warroom.artifact.formats.base",
            "warroom.artifact.formats.spreadsheet", "warroom.artifact.formats.pdf",
            "warroom.artifact.formats.html", "warroom.artifact.formats.jsonfmt",
            "warroom.artifact.formats.delimited", "warroom.artifact.formats.text",
            "warroom.artifact.analyzer"]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_services_do_not_import_textual():
    modules = _modules_after("\n".join(f"import {m}" for m in SERVICES))
    assert "textual" not in modules
    assert not any(m.startswith("textual.") for m in modules)


def test_help_imports_neither_textual_nor_presidio():
    code = ("import sys\nfrom warroom.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass")
    modules = _modules_after(code)
    assert not {m for m in modules if m.split(".")[0] in ("textual", "presidio_analyzer",
                                                           "spacy", "openpyxl")}
