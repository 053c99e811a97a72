"""Bad input gets the project's own clear error, never a traceback or a half import."""

from __future__ import annotations

import functools
import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warroom.artifact.formats import read
from warroom.artifact.scan import scan_file
from warroom.errors import ReadError, WarroomError

import files


@pytest.fixture(scope="module", autouse=True)
def warm_parent():
    """Each scan forks this process (the sandbox): load presidio and the parsers once here."""
    from warroom.artifact import sandbox

    sandbox.warm(parsers=True)


def test_truncated_xlsx(tmp_path):
    good = files.write_xlsx(tmp_path / "good.xlsx", files.roster(200, seed=21))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ReadError, match=r"damaged or truncated|not a readable"):
        scan_file(bad)


def test_binary_junk_named_csv(tmp_path):
    junk = tmp_path / "list.csv"
    junk.write_bytes(os.urandom(200_000))
    with pytest.raises(ReadError, match="binary data"):
        scan_file(junk)


def test_zip_bomb_in_an_xlsx(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"<c>0</c>" * (1 << 17)
            for _ in range(40):          # 40 MiB that compress to a few dozen KiB
                member.write(block)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(ReadError, match="zip bomb"):
        scan_file(bomb)


def test_a_zip_that_is_no_spreadsheet(tmp_path):
    archive = tmp_path / "list.xlsx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("list.csv", "Name,A-Number\n")
    with pytest.raises(ReadError, match="not a spreadsheet"):
        scan_file(archive)


def test_endless_single_line_is_refused_not_read_into_memory(tmp_path):
    huge = tmp_path / "one-line.csv"
    with huge.open("w") as fh:
        fh.write("Name,A-Number\n")
        for _ in range(6):
            fh.write("x," * (1 << 19))  # 6 MiB with no newline
    with pytest.raises(ReadError, match="longer than 1 MiB"):
        scan_file(huge)


def test_sparse_2gb_file_of_nothing(tmp_path):
    sparse = tmp_path / "big.csv"
    with sparse.open("wb") as fh:
        fh.truncate(2 << 30)             # 2 GiB of NUL bytes, no disk used
    with pytest.raises(ReadError):
        scan_file(sparse)


def test_broken_json_lines(tmp_path):
    path = tmp_path / "list.jsonl"
    lines = [json.dumps(files.person_json(p)) for p in files.roster(10, seed=22)]
    path.write_text("\n".join([*lines[:5], lines[5][:40], *lines[6:]]))
    with pytest.raises(ReadError, match="record 6 is broken"):
        scan_file(path)


def test_truncated_json(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([files.person_json(p) for p in files.roster(10, seed=23)])[:-50])
    with pytest.raises(ReadError, match="not valid JSON"):
        scan_file(path)


def test_corrupt_pdf(tmp_path):
    good = files.write_pdf(tmp_path / "good.pdf", files.roster(30, seed=24))
    bad = tmp_path / "bad.pdf"
    data = bytearray(good.read_bytes())
    bad.write_bytes(bytes(data[:200]) + os.urandom(2000))
    with pytest.raises(ReadError, match="PDF"):
        scan_file(bad)


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.touch()
    with pytest.raises(ReadError, match="empty"):
        scan_file(empty)
    with pytest.raises(ReadError, match="cannot read"):
        scan_file(tmp_path / "missing.csv")


def test_compressed_archive_is_named(tmp_path):
    import gzip

    path = tmp_path / "list.csv.gz"
    path.write_bytes(gzip.compress(b"Name,A-Number\n"))
    with pytest.raises(ReadError, match="compressed archive"):
        scan_file(path)


def test_csv_that_breaks_half_way_imports_no_one(tmp_path, journal):
    from warroom.artifact.service import acquire_and_scan

    ps = files.roster(3000, seed=25)
    path = files.write_csv(tmp_path / "list.csv", ps, title=False, trailer=False)
    with path.open("ab") as fh:
        fh.write(b'"unterminated,' + b"y" * (2 << 20))   # a quoted field running past 1 MiB
    with pytest.raises(ReadError):
        acquire_and_scan(journal, str(path), import_people_too=True)
    assert journal.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    kinds = [r[0] for r in journal.conn.execute("SELECT kind FROM events")]
    assert kinds == ["artifact_acquired"]      # the acquisition stands; no import, no scan


SUFFIXES = st.sampled_from(["csv", "tsv", "txt", "json", "jsonl", "html", "xlsx", "pdf", "eml"])


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=SUFFIXES)
def test_no_bytes_make_a_reader_raise_anything_else(tmp_path, data, suffix):
    path = tmp_path / f"input.{suffix}"
    path.write_bytes(data)
    try:
        scan_file(path)
    except WarroomError:
        pass


_cell = st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True),
                  st.none(), st.booleans())
_json = st.recursive(_cell, lambda inner: st.lists(inner, max_size=5)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=30)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(doc=_json)
def test_no_json_shape_makes_the_reader_raise_anything_else(tmp_path, doc):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(doc))
    try:
        scan_file(path)
    except WarroomError:
        pass


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.text(max_size=25), max_size=8), max_size=30),
       delimiter=st.sampled_from([",", "\t", ";", "|"]))
def test_no_text_table_makes_the_reader_raise_anything_else(tmp_path, rows, delimiter):
    path = tmp_path / "input.csv"
    path.write_text("\n".join(delimiter.join(r) for r in rows), encoding="utf-8",
                    errors="surrogatepass") if all(
        not any("\ud800" <= ch <= "\udfff" for ch in c) for r in rows for c in r) else None
    if not path.exists():
        return
    try:
        read(path)
        scan_file(path)
    except WarroomError:
        pass


@functools.lru_cache(maxsize=1)
def valid_files() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        ps = files.roster(40, seed=26)
        return {"xlsx": files.write_xlsx(d / "v.xlsx", ps).read_bytes(),
                "pdf": files.write_pdf(d / "v.pdf", ps).read_bytes(),
                "html": files.write_html(d / "v.html", ps).read_bytes(),
                "json": files.write_json(d / "v.json", ps).read_bytes()}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), fmt=st.sampled_from(["xlsx", "pdf", "html", "json"]))
def test_damaged_real_files_give_a_clear_error_or_a_result(tmp_path, data, fmt):
    """Flip bytes in, and cut, real files of each format: the scan answers or says why not."""
    body = bytearray(valid_files()[fmt])
    for _ in range(data.draw(st.integers(1, 25))):
        body[data.draw(st.integers(0, len(body) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        body = body[: data.draw(st.integers(1, len(body)))]
    path = tmp_path / f"damaged.{fmt}"
    path.write_bytes(bytes(body))
    try:
        scan_file(path)
    except WarroomError:
        pass
