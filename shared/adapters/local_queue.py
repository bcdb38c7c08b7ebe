"""A durable task queue on SQLite that dispatches like Cloud Tasks (the embedded default).

Tasks survive a restart: a task being dispatched holds a lease; if the process dies, the lease
runs out and another worker picks the task up. Names are kept after completion (a tombstone, as
Cloud Tasks does) so re-enqueueing a finished task's name is refused.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from shared.adapters.sqlite_db import SqliteDatabase
from shared.log import get_logger
from shared.ports.queue import Task

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    name TEXT PRIMARY KEY,
    queue TEXT NOT NULL,
    step TEXT NOT NULL,
    body BLOB NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',   -- queued | leased | done | dead
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL,
    lease_until REAL,
    last_error TEXT,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_due ON tasks (state, next_at);
"""

log = get_logger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Cloud Tasks' retry config, in seconds."""

    min_backoff_s: float = 0.2
    max_backoff_s: float = 20.0
    max_attempts: int = 12
    lease_s: float = 600.0  # longer than any step may take

    def backoff(self, attempts: int) -> float:
        base: float = min(self.max_backoff_s, self.min_backoff_s * 2 ** max(0, attempts - 1))
        jitter: float = random.uniform(0.75, 1.0)  # so retries do not march in step
        return base * jitter


@dataclass(frozen=True)
class Lease:
    name: str
    queue: str
    step: str
    body: bytes
    attempts: int


class SqliteTaskQueue:
    """The task-queue port on SQLite. Pair it with a :class:`LocalDispatcher` to deliver."""

    def __init__(self, path: Path | str, policy: RetryPolicy | None = None) -> None:
        self._db = SqliteDatabase(path, schema=_SCHEMA)
        self.policy = policy or RetryPolicy()
        # Wakes this process's dispatcher workers at once when a task is enqueued here; work
        # enqueued by another process (the CLI handing over to a server) is found by polling.
        self._work = threading.Condition()

    def enqueue(self, task: Task, *, delay_s: float = 0.0) -> bool:
        now = time.time()
        cur = self._db.connect().execute(
            "INSERT OR IGNORE INTO tasks (name, queue, step, body, next_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (task.name, task.queue, task.step, task.body(), now + delay_s, now),
        )
        if cur.rowcount == 1 and delay_s <= 0:
            with self._work:
                self._work.notify()
        return cur.rowcount == 1

    def wake_all(self) -> None:
        with self._work:
            self._work.notify_all()

    def wait_for_work(self, timeout_s: float) -> None:
        """Until a task is enqueued in this process, or ``timeout_s`` passes."""
        with self._work:
            self._work.wait(timeout_s)

    def lease(self) -> Lease | None:
        """Take the next due task (or one whose lease ran out after a crash)."""
        now = time.time()
        row = (
            self._db.connect()
            .execute(
                "UPDATE tasks SET state = 'leased', lease_until = ?, attempts = attempts + 1 "
                "WHERE name = (SELECT name FROM tasks WHERE "
                "  (state = 'queued' AND next_at <= ?) OR (state = 'leased' AND lease_until < ?) "
                "  ORDER BY next_at LIMIT 1) "
                "RETURNING name, queue, step, body, attempts",
                (now + self.policy.lease_s, now, now),
            )
            .fetchone()
        )
        return Lease(*row) if row else None

    def complete(self, lease: Lease) -> None:
        self._set_state(lease, "done", None, None)

    def fail(self, lease: Lease, error: str, *, retry: bool, retry_after: float | None) -> None:
        if not retry or lease.attempts >= self.policy.max_attempts:
            self._set_state(lease, "dead", error, None)
            log.warning("task given up", extra={"task": lease.name, "error": error})
            return
        delay = max(retry_after or 0.0, self.policy.backoff(lease.attempts))
        self._set_state(lease, "queued", error, time.time() + delay)

    def _set_state(
        self, lease: Lease, state: str, error: str | None, next_at: float | None
    ) -> None:
        self._db.connect().execute(
            "UPDATE tasks SET state = ?, last_error = ?, next_at = COALESCE(?, next_at), "
            "lease_until = NULL WHERE name = ?",
            (state, error, next_at, lease.name),
        )

    def counts(self) -> dict[str, int]:
        rows = self._db.connect().execute("SELECT state, COUNT(*) FROM tasks GROUP BY state")
        return {state: n for state, n in rows}

    def dead(self) -> list[dict[str, object]]:
        rows = self._db.connect().execute(
            "SELECT name, step, attempts, last_error FROM tasks WHERE state = 'dead'"
        )
        return [dict(zip(("name", "step", "attempts", "error"), r, strict=True)) for r in rows]

    def requeue_dead(self, campaign_id: str) -> int:
        """Give a campaign's dead tasks another go (``adloop campaign retry``)."""
        cur = self._db.connect().execute(
            "UPDATE tasks SET state = 'queued', attempts = 0, next_at = ? "
            "WHERE state = 'dead' AND json_extract(body, '$.campaign_id') = ?",
            (time.time(), campaign_id),
        )
        return cur.rowcount

    def pending(self) -> int:
        row = (
            self._db.connect()
            .execute("SELECT COUNT(*) FROM tasks WHERE state IN ('queued', 'leased')")
            .fetchone()
        )
        return int(row[0])


class LocalDispatcher:
    """Worker threads that deliver leased tasks as HTTP POSTs, with Cloud Tasks' headers."""

    def __init__(
        self,
        queue: SqliteTaskQueue,
        base_url: Callable[[], str] | str,
        *,
        token: str,
        concurrency: int = 8,
        poll_s: float = 0.25,
        timeout_s: float = 600.0,
    ) -> None:
        self._queue = queue
        self._base_url = base_url if callable(base_url) else (lambda: base_url)
        self._token = token
        self._concurrency = concurrency
        self._poll_s = poll_s
        self._timeout_s = timeout_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._busy = 0
        self._busy_lock = threading.Lock()

    def start(self) -> None:
        self._stop.clear()
        for i in range(self._concurrency):
            t = threading.Thread(target=self._run, name=f"adloop-queue-{i}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stop.set()
        self._queue.wake_all()
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()

    @property
    def busy(self) -> int:
        return self._busy

    def _run(self) -> None:
        # Deliveries go to this machine's own server and carry the task token: never through a
        # proxy that HTTP_PROXY / ALL_PROXY in the environment may name (trust_env=False).
        with httpx.Client(timeout=self._timeout_s, trust_env=False) as client:
            while not self._stop.is_set():
                lease = self._queue.lease()
                if lease is None:
                    self._queue.wait_for_work(self._poll_s)
                    continue
                with self._busy_lock:
                    self._busy += 1
                try:
                    self.deliver(client, lease)
                finally:
                    with self._busy_lock:
                        self._busy -= 1

    def deliver(self, client: httpx.Client, lease: Lease) -> None:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self._token}",
            "X-CloudTasks-TaskName": lease.name,
            "X-CloudTasks-QueueName": lease.queue,
            "X-CloudTasks-TaskRetryCount": str(lease.attempts - 1),
            "X-CloudTasks-TaskExecutionCount": str(lease.attempts - 1),
        }
        url = f"{self._base_url()}/tasks/{lease.step}"
        try:
            resp = client.post(url, content=lease.body, headers=headers)
        except httpx.HTTPError as e:
            self._queue.fail(lease, f"{type(e).__name__}: {e}", retry=True, retry_after=None)
            return
        if resp.is_success:
            self._queue.complete(lease)
            return
        # Cloud Tasks retries every non-2xx; adloop's contract is that a 4xx is final (the step
        # recorded why), so only 429 and 5xx come back.
        retry = resp.status_code == 429 or resp.status_code >= 500
        error = f"HTTP {resp.status_code}: {_reason(resp)}"
        self._queue.fail(lease, error, retry=retry, retry_after=_retry_after(resp))


def _reason(resp: httpx.Response) -> str:
    try:
        return str(json.loads(resp.content).get("error", resp.text))[:500]
    except (ValueError, AttributeError):
        return resp.text[:500]


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None
