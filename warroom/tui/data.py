"""Journal connections for the console: one per thread, read-mostly."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from warroom.journal.store import connect


class Connections:
    """sqlite3 connections are per thread: each thread that asks gets its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
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
