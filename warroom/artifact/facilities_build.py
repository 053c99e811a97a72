"""Build data/facilities.tsv from the agency's own detention statistics workbook.

    python -m warroom.artifact.facilities_build FY21_detention-stats.xlsx > data/facilities.tsv

The workbook has a sheet of facilities ("Facilities FY21 YTD") under title rows: a header row
with Name, Address, City, State, Zip, AOR, Type Detailed, then one facility a row. The sheet
is found by that header, not by its title, so next year's workbook builds the same way."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# the columns kept, by the header the workbook gives them (any case)
COLUMNS = {"name": "name", "city": "city", "state": "state", "aor": "aor",
           "type detailed": "type", "type": "type"}
FIELDS = ("name", "city", "state", "aor", "type")
HEADER_ROWS = 30         # the header is among the first rows of its sheet
MAX_FACILITIES = 10_000  # a few hundred in a real year: more means a wrong sheet


def _text(cell: Any) -> str:
    """One line of plain text: no tabs or line breaks (they would break the TSV)."""
    return " ".join(str(cell).split()) if cell is not None else ""


def _header(row: tuple) -> dict[str, int] | None:
    """The kept columns' indexes when this row is the facility list's header."""
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        field = COLUMNS.get(_text(cell).lower())
        if field and field not in found:
            found[field] = i
    return found if {"name", "city", "state"} <= found.keys() else None


def build(xlsx: Path) -> list[dict[str, str]]:
    """Every facility of the workbook's facility list, first spelling of a name kept."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            for _, row in zip(range(HEADER_ROWS), rows, strict=False):
                columns = _header(row)
                if columns:
                    return _facilities(rows, columns)
    finally:
        wb.close()
    raise SystemExit(f"{xlsx}: no sheet with a Name, City and State header")


def _facilities(rows, columns: dict[str, int]) -> list[dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        cells = {f: _text(row[i]) if i < len(row) else "" for f, i in columns.items()}
        if not cells["name"]:
            break                                  # the list ends at its first blank row
        out.setdefault(cells["name"].upper(), {f: cells.get(f, "") for f in FIELDS})
        if len(out) > MAX_FACILITIES:
            raise SystemExit(f"more than {MAX_FACILITIES:,} facilities: not a facility list")
    return list(out.values())


def tsv(facilities: list[dict[str, str]], source: str) -> str:
    lines = [f"# Detention facilities from {source}, built by warroom.artifact.facilities_build"
             " (do not edit: rebuild).", "# " + "\t".join(FIELDS)]
    lines += ["\t".join(f[k] for k in FIELDS) for f in facilities]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m warroom.artifact.facilities_build WORKBOOK.xlsx"
              " > data/facilities.tsv", file=sys.stderr)
        return 2
    path = Path(argv[0])
    sys.stdout.write(tsv(build(path), path.name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
