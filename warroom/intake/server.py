"""Running the intake server with uvicorn: on the loopback address unless the responder asks
for another and says `--public` (put a TLS-terminating proxy in front then: tokens travel in
every request)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from warroom.errors import WarroomError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class NotLoopback(WarroomError):
    """A non-loopback address without --public."""


def check_host(host: str, public: bool) -> None:
    if not is_loopback(host) and not public:
        raise NotLoopback(f"{host} is not a loopback address: the server would take requests"
                          " from the network; add --public to mean it (behind a TLS proxy)")


def serve(journal: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          public: bool = False, tip_rate: str | None = None, lookup_rate: str | None = None,
          access_log: bool = True) -> None:
    """Serve the intake on `host:port` until interrupted."""
    check_host(host, public)
    import uvicorn

    from warroom.intake.app import create_app
    from warroom.intake.gate import LOOKUP_RATE, TIP_RATE

    try:
        app = create_app(journal, tip_rate=tip_rate or TIP_RATE,
                         lookup_rate=lookup_rate or LOOKUP_RATE)
    except ValueError as exc:   # a rate the limits library cannot read
        raise WarroomError(f"a rate is written like 10/minute or 10/minute;100/day: {exc}")\
            from None
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log,
                server_header=False, limit_concurrency=200, timeout_keep_alive=5,
                proxy_headers=False)
