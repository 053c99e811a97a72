"""The format registry: each reader module sniffs its own format and no other, the registry
picks the right module, and importing it pulls in no heavy parser."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from warroom.artifact import formats
from warroom.artifact.formats import choose, delimited, html, jsonfmt, pdf, read, spreadsheet, text

import files

ROSTER = "Last Name,First Name,Alien #\nDOE,JANE,012345678\nROE,RICHARD,098765432\n"
PROSE = "Dear team,\nthe list was online this morning.\nPlease take it down.\n"

# module: (matching samples, non-matching samples), each (head bytes, decoded head, name)
SNIFF = {
    spreadsheet: ([(b"PK\x03\x04\x14\x00", None, "list.xlsx"),
                   (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None, "list.xls")],
                  [(b"%PDF-1.7\n", None, "list.xlsx"), (b"PK\x05\x06", None, "list.xlsx")]),
    pdf: ([(b"%PDF-1.4\n%\xe2\xe3", None, "list.pdf")],
          [(b"PK\x03\x04", None, "list.pdf"), (b" %PDF-1.4", None, "list.pdf")]),
    jsonfmt: ([(b"", '[{"name": "DOE"}]', "list.txt"), (b"", '\ufeff {"people": []}', "x"),
               (b"", "{", "list.json"), (b"", '{"a": 1}\n{"a": 2}\n', "list.ndjson")],
              [(b"", ROSTER, "list.json"), (b"", "{a: 1}", "list.txt"),
               (b"[{}]", None, "list.json")]),
    html: ([(b"", "<!DOCTYPE html><html><body></body></html>", "page"),
            (b"", "\n  <table><tr><td>DOE</td></tr></table>", "list.txt")],
           [(b"", "<root><person/></root>", "list.html"), (b"", "see <table>", "list.html"),
            (b"<html>", None, "list.html")]),
    delimited: ([(b"", ROSTER, "list.txt"), (b"", ROSTER.replace(",", "\t"), "list"),
                 (b"", "one column only\n", "list.csv")],
                [(b"", PROSE, "letter.txt"), (b"a,b\n1,2\n", None, "list.csv")]),
    text: ([(b"", PROSE, "letter.txt"), (b"", ROSTER, "list.csv")],
           [(b"hello", None, "letter.txt")]),
}


@pytest.mark.parametrize("module", list(SNIFF), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_each_module_sniffs_its_format_and_not_others(module):
    matching, other = SNIFF[module]
    for head, text_head, name in matching:
        assert module.sniff(head, text_head, name), (head, text_head, name)
    for head, text_head, name in other:
        assert not module.sniff(head, text_head, name), (head, text_head, name)


def test_the_registry_lists_every_format_once_binary_first():
    assert set(formats.READERS) == set(SNIFF)
    kinds = [m.BINARY for m in formats.READERS]
    assert kinds == sorted(kinds, reverse=True)
    assert formats.READERS[-1] is text            # the reader of last resort
    names = [n for m in formats.READERS for n in m.NAMES]
    assert len(names) == len(set(names))


def _ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


def _small_files(d: Path) -> dict[str, tuple[Path, object]]:
    ps = files.roster(8, seed=41)
    (d / "list.tsv").write_text(ROSTER.replace(",", "\t"))
    (d / "letter.eml").write_text(PROSE)
    (d / "records.txt").write_text(json.dumps([{"name": "DOE"}, {"name": "ROE"}]))
    (d / "page.htm").write_text(f"<html><body><table><tr><td>{ROSTER}</td></tr></table></body>")
    return {
        "csv": (files.write_csv(d / "list.csv", ps), delimited),
        "tsv": (d / "list.tsv", delimited),
        "text": (d / "letter.eml", text),
        "json": (d / "records.txt", jsonfmt),
        "jsonl": (files.write_jsonl(d / "list.jsonl", ps), jsonfmt),
        "html": (d / "page.htm", html),
        "xlsx": (files.write_xlsx(d / "list.xlsx", ps), spreadsheet),
        "xls": (files.write_xls(d / "list.xls", ps), spreadsheet),
        "ods": (_ods(d / "list.ods"), spreadsheet),
        "pdf": (files.write_pdf(d / "list.pdf", ps), pdf),
    }


def test_the_registry_picks_the_module_for_each_format(tmp_path):
    for fmt, (path, module) in _small_files(tmp_path).items():
        reader, sample = choose(path)
        assert reader is module, fmt
        assert fmt in module.NAMES
        assert sample.size == path.stat().st_size
        if fmt != "ods":                        # a stub: sniffed as a workbook, not readable
            assert read(path).format == fmt


def test_a_file_named_for_one_format_is_read_as_what_its_bytes_are(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(json.dumps({"people": [{"name": "DOE"}]}))
    assert choose(path)[0] is jsonfmt
    assert choose(path, filename="upload.bin")[0] is jsonfmt


def test_importing_the_registry_imports_no_heavy_parser():
    code = ("import sys, warroom.artifact.formats\n"
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in"
            " ('python_calamine', 'pdfplumber', 'pdfminer', 'lxml', 'charset_normalizer',"
            " 'ijson')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == []


def test_format_modules_import_only_base():
    package = Path(formats.__file__).parent
    for source in package.glob("*.py"):
        if source.name == "__init__.py":
            continue
        tree = ast.parse(source.read_text())
        imported = {node.module for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module}
        imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                     for a in node.names}
        ours = {m for m in imported if m.startswith("warroom.artifact")}
        allowed = set() if source.name == "base.py" else {"warroom.artifact.formats.base"}
        # a reader's own helper module (pdf_layout.py for pdf.py) is part of that reader
        ours = {m for m in ours if not m.startswith(f"{formats.__name__}.{source.stem}_")}
        assert ours <= allowed, source.name
