"""The task-queue port's contract: tasks arrive as POSTs at ``/tasks/<step>``, retried on 5xx.

Each adapter delivers to a recorder (a real HTTP server on 127.0.0.1). The Cloud Tasks adapter
runs against gcloud-tasks-emulator, which really dispatches; its retry timing differs from real
Cloud Tasks (it retries at once, without backoff), so only what is contractual is asserted.
"""

from __future__ import annotations

import gc
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shared.adapters.cloud_tasks import CloudTasksQueue, build_task
from shared.adapters.local_queue import LocalDispatcher, RetryPolicy, SqliteTaskQueue
from shared.ports.queue import QUEUES, Task, TaskQueue
from tests.fakes import FakeResponse, LoopbackServer, RecordedRequest

FAST = RetryPolicy(min_backoff_s=0.05, max_backoff_s=0.5, max_attempts=5)


@dataclass(frozen=True)
class Delivery:
    request: RecordedRequest
    at: float

    @property
    def task_name(self) -> str:
        return self.request.headers.get("x-cloudtasks-taskname", "")

    @property
    def retry_count(self) -> int:
        return int(self.request.headers.get("x-cloudtasks-taskretrycount", "-1"))


class Recorder:
    """The task target: records every delivery; answers ``status_for[name]`` once, then 200."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.status_for: dict[str, int] = {}
        self._lock = threading.Lock()

    def handle(self, request: RecordedRequest) -> FakeResponse:
        delivery = Delivery(request, time.time())
        with self._lock:
            self.deliveries.append(delivery)
            status = self.status_for.pop(delivery.task_name, 200)
        return FakeResponse(status, {"ok": status == 200})

    def of(self, name: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.task_name == name]

    def wait_for(self, name: str, count: int = 1, timeout_s: float = 20.0) -> list[Delivery]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.of(name)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{name}: {len(self.of(name))} deliveries, wanted {count}")


@dataclass
class Harness:
    queue: TaskQueue
    recorder: Recorder


def new_task(step: str = "intake", **kw: Any) -> Task:
    return Task(campaign_id=f"c{uuid.uuid4().hex[:8]}", step=step, **kw)


class QueueContract:
    """Every task-queue adapter must pass these. Subclasses provide the ``harness`` fixture."""

    dedupes_names = True

    def test_a_task_is_posted_to_its_step_with_its_body_and_name(self, harness: Harness) -> None:
        task = new_task("write", key="A", payload={"feedback": "shorter — please"})
        assert harness.queue.enqueue(task) is True
        (delivery,) = harness.recorder.wait_for(task.name)
        request = delivery.request
        assert (request.method, request.path) == ("POST", "/tasks/write")
        assert json.loads(request.body) == json.loads(task.body())
        assert request.headers["content-type"] == "application/json"
        assert delivery.retry_count == 0
        # Cloud Tasks sends the short queue name; the emulator sends the full resource name.
        assert request.headers["x-cloudtasks-queuename"].rsplit("/", 1)[-1] == "pipeline"

    def test_each_task_goes_to_its_own_queue(self, harness: Harness) -> None:
        task = new_task("render", key="V1", queue="render")
        harness.queue.enqueue(task)
        (delivery,) = harness.recorder.wait_for(task.name)
        assert delivery.request.headers["x-cloudtasks-queuename"].rsplit("/", 1)[-1] == "render"

    def test_a_5xx_answer_is_retried_with_a_higher_retry_count(self, harness: Harness) -> None:
        task = new_task("judge")
        harness.recorder.status_for[task.name] = 503
        harness.queue.enqueue(task)
        first, second = harness.recorder.wait_for(task.name, count=2)
        assert (first.retry_count, second.retry_count) == (0, 1)
        assert second.request.body == first.request.body

    def test_a_delayed_task_is_not_delivered_before_its_delay(self, harness: Harness) -> None:
        delayed, prompt = new_task("rank"), new_task("rank")
        before = time.time()
        harness.queue.enqueue(delayed, delay_s=1.0)
        harness.queue.enqueue(prompt)
        harness.recorder.wait_for(prompt.name)
        (delivery,) = harness.recorder.wait_for(delayed.name)
        assert delivery.at - before >= 1.0

    def test_enqueueing_a_name_twice(self, harness: Harness) -> None:
        task = new_task("govern", key="B")
        assert harness.queue.enqueue(task) is True
        again = harness.queue.enqueue(Task(task.campaign_id, "govern", "B", payload={"x": 1}))
        # A deduping queue refuses the repeat; the Cloud Tasks emulator accepts it and the step
        # runner makes the second delivery harmless.
        assert again is (not self.dedupes_names)
        harness.recorder.wait_for(task.name)
        if self.dedupes_names:
            marker = new_task("govern")
            harness.queue.enqueue(marker)
            harness.recorder.wait_for(marker.name)
            assert len(harness.recorder.of(task.name)) == 1


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, LoopbackServer]]:
    rec = Recorder()
    with LoopbackServer(rec.handle) as server:
        yield rec, server


class TestSqliteTaskQueue(QueueContract):
    @pytest.fixture
    def harness(
        self, tmp_path: Path, recorder: tuple[Recorder, LoopbackServer]
    ) -> Iterator[Harness]:
        rec, server = recorder
        queue = SqliteTaskQueue(tmp_path / "queue.db", FAST)
        dispatcher = LocalDispatcher(queue, server.url, token="s3cret", concurrency=2, poll_s=0.02)
        dispatcher.start()
        try:
            yield Harness(queue, rec)
        finally:
            dispatcher.stop()

    def test_local_deliveries_carry_the_bearer_token(self, harness: Harness) -> None:
        task = new_task()
        harness.queue.enqueue(task)
        (delivery,) = harness.recorder.wait_for(task.name)
        assert delivery.request.headers["authorization"] == "Bearer s3cret"

    def test_a_4xx_answer_is_final(self, harness: Harness) -> None:
        task = new_task("validate")
        harness.recorder.status_for[task.name] = 400
        harness.queue.enqueue(task)
        assert isinstance(harness.queue, SqliteTaskQueue)
        deadline = time.monotonic() + 10
        while not harness.queue.dead() and time.monotonic() < deadline:
            time.sleep(0.02)
        (dead,) = harness.queue.dead()
        assert (dead["name"], dead["attempts"]) == (task.name, 1)
        assert "HTTP 400" in str(dead["error"])
        assert len(harness.recorder.of(task.name)) == 1

    def test_tasks_survive_a_restart(
        self, tmp_path: Path, recorder: tuple[Recorder, LoopbackServer]
    ) -> None:
        rec, server = recorder
        path = tmp_path / "durable.db"
        task = new_task("intake")
        before = SqliteTaskQueue(path, FAST)
        assert before.enqueue(task) is True
        del before
        gc.collect()
        after = SqliteTaskQueue(path, FAST)
        assert after.enqueue(task) is False  # the name is still held
        dispatcher = LocalDispatcher(after, server.url, token="t", concurrency=1, poll_s=0.02)
        dispatcher.start()
        try:
            (delivery,) = rec.wait_for(task.name)
        finally:
            dispatcher.stop()
        assert json.loads(delivery.request.body)["campaign_id"] == task.campaign_id


PROJECT = "adloop-test"
SERVICE_ACCOUNT = f"tasks@{PROJECT}.iam.gserviceaccount.com"


class TestCloudTasksQueue(QueueContract):
    """Cloud Tasks through gcloud-tasks-emulator; each test gets its own location and queues."""

    dedupes_names = False  # the emulator keeps no names; real Cloud Tasks answers ALREADY_EXISTS

    @pytest.fixture
    def harness(
        self, tasks_emulator: str, recorder: tuple[Recorder, LoopbackServer]
    ) -> Iterator[Harness]:
        from google.cloud import tasks_v2

        rec, server = recorder
        location = f"l{uuid.uuid4().hex[:10]}"
        queue = CloudTasksQueue(
            project=PROJECT,
            location=location,
            base_url=server.url,
            service_account=SERVICE_ACCOUNT,
            emulator_host=tasks_emulator,
        )
        parent = f"projects/{PROJECT}/locations/{location}"
        names = [f"{parent}/queues/{q}" for q in QUEUES]
        for name in names:  # terraform declares these in production
            queue.client.create_queue(parent=parent, queue=tasks_v2.Queue(name=name))
        try:
            yield Harness(queue, rec)
        finally:
            for name in names:  # so the emulator stops retrying toward this test's recorder
                queue.client.delete_queue(name=name)

    def test_each_task_goes_to_the_queue_it_names(self) -> None:
        queue = CloudTasksQueue(project="p", location="l", base_url="https://x")
        tag = Task("c1", "tag", "A", queue="feedback")
        assert queue.queue_path(tag) == "projects/p/locations/l/queues/feedback"
        assert queue.queue_path(new_task("write")).endswith("/queues/pipeline")


def test_build_task_targets_the_step_with_an_oidc_token() -> None:
    task = Task("c1", "render", "V1", payload={"aspect": "9:16"}, queue="render", attempt=2)
    at = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    queue_path = "projects/p/locations/europe-west1/queues/render"
    built = build_task(
        task,
        queue_path=queue_path,
        base_url="https://europe-west1-p.cloudfunctions.net/",
        service_account=SERVICE_ACCOUNT,
        schedule_at=at,
    )
    assert built.name == f"{queue_path}/tasks/c1-render-V1-r2"
    request = built.http_request
    assert request.url == "https://europe-west1-p.cloudfunctions.net/tasks/render"
    assert request.http_method.name == "POST"
    assert request.body == task.body()
    assert request.headers["Content-Type"] == "application/json"
    assert request.oidc_token.service_account_email == SERVICE_ACCOUNT
    assert request.oidc_token.audience == "https://europe-west1-p.cloudfunctions.net"
    assert built.schedule_time == at


def test_build_task_without_a_service_account_sends_no_token() -> None:
    built = build_task(
        Task("c1", "intake"), queue_path="q", base_url="http://127.0.0.1:8080", service_account=None
    )
    assert "oidc_token" not in built.http_request
    assert "schedule_time" not in built
