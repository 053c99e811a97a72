"""Acquiring the leaked file: from a URL (streamed, capped, timed) or a local path, into a
sealed evidence copy beside the journal, named by its sha256, mode 0600, never served.

Every acquisition is journaled as `artifact_acquired`; the same bytes acquired twice are the
same artifact (one copy, two acquisitions on the record).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from warroom import __version__
from warroom.errors import AcquireError
from warroom.journal import Journal
from warroom.model.payloads import ArtifactAcquired

MAX_BYTES = 1 << 30            # 1 GiB
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
TOTAL_TIMEOUT = 600.0
MAX_REDIRECTS = 5
KEPT_HEADERS = ("content-type", "content-length", "content-disposition", "last-modified",
                "etag", "server", "date", "cache-control", "age", "x-cache", "via")

Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class Acquired:
    sha256: str
    size: int
    path: Path
    source: str
    filename: str
    known: bool                          # these bytes were acquired before
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)
    event_id: int = 0


def evidence_dir(journal_path: Path) -> Path:
    folder = journal_path.parent / f"{journal_path.stem}.evidence"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def is_url(source: str) -> bool:
    return bool(re.match(r"(?i)https?://", source))


def acquire(journal: Journal, source: str, *, max_bytes: int = MAX_BYTES,
            progress: Progress | None = None, timeout: float = READ_TIMEOUT,
            at: datetime | None = None) -> Acquired:
    folder = evidence_dir(journal.path)
    partial = folder / f".partial-{os.getpid()}-{time.monotonic_ns()}"
    try:
        if is_url(source):
            got = fetch_to(source, partial, max_bytes, progress, timeout)
        else:
            got = _copy(Path(source), partial, max_bytes, progress)
        final = folder / got["sha256"]
        known = final.exists()
        if known:
            partial.unlink()
        else:
            os.chmod(partial, 0o600)
            os.replace(partial, final)
    finally:
        if partial.exists():
            partial.unlink()
    event = journal.record(ArtifactAcquired(
        **got, path=str(final.relative_to(journal.path.parent)), known=known), got["sha256"],
        occurred_at=at)
    return Acquired(got["sha256"], got["size"], final, source, got["filename"], known,
                    got.get("final_url"), got.get("status"), got.get("headers", {}),
                    got.get("redirects", []), event.id)


def _copy(path: Path, partial: Path, max_bytes: int, progress: Progress | None) -> dict:
    if not path.exists():
        raise AcquireError(f"no file at {path}")
    if not path.is_file():
        raise AcquireError(f"{path} is not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise AcquireError(f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit")
    digest = hashlib.sha256()
    done = 0
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, size)
    return {"sha256": digest.hexdigest(), "size": done, "source": str(path.resolve()),
            "filename": path.name}


def fetch_to(url: str, partial: Path, max_bytes: int, progress: Progress | None,
           timeout: float) -> dict:
    import httpx

    limits = httpx.Timeout(timeout, connect=CONNECT_TIMEOUT)
    headers = {"User-Agent": f"warroom/{__version__} (incident response; evidence capture)"}
    digest = hashlib.sha256()
    done = 0
    started = time.monotonic()
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=limits,
                          headers=headers) as client, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise AcquireError(f"{url} answered HTTP {response.status_code}"
                                   f" {response.reason_phrase}: nothing to acquire")
            length = response.headers.get("content-length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > max_bytes:
                raise AcquireError(f"{url} announces {total:,} bytes, over the"
                                   f" {max_bytes:,}-byte limit")
            fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as dst:
                for chunk in response.iter_bytes(1 << 16):
                    done += len(chunk)
                    if done > max_bytes:
                        raise AcquireError(f"{url} sent more than {max_bytes:,} bytes: stopped")
                    if time.monotonic() - started > TOTAL_TIMEOUT:
                        raise AcquireError(f"{url} took longer than {TOTAL_TIMEOUT:.0f}s: stopped")
                    digest.update(chunk)
                    dst.write(chunk)
                    if progress:
                        progress(done, total)
            if total is not None and done != total:
                raise AcquireError(f"{url} sent {done:,} of {total:,} bytes: truncated")
            kept = {k: v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
            return {"sha256": digest.hexdigest(), "size": done, "source": url,
                    "final_url": str(response.url), "status": response.status_code,
                    "headers": kept, "filename": _filename(response, url),
                    "redirects": [f"{r.status_code} {r.url}" for r in response.history]}
    except httpx.TooManyRedirects as exc:
        raise AcquireError(f"{url}: more than {MAX_REDIRECTS} redirects") from exc
    except httpx.TimeoutException as exc:
        raise AcquireError(f"{url}: timed out ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise AcquireError(f"{url}: cannot fetch ({exc})") from exc


def _filename(response, url: str) -> str:
    disposition = response.headers.get("content-disposition", "")
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.I)
    if match:
        return Path(unquote(match.group(1))).name
    return Path(unquote(urlsplit(str(response.url)).path)).name or "download"
