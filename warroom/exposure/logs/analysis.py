"""`analyze`: access logs in, the downloaders of one file out (what `warroom logs --json`
prints). Files in any order and any mix of formats, plain or gzip, each read once."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from warroom.errors import ReadError
from warroom.exposure.logs import formats, parallel, reader
from warroom.exposure.logs.clients import Bots, Resolver
from warroom.exposure.logs.hit import Hit
from warroom.exposure.logs.paths import Needle, target_path
from warroom.exposure.logs.tally import Tally, is_download
from warroom.model import to_utc_text

Progress = Callable[[int, int], None]        # (bytes read, bytes in all files)
BAD_SAMPLES = 10


@dataclass
class Downloader:
    client: str
    complete: bool
    complete_by: str | None          # full, ranges, bytes, status (see tally.py), or None
    bot: bool
    bytes: int
    requests: int                    # every request for the file, downloads or not
    downloads: int                   # GETs answered 200 or 206 that sent bytes
    first_seen: str
    last_seen: str
    first_download: str
    last_download: str
    user_agents: list[str]


@dataclass
class LogFile:
    file: str
    format: str | None
    lines: int = 0
    bad_lines: int = 0
    requests: int = 0                # lines asking for the file
    fingerprint: str = ""
    truncated: bool = False
    error: str | None = None


@dataclass
class LogReport:
    path: str
    size: int | None
    lines: int
    bad_lines: int
    requests: int
    first_access: str | None
    last_access: str | None
    downloaders: list[Downloader]
    files: list[LogFile]
    statuses: dict[str, int]         # status → requests for the file
    size_seen: int | None            # the most common size of a 200 for the file
    logs: str                        # the digest of the path and the files' fingerprints
    bad_samples: list[str] = field(default_factory=list)   # file:line of the first bad lines
    exhaustive: bool = False         # every line parsed, not only lines naming the file

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _text(moment: datetime | None) -> str | None:
    return to_utc_text(moment)[0] if moment else None


def analyze(files: Iterable[str | os.PathLike[str]], path: str, size: int | None = None,
            trusted_proxies: Iterable[str] = (), format: str = "auto",
            progress: Progress | None = None, *, field_map: formats.FieldMap | None = None,
            exhaustive: bool = False) -> LogReport:
    """Who received bytes of the file at `path`, from these access logs.

    `format` is `auto` (sniffed per file) or one of `formats.NAMES`; `field_map` names the
    keys of a JSON export (see formats/jsonl.py); `exhaustive` parses every line instead of
    only those holding the file's name (slower; counts every bad line)."""
    target = target_path(path)
    needle = None if exhaustive else Needle.of(target)
    fixed = None if format == "auto" else formats.by_name(format)
    resolver = Resolver(trusted_proxies)
    paths = [Path(f) for f in files]
    total = sum(p.stat().st_size for p in paths if p.is_file())
    if not paths:
        raise ReadError("no access log to read")
    state = {"read": 0}

    def moved(n: int) -> None:
        state["read"] += n
        if progress:
            progress(state["read"], total)

    tallies: dict[str, Tally] = {}
    statuses: Counter[int] = Counter()
    sizes: Counter[int] = Counter()
    window: list[datetime] = []
    reports: list[LogFile] = []
    bad_samples: list[str] = []
    for file in paths:
        report = LogFile(str(file), None)
        reports.append(report)
        try:
            report.fingerprint = reader.fingerprint(file)
            first = reader.head(file)
        except OSError as exc:
            raise ReadError(f"cannot read {file}: {exc.strerror or exc}") from exc
        fmt = fixed or formats.detect(first)
        if fmt is None:
            report.error = "no known log format takes its first lines (give --format)"
            moved(file.stat().st_size)
            continue
        report.format = fmt.NAME
        parse = formats.parser(fmt, first, field_map)
        comment = getattr(fmt, "COMMENT", None)
        scan = reader.Scan()
        try:   # closed on any error too: the processes reading the file end with the read
            with closing(parallel.candidates(file, needle, scan, moved)) as lines:
                for number, line in lines:
                    if not line or (comment and line.startswith(comment)):
                        continue
                    hit = parse(line)
                    if hit is None:
                        report.bad_lines += 1
                        if len(bad_samples) < BAD_SAMPLES:
                            bad_samples.append(f"{file}:{number}")
                        continue
                    if hit.path != target:
                        continue
                    hit.file, hit.line = str(file), number
                    _count(resolver.resolve(hit), tallies, statuses, sizes, window)
                    report.requests += 1
        except OSError as exc:             # gone or unreadable after its first lines
            raise ReadError(f"cannot read {file}: {exc.strerror or exc}") from exc
        report.lines, report.truncated, report.error = scan.lines, scan.truncated, scan.error
    return _report(target, size, reports, tallies, statuses, sizes, window, bad_samples,
                   exhaustive)


def _count(hit: Hit, tallies: dict[str, Tally], statuses: Counter[int], sizes: Counter[int],
           window: list[datetime]) -> None:
    tally = tallies.get(hit.client)
    if tally is None:
        tally = tallies[hit.client] = Tally()
    tally.add(hit)
    statuses[hit.status] += 1
    if is_download(hit):
        if not window:
            window.extend((hit.time, hit.time))
        window[0], window[1] = min(window[0], hit.time), max(window[1], hit.time)
        if hit.status == 200:
            sizes[hit.bytes] += 1


def _report(target: str, size: int | None, files: list[LogFile], tallies: dict[str, Tally],
            statuses: Counter[int], sizes: Counter[int], window: list[datetime],
            bad_samples: list[str], exhaustive: bool) -> LogReport:
    bots = Bots() if any(t.downloads for t in tallies.values()) else None
    downloaders = []
    for client, t in tallies.items():
        if not t.downloads or bots is None:
            continue
        how = t.complete_by(size)
        downloaders.append(Downloader(
            client, how is not None, how, all(map(bots, t.download_agents)), t.bytes,
            t.requests, t.downloads, _text(t.first_seen), _text(t.last_seen),
            _text(t.first_download), _text(t.last_download), [a for a in t.agents if a]))
    downloaders.sort(key=lambda d: (d.first_download, d.client))
    digest = hashlib.sha256(target.encode())
    for fingerprint in sorted(f.fingerprint for f in files):
        digest.update(b"\n" + fingerprint.encode())
    return LogReport(
        path=target, size=size, lines=sum(f.lines for f in files),
        bad_lines=sum(f.bad_lines for f in files), requests=sum(statuses.values()),
        first_access=_text(window[0]) if window else None,
        last_access=_text(window[1]) if window else None,
        downloaders=downloaders, files=files,
        statuses={str(k): v for k, v in sorted(statuses.items())},
        size_seen=sizes.most_common(1)[0][0] if sizes else None,
        logs=digest.hexdigest()[:32], bad_samples=bad_samples, exhaustive=exhaustive)
