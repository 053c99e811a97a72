"""The real intake server on 127.0.0.1 for the tests: in a thread of the test process
(`serving`), or as `warroom intake serve` in a process of its own (`spawned`), and a
journal with an incident, a roster of made-up people and a token (`prepared`)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from warroom.artifact.roster import import_people
from warroom.incident import open_incident
from warroom.journal import Journal
from warroom.synthetic import FakePerson
from warroom.tips.tokens import add_token

from files import roster

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Prepared:
    db: Path
    token: str
    people: list[FakePerson]


def prepared(db: Path, people: int = 20, org: str = "Legal Aid (fictitious)") -> Prepared:
    """A journal with an incident, `people` made-up people in its roster, and a token."""
    ps = roster(people, seed=41)
    with Journal(db, create=True) as journal:
        open_incident(journal, "intake test")
        if ps:
            import_people(journal, [{"a_number": p.a_number, "full_name": p.full_name,
                                     "birth_date": p.birth_date.isoformat(),
                                     "nationality": p.nationality, "facility": p.facility}
                                    for p in ps])
        token = add_token(journal, org).token
    return Prepared(db, token, ps)


def _wait(url: str, process: subprocess.Popen | None = None) -> None:
    """Until the server answers /health (bounded: a server that never starts fails)."""
    for _ in range(300):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited: {process.stderr.read()}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the server at {url} did not start")


@contextlib.contextmanager
def serving(db: Path, **rates: str) -> Iterator[str]:
    """The intake app under uvicorn in a thread, on a free port of 127.0.0.1: its base URL."""
    import uvicorn

    from warroom.intake.app import create_app

    app = create_app(db, **rates)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        _wait(url)
        yield url
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def spawned(db: Path, *args: str) -> Iterator[str]:
    """`warroom intake serve` in a process of its own: its base URL; stopped on exit."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "warroom", "--db", str(db), "intake", "serve", "--port",
         str(port), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
