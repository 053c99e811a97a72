"""Layering, checked by the code itself: every module below the faces imports without
`textual` (and the journal and the model without `rich`); `warroom --help` imports neither
textual nor presidio. The modules are found by walking the package, not from a list."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import warroom

FACES = ("warroom.tui", "warroom.cli", "warroom.intake")


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(warroom.__path__, "warroom.")
                  if not m.name.endswith("__main__"))


def _below_faces(prefixes: tuple[str, ...] = ("warroom",)) -> list[str]:
    return [m for m in _modules()
            if not m.startswith(FACES) and m.startswith(prefixes)]


def _modules_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_the_walk_finds_the_layers():
    found = _below_faces()
    assert "warroom.journal.store" in found and "warroom.artifact.scan" in found
    assert "warroom.render.console" in found and "warroom.model.payloads" in found
    assert not any(m.startswith("warroom.tui") for m in found)


def test_services_do_not_import_textual():
    modules = _modules_after("\n".join(f"import {m}" for m in _below_faces()))
    assert "textual" not in _top(modules)


def test_journal_and_model_do_not_import_rich():
    below = _below_faces(("warroom.journal", "warroom.model", "warroom.errors"))
    modules = _modules_after("\n".join(f"import {m}" for m in below))
    assert not _top(modules) & {"rich", "textual"}


def test_help_imports_neither_textual_nor_presidio():
    code = ("import sys\nfrom warroom.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass")
    modules = _modules_after(code)
    assert not _top(modules) & {"textual", "presidio_analyzer", "spacy", "openpyxl"}
