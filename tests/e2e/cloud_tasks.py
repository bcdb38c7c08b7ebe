"""Cloud Tasks for the local cloud: gcloud-tasks-emulator's gRPC API and queue state, plus three
things the real service does that the emulator does not, taken from Cloud Tasks' documentation:

- a task name is refused with ALREADY_EXISTS while the queue holds it and for about an hour after
  it ran ("another task with the same name can't be created for ~1 hour after the original task
  was deleted or executed": https://cloud.google.com/tasks/docs/reference/rpc/google.cloud.tasks.v2#createtaskrequest);
- an HTTP target with ``oidc_token`` gets ``Authorization: Bearer <ID token>`` minted for the
  token's audience and service account
  (https://cloud.google.com/tasks/docs/creating-http-target-tasks#token);
- a queue dispatches up to ``max_concurrent_dispatches`` tasks at once, at most
  ``max_dispatches_per_second`` on average (a token bucket; the real service sizes the bucket
  itself, ``max_burst_size``, here one second's worth), and retries a failed one
  (any non-2xx answer) after a backoff doubling from ``min_backoff`` to ``max_backoff``, at most
  ``max_doublings`` times, for ``max_attempts`` attempts in all
  (https://cloud.google.com/tasks/docs/configuring-queues#retry), sending the
  ``X-CloudTasks-*`` headers (https://cloud.google.com/tasks/docs/creating-http-target-tasks#handler).

Run it with the emulator's own Python (it pins protobuf<5, so it has its own virtualenv):
``.venv-emulators/bin/python -m tests.e2e.cloud_tasks --port P --issuer DIR --queues FILE``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAME_KEPT_S = 3600
DISPATCH_DEADLINE_S = 1800.0  # the longest Cloud Tasks allows an HTTP target

log = logging.getLogger("local-cloud-tasks")


@dataclass(frozen=True)
class QueueConfig:
    # terraform's queue (tests/infra/deployment.Queue) and where it lives: projects/P/locations/L
    parent: str
    name: str
    max_concurrent_dispatches: int
    max_dispatches_per_second: float
    max_attempts: int
    min_backoff_s: float
    max_backoff_s: float
    max_doublings: int

    @property
    def path(self) -> str:
        return f"{self.parent}/queues/{self.name}"

    def backoff(self, attempts: int) -> float:
        """The wait before the next attempt, after ``attempts`` failed ones."""
        doublings = min(max(attempts - 1, 0), self.max_doublings)
        return float(min(self.max_backoff_s, self.min_backoff_s * 2**doublings))


def serve(port: int, issuer_dir: Path, queues: list[QueueConfig]) -> None:
    import grpc
    from gcloud_tasks_emulator.cloudtasks_pb2_grpc import add_CloudTasksServicer_to_server
    from gcloud_tasks_emulator.server import Greeter

    from tests.e2e.oidc import Issuer

    state = _state_class()(queues, Issuer.load(issuer_dir))
    server = grpc.server(ThreadPoolExecutor(max_workers=16))
    add_CloudTasksServicer_to_server(Greeter(state), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    for queue in queues:
        threading.Thread(target=state.dispatch_forever, args=(queue,), daemon=True).start()
    log.info("local Cloud Tasks on 127.0.0.1:%d with %d queues", port, len(queues))
    server.wait_for_termination()


def _state_class() -> type[Any]:
    from gcloud_tasks_emulator.server import QueueState
    from google.api_core.exceptions import AlreadyExists
    from google.cloud.tasks_v2 import Queue

    class CloudTasksState(QueueState):  # type: ignore[misc,valid-type]
        def __init__(self, queues: list[QueueConfig], issuer: Any) -> None:
            super().__init__("localhost", 80, -1)
            self._issuer = issuer
            self._lock = threading.Condition()
            self._names: dict[str, float] = {}  # task name -> when it was created
            self._due: dict[str, float] = {}  # task name -> when to dispatch it next
            self._attempts: dict[str, int] = {}
            self._running: set[str] = set()
            for queue in queues:
                self.create_queue(queue.parent, Queue(name=queue.path))

        def create_task(self, queue: str, task: Any) -> Any:
            with self._lock:
                now = time.time()
                self._names = {n: t for n, t in self._names.items() if now - t < NAME_KEPT_S}
                if task.name and task.name in self._names:
                    raise AlreadyExists(f"Requested entity already exists: {task.name}")
                created = super().create_task(queue, task)
                self._names[created.name] = now
                scheduled = created.schedule_time.timestamp() if created.schedule_time else 0
                self._due[created.name] = max(now, scheduled)
                self._lock.notify_all()
                return created

        def dispatch_forever(self, queue: QueueConfig) -> None:
            pool = ThreadPoolExecutor(max_workers=queue.max_concurrent_dispatches)
            burst = max(1.0, queue.max_dispatches_per_second)
            tokens, refilled = burst, time.monotonic()
            while True:
                now = time.monotonic()
                tokens = min(burst, tokens + (now - refilled) * queue.max_dispatches_per_second)
                refilled = now
                with self._lock:
                    task = self._next_due(queue) if tokens >= 1 else None
                    if task is None:
                        self._lock.wait(timeout=0.02)
                        continue
                    self._running.add(task.name)
                tokens -= 1
                pool.submit(self._attempt, queue, task)

        def _next_due(self, queue: QueueConfig) -> Any:
            busy = sum(1 for t in self._queue_tasks[queue.path] if t.name in self._running)
            if busy >= queue.max_concurrent_dispatches:
                return None
            now = time.time()
            for task in self._queue_tasks[queue.path]:
                if task.name not in self._running and self._due.get(task.name, 0) <= now:
                    return task
            return None

        def _attempt(self, queue: QueueConfig, task: Any) -> None:
            attempt = self._attempts.get(task.name, 0)
            status = self._send(queue, task, attempt)
            with self._lock:
                self._running.discard(task.name)
                self._attempts[task.name] = attempt + 1
                if 200 <= status < 300 or attempt + 1 >= queue.max_attempts:
                    if status >= 300:
                        log.warning(
                            "gave up %s after %d attempts (%d)", task.name, attempt + 1, status
                        )
                    self._queue_tasks[queue.path].remove(task)
                    self._due.pop(task.name, None)
                else:
                    self._due[task.name] = time.time() + queue.backoff(attempt + 1)
                self._lock.notify_all()

        def _send(self, queue: QueueConfig, task: Any, attempt: int) -> int:
            http = task.http_request
            headers = dict(http.headers)
            headers.update(
                {
                    "User-Agent": "Google-Cloud-Tasks",
                    "X-CloudTasks-QueueName": queue.name,
                    "X-CloudTasks-TaskName": task.name.rsplit("/", 1)[-1],
                    "X-CloudTasks-TaskRetryCount": str(attempt),
                    "X-CloudTasks-TaskExecutionCount": str(attempt),
                    "X-CloudTasks-TaskETA": str(self._due.get(task.name, time.time())),
                }
            )
            oidc = http.oidc_token
            if oidc.service_account_email:
                audience = oidc.audience or http.url
                token = self._issuer.mint(audience, oidc.service_account_email)
                headers["Authorization"] = f"Bearer {token}"
            request = urllib.request.Request(
                http.url, data=http.body, method=http.http_method.name, headers=headers
            )
            deadline = task.dispatch_deadline.total_seconds() if task.dispatch_deadline else 0
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=deadline or DISPATCH_DEADLINE_S) as r:
                    log.info(
                        "%s answered %d in %.3f s (attempt %d)",
                        task.name,
                        r.status,
                        time.monotonic() - started,
                        attempt + 1,
                    )
                    return int(r.status)
            except urllib.error.HTTPError as e:
                log.info("%s answered %d (attempt %d)", task.name, e.code, attempt + 1)
                return int(e.code)
            except OSError as e:
                log.info("%s could not be delivered: %s (attempt %d)", task.name, e, attempt + 1)
                return 503

    return CloudTasksState


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--issuer", type=Path, required=True, help="folder with key.pem, cert.pem")
    parser.add_argument("--queues", type=Path, required=True, help="JSON list of queue configs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    queues = [QueueConfig(**q) for q in json.loads(args.queues.read_text())]
    serve(args.port, args.issuer, queues)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
