"""What a scan found (ScanResult, a TableReport per table): the scan's answer, sent back by the
sandbox's child as JSON."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class TableReport:
    name: str
    header_row: int | None          # 1-based row of the header in the table, None if none
    rows: int = 0                   # data rows read
    records: int = 0                # people first found in this table
    columns: list[dict] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)   # 'header: rule' of each claim column


@dataclass
class ScanResult:
    file: str
    sha256: str
    format: str
    size: int
    nlp: str
    encoding: str | None = None
    records: int = 0
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    entities: Counter = field(default_factory=Counter)
    nationalities: Counter = field(default_factory=Counter)
    high_risk: int = 0
    high_risk_list: list[str] = field(default_factory=list)
    a_numbers: int = 0
    tables: list[TableReport] = field(default_factory=list)
    preview: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    facilities: int = 0             # distinct facilities (one spelling each) of the people
    # each birth-date column's day/month order: table, column, order, ambiguous, by
    # (values, option, default) and its evidence (DateColumn.report)
    dates: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)   # redacted: artifact/identity.py
    conflicting: int = 0        # A-numbers with more than one identity (all, listed or not)
    protected: int = 0          # people with a claim protected by 8 CFR 208.6 (risk.py)

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain JSON types (asdict alone miscopies a Counter)."""
        return {**asdict(self), "entities": dict(self.entities),
                "nationalities": dict(self.nationalities)}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> ScanResult:
        """The inverse of to_dict (a result the sandbox's child sends back as JSON)."""
        return cls(**{**doc, "entities": Counter(doc["entities"]),
                      "nationalities": Counter(doc["nationalities"]),
                      "tables": [TableReport(**t) for t in doc["tables"]]})

    def as_json(self) -> dict[str, Any]:
        doc = self.to_dict()
        doc["entities"] = dict(self.entities.most_common())
        doc["nationalities"] = dict(self.nationalities.most_common())
        doc["seconds"] = round(self.seconds, 3)
        return doc


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
