"""One SQLite connection per thread, in WAL mode, shared by the embedded adapters."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class SqliteDatabase:
    """A SQLite file opened lazily, one connection per thread (sqlite3 connections are not
    shareable across threads), with WAL so readers never block the writer."""

    def __init__(self, path: Path | str, *, schema: str) -> None:
        self.path = Path(path)
        self._schema = schema
        self._local = threading.local()
        # Switching a new file to WAL takes a lock SQLite does not wait for (busy_timeout does
        # not apply): the first connection of this process sets the file up, the rest wait.
        self._setup = threading.Lock()
        self._ready = False

    def connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=30000")
            with self._setup:
                if not self._ready:
                    conn.execute("PRAGMA journal_mode=WAL")  # kept in the file once set
                    conn.executescript(self._schema)
                    self._ready = True
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
