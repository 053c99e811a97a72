"""Acquiring the leaked file: from a URL (streamed, capped, timed) or a local path, into a
sealed evidence copy beside the journal, named by its sha256, mode 0600, never served.

Every acquisition is journaled as `artifact_acquired`; the same bytes acquired twice are the
same artifact (one copy, two acquisitions on the record).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from warroom import __version__
from warroom.errors import AcquireError
from warroom.journal import Journal
from warroom.model.payloads import ArtifactAcquired
from warroom.model.urls import is_url, mask_url, mask_urls_in

MAX_BYTES = 1 << 30            # 1 GiB
CONNECT_TIMEOUT = 10.0
STALL_TIMEOUT = 30.0           # no byte at all for this long: the server stalled
TOTAL_TIMEOUT = 600.0          # the whole transfer, whatever its pace (1 GiB at ≥ 1.8 MB/s)
MAX_REDIRECTS = 5
STALE_PARTIAL = 24 * 3600.0    # a partial untouched this long is dead, whatever its pid says
KEPT_HEADERS = ("content-type", "content-length", "content-disposition", "last-modified",
                "etag", "server", "date", "cache-control", "age", "x-cache", "via")

Progress = Callable[[int, "int | None"], None]
_PARTIAL = re.compile(r"\.partial-(\d+)-\d+")

__all__ = ["Acquired", "acquire", "clean_partials", "evidence_dir", "fetch_to", "is_url"]


@dataclass(frozen=True)
class Acquired:
    sha256: str
    size: int
    path: Path
    source: str                          # as journaled: a URL with its secrets masked
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


def clean_partials(folder: Path) -> list[Path]:
    """Remove the partial downloads no process is writing any more (their owner, the pid in
    the name, is gone: killed mid-transfer), and any left untouched for a day (the pid was
    reused). A live process's partial is left alone."""
    removed = []
    for path in folder.glob(".partial-*"):
        owner = _PARTIAL.fullmatch(path.name)
        try:
            stale = time.time() - path.stat().st_mtime > STALE_PARTIAL
            if stale or (owner and not _alive(int(owner.group(1)))):
                path.unlink()
                removed.append(path)
        except OSError:          # removed meanwhile by another process, or not ours
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # another user's process: alive
        return True
    except (OverflowError, ValueError):
        return False
    return True


def acquire(journal: Journal, source: str, *, max_bytes: int = MAX_BYTES,
            progress: Progress | None = None, timeout: float = TOTAL_TIMEOUT,
            stall: float = STALL_TIMEOUT, at: datetime | None = None) -> Acquired:
    """Take a sealed copy of `source` (a URL or a path). A download ends with one clear
    `AcquireError` when no byte arrives for `stall` seconds or when it is not finished after
    `timeout` seconds, whatever its pace. What is journaled carries no URL secret."""
    folder = evidence_dir(journal.path)
    clean_partials(folder)
    partial = folder / f".partial-{os.getpid()}-{time.monotonic_ns()}"
    try:
        seal = journal.evidence_key()    # an encrypted journal seals its copies too
        if is_url(source):
            got = fetch_to(source, partial, max_bytes=max_bytes, progress=progress,
                           timeout=timeout, stall=stall, seal=seal)
        else:
            got = _copy(Path(source), partial, max_bytes, progress, seal)
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
    return Acquired(got["sha256"], got["size"], final, got["source"], got["filename"], known,
                    got.get("final_url"), got.get("status"), got.get("headers", {}),
                    got.get("redirects", []), event.id)


def _open_partial(partial: Path, seal: bytes | None):
    """The file the copy is written to: mode 0600, sealed when the journal is encrypted (the
    plain bytes never reach the disk)."""
    raw = os.fdopen(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb")
    if seal is None:
        return raw
    from warroom.artifact.vault import SealedWriter

    return SealedWriter(raw, seal)


def _copy(path: Path, partial: Path, max_bytes: int, progress: Progress | None,
          seal: bytes | None = None) -> dict:
    if not path.exists():
        raise AcquireError(f"no file at {path}")
    if not path.is_file():
        raise AcquireError(f"{path} is not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise AcquireError(f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit")
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as src, _open_partial(partial, seal) as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, size)
    return {"sha256": digest.hexdigest(), "size": done, "source": str(path.resolve()),
            "filename": path.name}


def fetch_to(url: str, partial: Path, *, max_bytes: int = MAX_BYTES,
             progress: Progress | None = None, timeout: float = TOTAL_TIMEOUT,
             stall: float = STALL_TIMEOUT, seal: bytes | None = None) -> dict:
    """Stream `url` into `partial` (sealed with `seal`); the fields of its `artifact_acquired`
    event, URLs masked.

    Two limits hold whatever the pace: httpx's read timeout is the stall limit (each read
    returns what arrived, so it restarts with every byte), and `_Deadline` ends the whole
    transfer at `timeout` even while a read is blocked or bytes trickle in one at a time."""
    import httpx

    shown = mask_url(url)
    if not (0 < timeout < math.inf and 0 < stall < math.inf):
        raise AcquireError(f"time limits must be positive numbers of seconds (total {timeout},"
                           f" stall {stall})")
    with _Deadline(timeout) as deadline:
        try:
            got = _stream(url, shown, partial, deadline, max_bytes, progress, stall, seal)
        except (AcquireError, OSError, httpx.HTTPError, httpx.InvalidURL) as exc:
            if deadline.expired:           # whatever a cut-off read looked like
                raise deadline.error(shown) from exc
            raise _clear_error(exc, shown, stall) from exc
        if deadline.expired:               # a body without a length ends "cleanly" when cut
            raise deadline.error(shown)
        return got


def _stream(url: str, shown: str, partial: Path, deadline: _Deadline, max_bytes: int,
            progress: Progress | None, stall: float, seal: bytes | None = None) -> dict:
    import httpx

    limits = httpx.Timeout(stall, connect=min(CONNECT_TIMEOUT, deadline.seconds))
    headers = {"User-Agent": f"warroom/{__version__} (incident response; evidence capture)"}
    digest = hashlib.sha256()
    done = 0
    with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=limits,
                      headers=headers) as client, \
            client.stream("GET", url, extensions={"trace": deadline.trace}) as response:
        if response.status_code != 200:
            raise AcquireError(f"{shown} answered HTTP {response.status_code}"
                               f" {response.reason_phrase}: nothing to acquire")
        length = response.headers.get("content-length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise AcquireError(f"{shown} announces {total:,} bytes, over the"
                               f" {max_bytes:,}-byte limit")
        with _open_partial(partial, seal) as dst:
            for chunk in response.iter_bytes():        # each read: whatever has arrived
                if deadline.passed():
                    raise deadline.error(shown)
                done += len(chunk)
                if done > max_bytes:
                    raise AcquireError(f"{shown} sent more than {max_bytes:,} bytes: stopped")
                digest.update(chunk)
                dst.write(chunk)
                if progress:
                    progress(response.num_bytes_downloaded, total)
        # Content-Length counts the bytes on the wire (gzip), not the decoded ones
        if total is not None and response.num_bytes_downloaded != total:
            raise AcquireError(f"{shown} sent {response.num_bytes_downloaded:,} of {total:,}"
                               " bytes: truncated")
        kept = {k: v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
        return {"sha256": digest.hexdigest(), "size": done, "source": shown,
                "final_url": mask_url(str(response.url)), "status": response.status_code,
                "headers": kept, "filename": _filename(response),
                "redirects": [f"{r.status_code} {mask_url(str(r.url))}"
                              for r in response.history]}


def _clear_error(exc: Exception, shown: str, stall: float) -> AcquireError:
    """One line a responder can act on, with no URL secret in it."""
    import httpx

    if isinstance(exc, AcquireError):
        return exc
    if isinstance(exc, httpx.TooManyRedirects):
        return AcquireError(f"{shown}: more than {MAX_REDIRECTS} redirects")
    if isinstance(exc, httpx.ReadTimeout):
        return AcquireError(f"{shown}: nothing received for {stall:g}s: the server stalled,"
                            " download stopped")
    if isinstance(exc, httpx.ConnectTimeout):
        return AcquireError(f"{shown}: no connection within {CONNECT_TIMEOUT:g}s")
    if isinstance(exc, httpx.TimeoutException):
        return AcquireError(f"{shown}: timed out ({type(exc).__name__})")
    if isinstance(exc, httpx.InvalidURL):
        return AcquireError(f"{shown}: not a valid URL")
    if isinstance(exc, OSError):
        return AcquireError(f"{shown}: cannot store the download ({exc.strerror or exc})")
    return AcquireError(f"{shown}: cannot fetch ({mask_urls_in(str(exc))})")


class _Deadline:
    """The total deadline of one transfer, held even while a read blocks: at `seconds` a
    timer shuts down every socket the transfer opened (which wakes the blocked read) and
    marks the transfer expired. The sockets are learned from httpx's `trace` extension as
    each connection opens (a redirect may open another)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._end = time.monotonic() + seconds
        self._streams: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def passed(self) -> bool:
        if time.monotonic() >= self._end:
            self.expired = True
        return self.expired

    def error(self, shown: str) -> AcquireError:
        return AcquireError(f"{shown}: not finished after {self.seconds:g}s (the total"
                            " time allowed): download stopped")

    def trace(self, event: str, info: dict) -> None:
        stream = info.get("return_value")
        if stream is None or not event.endswith(("connect_tcp.complete", "start_tls.complete")):
            return
        with self._lock:
            self._streams.append(stream)
            late = self.expired
        if late:
            _shut(stream)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            streams = list(self._streams)
        for stream in streams:
            _shut(stream)


def _shut(stream) -> None:
    """Wake any read blocked on this connection (close() alone would not, on Linux)."""
    try:
        sock = stream.get_extra_info("socket")
        if sock is not None:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, AttributeError, TypeError):
        pass                 # already closed


def _filename(response) -> str:
    """The file's name: the server's Content-Disposition, else the URL path's last segment
    (never its query, userinfo or ;parameters, where secrets live)."""
    disposition = response.headers.get("content-disposition", "")
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.I)
    if match:
        return Path(unquote(match.group(1))).name or "download"
    return Path(response.url.path.split(";")[0]).name or "download"
