"""Which requests ask for the file: one normal form for a request's target, and the cheap
substrings that every request for it must contain.

A target names the file when, after dropping the scheme and host of an absolute URL, the
query string and the fragment, percent-decoding, resolving `.`/`..` and repeated slashes,
it equals the file's path, case aside: `/F.XLSX?x=1`, `/detention%2Dstats.xlsx` and
`GET https://host/f.xlsx HTTP/1.1` ask for `/f.xlsx`; `/f.xlsx.bak`, `/old/f.xlsx` and
`/f-2022-11-21.xlsx` do not.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_SLASHES = re.compile(r"/{2,}")
_WORDS = re.compile(r"[a-z0-9]+", re.ASCII)


def normalize(target: str) -> str:
    """The path a request target names, in the one form that is compared."""
    if target[:1] != "/" and "://" in target[:16]:
        target = urlsplit(target).path or "/"
    for mark in "?#":
        if mark in target:
            target = target.partition(mark)[0]
    if "%" in target:
        target = unquote(target, errors="replace")
    if "//" in target:
        target = _SLASHES.sub("/", target)
    if "/." in target:
        target = posixpath.normpath(target)
    return target.lower()


def target_path(path: str) -> str:
    """The file's path as a responder gives it: a path, or a whole URL (its path is kept)."""
    path = path.strip()
    if not path.startswith("/") and "://" not in path:
        path = "/" + path
    return normalize(path)


# Between two words of the name, in a log line: the separator as it was, percent-encoded
# (once, or twice as some CDNs write it), or escaped by the server (\xHH, JSON's \u00HH).
_SEPARATOR = rb"(?:%(?:25)?[0-9a-f]{2}|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|[^a-z0-9])+"


@dataclass(frozen=True)
class Needle:
    """What every line asking for the file holds, lower-cased, however the path is encoded:
    the runs of ASCII letters and digits of the file's name (a browser or a crawler
    percent-encodes separators and non-ASCII letters, never these), in order, separated by
    anything a separator may be written as. A cheap search for the rarest word picks the
    candidate lines (reader.Finder); `shape` confirms each before it is decoded and parsed.

    A client that percent-encodes letters or digits (`%64etention`) escapes this pre-filter;
    RFC 3986 tells producers not to, and `analyze(..., exhaustive=True)` parses every line."""

    words: tuple[bytes, ...]
    shape: re.Pattern[bytes]

    @classmethod
    def of(cls, path: str) -> Needle | None:
        """The needle for a normalized path, or None when its name has no letter or digit."""
        name = path.rsplit("/", 1)[-1]
        words = tuple(w.encode("ascii") for w in _WORDS.findall(name))
        if not words:
            return None
        return cls(words, re.compile(_SEPARATOR.join(re.escape(w) for w in words)))

    def pick(self, sample: bytes) -> bytes:
        """The word that the fewest places of a lower-cased sample of the log hold. On a tie,
        one of digits alone (the reader searches it without lower-casing the log), then the
        one whose first byte is rarest (the search stops at each place that byte is)."""
        return min(self.words, key=lambda w: (sample.count(w), not w.isdigit(),
                                              sample.count(w[:1]), -len(w)))
