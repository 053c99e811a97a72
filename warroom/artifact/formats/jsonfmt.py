"""JSON and JSON Lines: the largest list of records in the document, each record flattened
into one row under the union of the records' keys.

Streamed with ijson (yajl, in C): one pass over the events validates the document, bounds its
nesting and its objects' keys, and finds the list of records; the records are then read one
at a time, never the whole document at once. A file of two or more top-level values (one a
line, or any other layout) is JSON Lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from warroom.artifact.formats.base import MAX_COLUMNS, Document, Sample, Table, lead, short
from warroom.errors import ReadError

NAMES = ("json", "jsonl")
LABEL = "JSON reader (ijson)"
BINARY = False
LINE_LIMIT = False            # minified JSON is one long line

MAX_JSON = 512 << 20
MAX_DEPTH = 64                # nesting of arrays and objects
MAX_ONE_RECORD = 16 << 20     # a document read whole as one record (it holds no list)
MAX_KEYS = 100_000            # keys of one object
MAX_DIGITS = 4300             # int()'s own limit on digits
_DIGIT_MASK = bytes(0 if 48 <= b <= 57 else 1 for b in range(256))   # a digit -> 0, else 1
_LONG_RUN = bytes(MAX_DIGITS + 1)
FIND_DEPTH = 4                # keys down from the top where a list of records is looked for
_JSONISH = re.compile(r'[\[{]\s*(["{\[\]}]|$)')


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    """Starts with [ or {, and is named JSON or goes on like JSON."""
    if text_head is None:
        return False
    stripped = lead(text_head)
    return stripped[:1] in "[{" and (name.endswith((".json", ".jsonl", ".ndjson"))
                                     or bool(_JSONISH.match(stripped)))


def read(path: Path, sample: Sample) -> Document:
    if sample.size > MAX_JSON:
        raise ReadError(f"{path.name} is larger than {MAX_JSON >> 20} MiB of JSON")
    encoding = sample.text_encoding
    survey = _Survey.of(path, encoding)
    lines = survey.values >= 2
    if lines:
        prefix = "" if survey.lines_of_records else None
    elif survey.prefix is None and survey.top == "start_map":
        if sample.size > MAX_ONE_RECORD:
            raise ReadError(f"{path.name}: JSON holds no list of records, and read as one"
                            f" record it is larger than {MAX_ONE_RECORD >> 20} MiB")
        prefix = ""                       # an object holding no list is one record
    else:
        prefix = survey.prefix
    if prefix is None:
        raise ReadError(f"{path.name}: JSON holds no list of records (objects) to read")
    doc = Document(path, "jsonl" if lines else "json", encoding=encoding)
    keys: dict[str, None] = {}            # the union of the records' keys, in order
    for record in _records(path, encoding, prefix, lines):
        if len(keys) < MAX_COLUMNS:
            keys.update(dict.fromkeys(record))
    header = list(keys)
    if len(header) > MAX_COLUMNS:
        doc.notes.append(f"the records have more than {MAX_COLUMNS:,} distinct keys: only"
                         f" the first {MAX_COLUMNS:,} were read")
        header = header[:MAX_COLUMNS]

    def rows() -> Iterator[list[Any]]:
        for record in _records(path, encoding, prefix, lines):
            yield [record.get(k) for k in header]

    doc.tables.append(Table(path.name, rows, header))
    return doc


def _records(path: Path, encoding: str, prefix: str, lines: bool) -> Iterator[dict[str, Any]]:
    """The records under `prefix`, one at a time, flattened."""
    import ijson

    with _Utf8(path, encoding) as stream:
        try:
            for r in ijson.items(stream, prefix, multiple_values=lines):
                yield flatten(r) if isinstance(r, dict) else {"value": _number(r)}
        except (ijson.JSONError, ValueError, SystemError) as exc:
            raise ReadError(f"{path.name}: not valid JSON ({_why(exc)})") from exc


def _why(exc: BaseException) -> str:
    """ijson's error in a few words (ijson may wrap an error in a SystemError)."""
    cause = exc.__cause__ or exc.__context__
    text = short(cause if isinstance(exc, SystemError) and cause else exc)
    return text


@dataclass
class _Survey:
    """One pass over the events: the document is valid and bounded (nesting, keys of an
    object), and this is where its records are."""

    top: str | None = None            # the first event: start_map, start_array or a scalar
    values: int = 0                   # top-level values (two or more: JSON Lines)
    lines_of_records: bool = False    # an object among the first 100 top-level values
    prefix: str | None = None         # ijson prefix of the items of the largest list of records
    best: int = 0
    lists: dict[str, list] = field(default_factory=dict)   # prefix -> [length, has objects]

    @classmethod
    def of(cls, path: Path, encoding: str) -> _Survey:
        import ijson

        survey = cls()
        try:
            with _Utf8(path, encoding) as stream:
                survey._walk(ijson.parse(stream, multiple_values=True))
        except (ijson.JSONError, ValueError, SystemError) as exc:
            if survey.values:
                raise ReadError(f"{path.name}: JSON Lines record {survey.values + 1:,} is"
                                f" broken ({_why(exc)}); the file may be truncated. Nothing"
                                " was read.") from exc
            raise ReadError(f"{path.name}: not valid JSON ({_why(exc)})") from exc
        # the longest list holding objects (the first of equals), as json.loads would find it
        for prefix, (length, objects) in survey.lists.items():
            if objects and length > survey.best:
                survey.prefix, survey.best = (f"{prefix}.item" if prefix else "item"), length
        return survey

    def _walk(self, events) -> None:
        # each open container: [is a list, prefix, children, findable]. A list is findable
        # (may hold the records) when only objects lead to it, at most FIND_DEPTH keys down.
        stack: list[list] = []
        objects = 0
        for prefix, event, _value in events:
            if event == "map_key":
                frame = stack[-1]
                frame[2] += 1
                if frame[2] > MAX_KEYS:
                    raise ValueError(f"an object has more than {MAX_KEYS:,} keys")
                continue
            if event == "end_map" or event == "end_array":
                closed = stack.pop()
                if closed[0]:
                    if closed[3]:
                        found = self.lists[closed[1]]
                        found[0] = max(found[0], closed[2])
                else:
                    objects -= 1
            else:
                if stack:
                    frame = stack[-1]
                    if frame[0] and frame[3]:             # an item of a findable list
                        if event == "start_map" and frame[2] < 100:
                            self.lists[frame[1]][1] = True
                        frame[2] += 1
                else:                                     # a top-level value begins
                    self.top = self.top or event
                    if event == "start_map" and self.values < 100:
                        self.lines_of_records = True
                if event == "start_map" or event == "start_array":
                    if len(stack) >= MAX_DEPTH:
                        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
                    findable = not stack or (not stack[-1][0] and stack[-1][3])
                    is_list = event == "start_array"
                    if is_list and findable and objects <= FIND_DEPTH:
                        self.lists.setdefault(prefix, [0, False])
                    else:
                        findable = findable and not is_list
                    stack.append([is_list, prefix, 0, findable])
                    objects += not is_list
            if not stack:
                self.values += 1


class _Utf8:
    """The file as UTF-8 bytes for ijson, whatever it is written in (a BOM dropped), with no
    run of digits longer than int() takes: ijson's C backend crashes on such a number."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.utf8 = encoding in ("utf-8", "utf-8-sig")
        self.fh = (path.open("rb") if self.utf8
                   else path.open("r", encoding=encoding, errors="replace", newline=""))
        if self.utf8 and self.fh.read(3) != b"\xef\xbb\xbf":
            self.fh.seek(0)
        self.digits = b""                  # the run of digits the last chunk ended with

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        if not self.utf8:
            data = data.encode("utf-8", "surrogatepass")
        seen = self.digits + data
        mask = seen.translate(_DIGIT_MASK)                 # at C speed, unlike a regex
        if _LONG_RUN in mask:
            raise ReadError(f"{self.path.name}: a number with more than {MAX_DIGITS:,} digits:"
                            " this is no list of people")
        self.digits = seen[len(mask.rstrip(b"\0")):]
        return data

    def __enter__(self) -> _Utf8:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def flatten(obj: dict, prefix: str = "") -> dict[str, Any]:
    """{'name': {'last': 'X'}} -> {'name.last': 'X'}; lists of scalars joined with '; '."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                out[name] = "; ".join("" if v is None else str(_number(v)) for v in value)
            else:
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        out.update(flatten(item, f"{name}.{i}."))
                    else:
                        out[f"{name}.{i}"] = json.dumps(item, default=float)
        else:
            out[name] = _number(value)
    return out


def _number(value: Any) -> Any:
    """ijson reads a non-integer number as a Decimal; json.loads made it a float."""
    return float(value) if isinstance(value, Decimal) else value
