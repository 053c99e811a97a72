"""Spreadsheets: xlsx and ods (zip files, checked for bombs first) and binary xls, read by
calamine."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from warroom.artifact.formats.base import Document, Row, Sample, Table, short
from warroom.errors import ReadError

NAMES = ("xlsx", "xls", "ods")
LABEL = "spreadsheet reader (calamine)"
BINARY = True
LINE_LIMIT = False

MAX_UNZIPPED = 2 << 30        # all members of an office zip, uncompressed
MAX_RATIO = 150               # compression ratio of a large member before it is a bomb
MAX_MEMBERS = 20_000


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    """A zip (xlsx, ods, or an archive refused later) or an OLE2 compound file (xls)."""
    return head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def read(path: Path, sample: Sample) -> Document:
    if sample.head.startswith(b"PK"):
        fmt = _check_zip(path)
    else:
        fmt = "xls"
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except BaseException as exc:  # calamine raises many kinds, and a Rust panic is no Exception
        _reraise_fatal(exc)
        raise ReadError(f"{path.name}: not a readable {fmt} workbook ({short(exc)})") from exc
    doc = Document(path, fmt)
    for name in names:
        doc.tables.append(Table(name, lambda name=name: _sheet_rows(path, name, fmt)))
    return doc


def _sheet_rows(path: Path, name: str, fmt: str) -> Iterator[Row]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
        for row in sheet.iter_rows():
            yield list(row)
    except ReadError:
        raise
    except BaseException as exc:
        _reraise_fatal(exc)
        raise ReadError(f"{path.name}: sheet {name!r} cannot be read ({short(exc)})") from exc


def _reraise_fatal(exc: BaseException) -> None:
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def _check_zip(path: Path) -> str:
    """An office file is a zip: refuse bombs and archives that are no spreadsheet."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError,
            EOFError) as exc:
        raise ReadError(f"{path.name}: damaged or truncated zip/xlsx file ({short(exc)})") from exc
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"{path.name}: {len(infos):,} parts in one workbook: refused")
    total = sum(i.file_size for i in infos)
    bomb = [i for i in infos if i.file_size > (8 << 20)
            and i.file_size > MAX_RATIO * max(i.compress_size, 1)]
    if total > MAX_UNZIPPED or bomb:
        why = f"unpacks to {total / (1 << 30):.2f} GiB"
        if bomb:
            ratio = bomb[0].file_size // max(bomb[0].compress_size, 1)
            why += f", {bomb[0].filename} compressed {ratio:,}:1"
        raise ReadError(f"{path.name} {why}: refused as a zip bomb")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    raise ReadError(f"{path.name} is a zip archive, not a spreadsheet: unpack it and scan the"
                    " files inside")
