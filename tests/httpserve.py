"""A real HTTP server on 127.0.0.1 for the tests: files, redirects, errors, lies, and slow
servers (a route may be a function that writes the raw response itself: see `trickle`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes] | Writer] = {}
        self.hits: list[str] = []
        self.closing = threading.Event()      # set on exit: slow routes stop writing
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.hits.append(self.path)
                route = site.routes.get(self.path, (404, {}, b"not found"))
                if callable(route):
                    self.close_connection = True
                    return route(self, site)
                status, headers, body = route
                self.send_response(status)
                for k, v in headers.items():
                    if v:                 # an empty value: leave the header out
                        self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path


Writer = Callable[[BaseHTTPRequestHandler, Site], None]


def trickle(every: float, *, length: int = 1 << 20, stop_after: int | None = None,
            headers_too: bool = False) -> Writer:
    """A route that sends one byte every `every` seconds: for ever (a trickle: never stalls,
    never finishes), or `stop_after` bytes and then nothing while holding the connection open
    (a stall). With `headers_too` the status line and headers trickle as well. It stops when
    the client goes away or the site closes."""
    def write(handler: BaseHTTPRequestHandler, site: Site) -> None:
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {length}\r\n"
                "Connection: close\r\n\r\n").encode()
        pending = head if headers_too else b""
        sent = 0
        try:
            if not headers_too:
                handler.wfile.write(head)
            while not site.closing.wait(every):
                if pending:
                    handler.wfile.write(pending[:1])
                    pending = pending[1:]
                elif stop_after is None or sent < stop_after:
                    handler.wfile.write(b"x")
                    sent += 1
        except OSError:          # the client hung up: that is what the test wants
            pass

    return write


class Reply:
    """A route answered by a function of the request's path and query (a stub API), after
    holding the request for `hold` seconds (a server too slow to answer)."""

    def __init__(self, answer=None, hold: float = 0.0) -> None:
        self.answer = answer or (lambda path: (200, {}, b""))
        self.hold = hold


class Served(Site):
    """A Site that behaves like a real file server: HEAD, byte ranges (unless `ranges` is
    off), routes by path without the query, and counts: body bytes sent for each path and
    the most requests it was handling at once."""

    def __init__(self, ranges: bool = True) -> None:
        import re
        from collections import Counter

        super().__init__()
        self.ranges = ranges
        self.sent: Counter[str] = Counter()
        self.requests: list[tuple[str, str, str | None]] = []   # method, path, Range
        self.busy = self.most_busy = 0
        self.lock = threading.Lock()
        self.released = threading.Event()
        site = self
        span = re.compile(r"bytes=(\d+)-(\d*)$")

        class Handler(self.server.RequestHandlerClass):
            def do_HEAD(self):
                self.answer(body=False)

            def do_GET(self):
                self.answer(body=True)

            def answer(self, body: bool) -> None:
                with site.lock:
                    site.busy += 1
                    site.most_busy = max(site.most_busy, site.busy)
                    site.requests.append((self.command, self.path, self.headers.get("Range")))
                try:
                    self.respond(body)
                finally:
                    with site.lock:
                        site.busy -= 1

            def respond(self, body: bool) -> None:
                bare = self.path.split("?")[0]
                route = site.routes.get(self.path, site.routes.get(bare, (404, {}, b"nope")))
                if isinstance(route, Reply):
                    if route.hold and site.released.wait(route.hold):
                        return
                    route = route.answer(self.path)
                status, headers, data = route
                headers = dict(headers)
                asked = span.match(self.headers.get("Range") or "")
                if status == 200 and site.ranges and asked and data:
                    first = int(asked.group(1))
                    last = min(int(asked.group(2) or len(data) - 1), len(data) - 1)
                    headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
                    status, data = 206, data[first:last + 1]
                self.send_response(status)
                for k, v in headers.items():
                    if v:
                        self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if not body:
                    return
                try:
                    for start in range(0, len(data), 16384):
                        piece = data[start:start + 16384]
                        self.wfile.write(piece)
                        with site.lock:
                            site.sent[bare] += len(piece)
                except OSError:          # the client stopped reading: what a probe may do
                    pass

        self.server.RequestHandlerClass = Handler

    def __exit__(self, *exc) -> None:
        self.released.set()
        super().__exit__(*exc)
