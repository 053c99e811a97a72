"""JSON and JSON Lines: the largest list of records in the document, each record flattened
into one row under the union of the records' keys."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from warroom.artifact.formats.base import Document, Sample, Table, lead
from warroom.errors import ReadError

NAMES = ("json", "jsonl")
BINARY = False
LINE_LIMIT = False            # minified JSON is one long line

MAX_JSON = 512 << 20          # a JSON document is parsed whole
_JSONISH = re.compile(r'[\[{]\s*(["{\[\]}]|$)')


def sniff(head: bytes, text_head: str | None, name: str) -> bool:
    """Starts with [ or {, and is named JSON or goes on like JSON."""
    if text_head is None:
        return False
    stripped = lead(text_head)
    return stripped[:1] in "[{" and (name.endswith((".json", ".jsonl", ".ndjson"))
                                     or bool(_JSONISH.match(stripped)))


def read(path: Path, sample: Sample) -> Document:
    encoding = sample.text_encoding
    if sample.size > MAX_JSON:
        raise ReadError(f"{path.name} is larger than {MAX_JSON >> 20} MiB of JSON")
    text = path.read_text(encoding=encoding)
    try:
        data = json.loads(text)
        fmt = "json"
    except json.JSONDecodeError as whole:
        data, fmt = _json_lines(path, text, whole), "jsonl"
    records = _records(data)
    if records is None:
        raise ReadError(f"{path.name}: JSON holds no list of records (objects) to read")
    flat = [flatten(r) if isinstance(r, dict) else {"value": r} for r in records]
    header: list[str] = list(dict.fromkeys(k for r in flat for k in r))
    rows = [[r.get(k) for k in header] for r in flat]
    return Document(path, fmt, [Table(path.name, lambda: iter(rows), header)], encoding=encoding)


def _json_lines(path: Path, text: str, whole: json.JSONDecodeError) -> list:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise ReadError(f"{path.name}: not valid JSON ({whole.msg} at line {whole.lineno})")
    out = []
    for number, line in enumerate(lines, start=1):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ReadError(f"{path.name}: JSON Lines record {number:,} is broken ({exc.msg});"
                            " the file may be truncated. Nothing was read.") from exc
    return out


def _records(data: Any, depth: int = 0) -> list | None:
    """The largest list of objects in the document (a list, or a list under some key)."""
    if isinstance(data, list) and data and any(isinstance(x, dict) for x in data[:100]):
        return data
    if isinstance(data, dict) and depth < 4:
        found = [r for v in data.values() if (r := _records(v, depth + 1))]
        if found:
            return max(found, key=len)
        return [data] if depth == 0 else None
    return None


def flatten(obj: dict, prefix: str = "") -> dict[str, Any]:
    """{'name': {'last': 'X'}} -> {'name.last': 'X'}; lists of scalars joined with '; '."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                out[name] = "; ".join("" if v is None else str(v) for v in value)
            else:
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        out.update(flatten(item, f"{name}.{i}."))
                    else:
                        out[f"{name}.{i}"] = json.dumps(item)
        else:
            out[name] = value
    return out
