"""Where Warroom finds its data files: inside the installed package, else the repository."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    for candidate in (_HERE / "data", _HERE.parent / "data"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("warroom's data folder is missing: reinstall warroom")


def data_lines(name: str) -> list[str]:
    """The non-comment, non-blank lines of a data file."""
    text = (data_dir() / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
