"""Journal connections for the console: one per thread, read-mostly, and never the UI
thread's: the workers that read the journal run on the pool's threads, each with its own."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from warroom.journal import store


class Connections:
    """sqlite3 connections are per thread: each thread that asks gets its own (the worker
    pool's threads are reused, so there are only ever a few)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = store.connect(self.path)   # looked up at call time: tests can watch it
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # made in another thread that is gone; the process exit frees it
            self._all.clear()
