"""The demo's web: the agency site and a mirror, served from memory by one HTTP server on
127.0.0.1 (on a port the system picks), so the demo's acquisition and probes are real HTTP
and nothing but loopback is ever contacted; and the agency's access log of the story, with
made-up clients from the documentation address ranges (RFC 5737).

The server answers GET and HEAD, and single byte ranges (206, or 416 past the end), as the
probes and download managers use them. `pull` takes a file down: a 404, or (`soft`) a 200
"file not found" page, as a mirror host often answers, which only a decision by content
tells from the file itself.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
ORIGIN_PATH = "/sites/default/files/detention-stats-fy23.xlsx"
CDN_PATH = "/cdn" + ORIGIN_PATH          # purged before the demo starts: a 404
MIRROR_PATH = "/mirror/d/8f2c/detention-stats-fy23.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOT_FOUND = b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>\n"
SOFT_404 = (b"<!doctype html><html><head><title>FileDrop</title></head><body>"
            b"<h1>File not found</h1><p>The file you requested has been removed by its"
            b" owner or for a violation of our terms.</p></body></html>\n")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_PROXY_BYPASS = ("no_proxy", "NO_PROXY")


@dataclass(frozen=True)
class Request:
    """One request the demo's server answered."""

    method: str
    path: str
    range: str | None
    status: int
    sent: int                   # body bytes
    agent: str


class DemoSite:
    """The demo's web server: `files` maps a path to its bytes; anything else is a 404."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)
        self.pulled: dict[str, bool] = {}        # path → soft (a 200 "not found" page)
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "DemoAgencyWeb/1.0"

            def do_GET(self) -> None:
                site._answer(self, body=True)

            def do_HEAD(self) -> None:
                site._answer(self, body=False)

            def log_message(self, *args: object) -> None:   # the requests are kept instead
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{HOST}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True,
                                       name="warroom-demo-site")
        self._proxies: dict[str, str | None] = {}

    def url(self, path: str) -> str:
        return self.base + path

    def pull(self, path: str, soft: bool = False) -> None:
        """Take the file at `path` down: a 404 from now on, or a 200 "file not found" page."""
        with self.lock:
            self.pulled[path] = soft

    def __enter__(self) -> DemoSite:
        self._bypass_proxies()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()
        self._restore_proxies()

    def _bypass_proxies(self) -> None:
        """While it serves, this process reaches the site directly, whatever proxy the
        environment names (httpx honours $HTTP_PROXY even for 127.0.0.1)."""
        for name in _PROXY_BYPASS:
            self._proxies[name] = os.environ.get(name)
            os.environ[name] = ",".join(filter(None, (os.environ.get(name), HOST)))

    def _restore_proxies(self) -> None:
        for name, value in self._proxies.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._proxies = {}

    # ------------------------------------------------------------ one answer
    def _answer(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        path = handler.path.split("?", 1)[0]
        asked = handler.headers.get("Range")
        with self.lock:
            data, soft = self.files.get(path), self.pulled.get(path)
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if data is None or soft is False:
            status, data = 404, NOT_FOUND
        elif soft:
            status, data = 200, SOFT_404
        else:
            status, data, ranged = _ranged(data, asked)
            headers = {"Content-Type": XLSX, "Accept-Ranges": "bytes", **ranged}
        handler.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(data))}.items():
            handler.send_header(name, value)
        handler.end_headers()
        sent = 0
        if body:
            try:
                handler.wfile.write(data)
                sent = len(data)
            except OSError:      # the client stopped reading: a probe may, once it knows
                handler.close_connection = True
        with self.lock:
            self.requests.append(Request(handler.command, path, asked, status, sent,
                                         handler.headers.get("User-Agent", "")))


def _ranged(data: bytes, asked: str | None) -> tuple[int, bytes, dict[str, str]]:
    """A single byte range (206), one past the end (416), or the whole file (200)."""
    match = _RANGE.match(asked or "")
    if not match or match.groups() == ("", ""):
        return 200, data, {}
    first, last = match.groups()
    size = len(data)
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:                                    # bytes=-N: the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        return 416, b"", {"Content-Range": f"bytes */{size}"}
    return 206, data[start:end + 1], {"Content-Range": f"bytes {start}-{end}/{size}"}


# ---------------------------------------------------------------- the agency's access log

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:107.0) Gecko/20100101 Firefox/107.0"
CHROME = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like"
          " Gecko) Chrome/107.0.0.0 Safari/537.36")
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15"
          " (KHTML, like Gecko) Version/16.1 Mobile/15E148 Safari/604.1")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
CHECKER = "LinkChecker/10.2 (+https://linkchecker.example/)"
PAGE = "/about/statistics"
REFERER = "https://www.agency.example" + PAGE
PARTIAL = 65536        # bytes of the one ranged download that stopped early
WHOLE = -1             # the file's size, filled in

# minutes before the demo's present (the real case's clock in the comments: the present is
# about 14:05, the file went up at 09:45), client, method, path, status, bytes, agent
STORY_LOG: tuple[tuple[float, str, str, str, int, int, str], ...] = (
    (262.0, "192.0.2.10", "GET", PAGE, 200, 18214, FIREFOX),
    (258.5, "192.0.2.44", "GET", "/robots.txt", 200, 312, GOOGLEBOT),
    (247.2, "192.0.2.44", "GET", ORIGIN_PATH, 200, WHOLE, GOOGLEBOT),          # 09:58
    (236.0, "198.51.100.23", "GET", PAGE, 200, 18214, FIREFOX),
    (234.3, "198.51.100.23", "GET", ORIGIN_PATH, 200, WHOLE, FIREFOX),         # 10:11
    (210.8, "203.0.113.77", "GET", ORIGIN_PATH, 206, PARTIAL, CHROME),         # stopped
    (196.4, "203.0.113.9", "HEAD", ORIGIN_PATH, 200, 0, CHECKER),              # no bytes
    (190.6, "192.0.2.145", "GET", ORIGIN_PATH, 200, WHOLE, SAFARI),            # mirror's
    (125.1, "198.51.100.23", "GET", ORIGIN_PATH, 304, 0, FIREFOX),             # had it
    (61.0, "192.0.2.10", "GET", "/favicon.ico", 200, 1150, FIREFOX),
    (22.7, "203.0.113.200", "GET", ORIGIN_PATH, 200, WHOLE, FIREFOX),          # advocates
)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clf_time(moment: datetime) -> str:
    """The time as Apache and nginx write it, 24/Nov/2026:09:58:03 +0000 (English months,
    whatever the locale)."""
    return (f"{moment.day:02d}/{MONTHS[moment.month - 1]}/{moment.year}:"
            + moment.strftime("%H:%M:%S %z"))


def story_log(present: datetime, size: int) -> list[str]:
    """The agency site's access log (combined format) up to `present`, for a file of
    `size` bytes at ORIGIN_PATH."""
    lines = []
    for minutes, client, method, path, status, sent, agent in STORY_LOG:
        sent = size if sent == WHOLE else sent
        referer = REFERER if path == ORIGIN_PATH and agent != GOOGLEBOT else "-"
        lines.append(f'{client} - - [{clf_time(present - timedelta(minutes=minutes))}]'
                     f' "{method} {path} HTTP/1.1" {status} {sent or "-"} "{referer}"'
                     f' "{agent}"')
    return lines


def write_story_log(path: Path, present: datetime, size: int) -> Path:
    path.write_text("\n".join(story_log(present, size)) + "\n")
    return path
