"""Per client: what it asked for and what it received, and whether that was the whole file.

A download is a GET answered 200 or 206 that sent bytes. HEAD, 304 (the client revalidated
a copy it already had), other 3xx, 4xx and 5xx are requests, not downloads. A 200 that sent
fewer bytes than the file's size was cut off: a partial download, bytes [0, n).

Complete, in the order tried (`complete_by` says which held):
- `full`: a 200 that sent at least the file's size (CloudFront and ALB count headers too,
  so at least, not exactly);
- `ranges`: the 206 ranges (with the cut-off 200s' [0, n)) cover every byte of the file;
  this needs range positions, which CloudFront's newer logs and JSON exports have;
- `bytes`: without positions (Apache, nginx and ALB log only byte counts), the partial
  downloads' bytes add up to the size: download managers fetch each range once, so this is
  the usual case; it can say complete for a client that fetched one range twice;
- `status`: no size known: a 200 counts as complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from warroom.exposure.logs.hit import Hit

GET = "GET"
MAX_AGENTS = 20


def is_download(hit: Hit) -> bool:
    return hit.method == GET and hit.status in (200, 206) and hit.bytes > 0


@dataclass
class Tally:
    requests: int = 0
    downloads: int = 0
    bytes: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    first_download: datetime | None = None
    last_download: datetime | None = None
    agents: dict[str, None] = field(default_factory=dict)     # in the order first seen
    download_agents: dict[str, None] = field(default_factory=dict)
    full: list[int] = field(default_factory=list)             # bytes of each 200
    pieces: list[tuple[int, int | None, int]] = field(default_factory=list)  # 206 (s, e, n)

    def add(self, hit: Hit) -> None:
        self.requests += 1
        moment = hit.time
        if self.first_seen is None or moment < self.first_seen:
            self.first_seen = moment
        if self.last_seen is None or moment > self.last_seen:
            self.last_seen = moment
        if len(self.agents) < MAX_AGENTS:
            self.agents.setdefault(hit.user_agent)
        if not is_download(hit):
            return
        self.downloads += 1
        self.bytes += hit.bytes
        if self.first_download is None or moment < self.first_download:
            self.first_download = moment
        if self.last_download is None or moment > self.last_download:
            self.last_download = moment
        self.download_agents.setdefault(hit.user_agent)
        if hit.status == 200:
            self.full.append(hit.bytes)
        else:
            self.pieces.append((hit.range_start if hit.range_start is not None else -1,
                                hit.range_end, hit.bytes))

    def complete_by(self, size: int | None) -> str | None:
        """How this client is known to hold the whole file, or None (a partial download)."""
        if size is None:
            return "status" if self.full else None
        if any(n >= size for n in self.full):
            return "full"
        cut_off = [(0, n - 1) for n in self.full]
        if self.pieces and all(start >= 0 for start, _, _ in self.pieces):
            spans = cut_off + [(s, e if e is not None else s + n - 1) for s, e, n in self.pieces]
            return "ranges" if covers(spans, size) else None
        if self.pieces and sum(self.full) + sum(n for _, _, n in self.pieces) >= size:
            return "bytes"
        return None


def covers(spans: list[tuple[int, int]], size: int) -> bool:
    """Whether inclusive byte spans together cover 0 … size-1."""
    reach = 0                       # every byte before `reach` is covered
    for start, end in sorted(spans):
        if start > reach:
            return False
        reach = max(reach, end + 1)
        if reach >= size:
            return True
    return reach >= size
