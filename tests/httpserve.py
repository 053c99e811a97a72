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
