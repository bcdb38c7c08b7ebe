"""The task queue on Cloud Tasks: each task is an HTTP POST to ``{base_url}/tasks/{step}``, or
to ``{base_url}/{step}`` where every step is its own Cloud Function (``per_function``).

Cloud Tasks keeps a task's name for a while after it ran, so creating a name it holds answers
ALREADY_EXISTS, which :meth:`CloudTasksQueue.enqueue` reports as False. The gcloud-tasks-emulator
does not dedupe names: there a repeat is accepted and the step runner makes it harmless.
Retries and backoff are the queue's configuration (terraform), not this adapter's.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from google.api_core import exceptions as gexc
from google.protobuf import duration_pb2

from shared.adapters.google_errors import CLIENT_ERRORS, translate
from shared.ports.queue import Task

if TYPE_CHECKING:
    from google.cloud.tasks_v2 import CloudTasksClient
    from google.cloud.tasks_v2 import Task as CloudTask


def target_url(base_url: str, step: str, *, per_function: bool) -> str:
    """Where a step's tasks go: ``{base}/tasks/{step}`` on one server (``adloop serve``), or
    ``{base}/{step}`` when every step is its own Cloud Function (names use ``-`` for ``_``)."""
    base = base_url.rstrip("/")
    return f"{base}/{step.replace('_', '-')}" if per_function else f"{base}/tasks/{step}"


def build_task(
    task: Task,
    *,
    queue_path: str,
    base_url: str,
    service_account: str | None,
    schedule_at: datetime | None = None,
    per_function: bool = False,
) -> CloudTask:
    """The Cloud Tasks task for ``task`` in the queue ``queue_path`` (pure)."""
    from google.cloud import tasks_v2

    url = target_url(base_url, task.step, per_function=per_function)
    request = tasks_v2.HttpRequest(
        http_method=tasks_v2.HttpMethod.POST,
        url=url,
        headers={"Content-Type": "application/json"},
        body=task.body(),
    )
    if service_account:
        # The target (Cloud Functions, Cloud Run) checks this token's audience and issuer.
        request.oidc_token = tasks_v2.OidcToken(
            service_account_email=service_account,
            audience=url if per_function else base_url.rstrip("/"),
        )
    # A render step waits for its job; give every task the longest deadline HTTP targets allow.
    cloud_task = tasks_v2.Task(
        name=f"{queue_path}/tasks/{task.name}",
        http_request=request,
        dispatch_deadline=duration_pb2.Duration(seconds=1800),
    )
    if schedule_at is not None:
        cloud_task.schedule_time = schedule_at
    return cloud_task


class CloudTasksQueue:
    """The task-queue port on Cloud Tasks.

    Each task goes to its :attr:`Task.queue` (the flow names it, shared/pipeline/flow.py).
    ``client`` is for tests; ``emulator_host`` (``host:port``) talks plaintext gRPC to
    gcloud-tasks-emulator.
    """

    def __init__(
        self,
        *,
        project: str,
        location: str,
        base_url: str,
        service_account: str | None = None,
        client: CloudTasksClient | None = None,
        emulator_host: str | None = None,
        per_function: bool = False,
    ) -> None:
        self.per_function = per_function
        self.project = project
        self.location = location
        self.base_url = base_url
        self.service_account = service_account
        self.emulator_host = emulator_host
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> CloudTasksClient:
        with self._lock:
            if self._client is None:
                self._client = _make_client(self.emulator_host)
            return self._client

    def queue_path(self, task: Task) -> str:
        return f"projects/{self.project}/locations/{self.location}/queues/{task.queue}"

    def enqueue(self, task: Task, *, delay_s: float = 0.0) -> bool:
        """Create the task; False when Cloud Tasks already holds (or recently ran) its name."""
        schedule_at = datetime.now(UTC) + timedelta(seconds=delay_s) if delay_s > 0 else None
        cloud_task = build_task(
            task,
            queue_path=self.queue_path(task),
            base_url=self.base_url,
            service_account=self.service_account,
            schedule_at=schedule_at,
            per_function=self.per_function,
        )
        try:
            self.client.create_task(parent=self.queue_path(task), task=cloud_task)
        except gexc.AlreadyExists:
            return False
        except CLIENT_ERRORS as e:
            raise translate(e, f"enqueueing {task.name}") from e
        return True


def _make_client(emulator_host: str | None) -> CloudTasksClient:
    from google.cloud import tasks_v2

    if emulator_host is None:
        return tasks_v2.CloudTasksClient()
    import grpc
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    channel = grpc.insecure_channel(emulator_host)
    return tasks_v2.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
