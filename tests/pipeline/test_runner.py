"""The step runner on real SQLite, with a queue fake that records what it was asked, running
small flows of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.adapters.local_folder import FolderBlobs
from shared.adapters.sqlite import SqliteDocuments
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.creative.offline import OfflineGenerator
from shared.errors import BadInput, TransientError
from shared.models import Brief, Campaign
from shared.pipeline.campaigns import retry_campaign
from shared.pipeline.runner import Step, StepContext, StepResult, StepRunner
from shared.pipeline.stages import Flow, fixed, group
from shared.pipeline.stages import step as declare
from shared.pipeline.store import sweep_outbox
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings
from shared.task_endpoint import SharedTokenAuth, handle_task_request


class RecordingQueue:
    def __init__(self) -> None:
        self.sent: list[Task] = []
        self.broken = False

    def enqueue(self, task: Task, *, delay_s: float = 0.0) -> bool:
        if self.broken:
            raise ConnectionError("queue unreachable")
        self.sent.append(task)
        return True


def one_then_next(run: Step) -> Flow:
    """The smallest chain: step ``one``, then step ``next``."""
    return Flow(chain=(declare("one", run), declare("next", run)))


@pytest.fixture
def services(tmp_path: Path) -> Services:
    docs = SqliteDocuments(tmp_path / "state.db")
    brief = Brief(product="Widget", offer="10% off", persona="makers", market="US")
    docs.set("campaigns/c1", Campaign(id="c1", brief=brief).model_dump(mode="json"))
    return Services(
        settings=Settings(home=tmp_path),
        documents=docs,
        blobs=FolderBlobs(tmp_path / "blobs"),
        queue=RecordingQueue(),
        jobs=SubprocessJobRunner(tmp_path / "jobs"),
        textgen=lambda step: OfflineGenerator(),
    )


def test_a_redelivered_finished_step_does_nothing(services: Services) -> None:
    calls = []

    def step(ctx: StepContext, task: Task) -> StepResult:
        calls.append(task.key)
        return StepResult(writes={"things/x": {"n": len(calls)}})

    runner = StepRunner(services, {"one": step}, one_then_next(step))
    assert runner.handle(Task("c1", "one")).status == 200
    assert runner.handle(Task("c1", "one")).message == "already done"
    assert calls == ["-"]
    assert services.documents.get("things/x") == {"n": 1}
    assert [t.step for t in services.queue.sent] == ["next"]  # type: ignore[attr-defined]


def test_fan_in_sends_the_next_step_once_whatever_the_order(services: Services) -> None:
    def item(ctx: StepContext, task: Task) -> StepResult:
        return StepResult()

    flow = Flow(
        chain=(
            declare("govern", item),
            group("judge", declare("judge", item, each=fixed("1", "2", "3", "4", "5"))),
            declare("rank", item),
        )
    )
    runner = StepRunner(services, {"judge": item}, flow)
    for key in ["3", "1", "3", "5", "2", "1", "4", "5", "4", "2"]:
        runner.handle(Task("c1", "judge", key))
    assert [t.step for t in services.queue.sent] == ["rank"]  # type: ignore[attr-defined]
    assert services.documents.get("counters/c1:judge") == {"done": 5}
    steps = services.documents.get("campaigns/c1")["steps"]  # type: ignore[index]
    assert steps["judge"]["status"] == "done" and steps["judge"]["done"] == 5


def test_bad_input_fails_the_campaign_once_and_retry_resumes_it(services: Services) -> None:
    attempts = []

    def step(ctx: StepContext, task: Task) -> StepResult:
        attempts.append(task.name)
        if len(attempts) == 1:
            raise BadInput("the brief has no product photo")
        return StepResult(campaign={"status": "complete"})

    runner = StepRunner(services, {"render": step}, Flow(chain=(declare("render", step),)))
    first = runner.handle(Task("c1", "render"))
    assert first.status == 400 and "product photo" in first.message
    camp = services.documents.get("campaigns/c1")
    assert camp is not None and camp["status"] == "failed" and "product photo" in camp["error"]
    assert runner.handle(Task("c1", "render")).status == 200, "a redelivery does not fail again"
    assert len(attempts) == 1

    [retry] = retry_campaign(services, "c1")
    assert retry.name != Task("c1", "render").name
    assert runner.handle(retry).status == 200
    assert services.documents.get("campaigns/c1")["status"] == "complete"  # type: ignore[index]


def test_transient_errors_answer_503_with_retry_after(services: Services) -> None:
    def step(ctx: StepContext, task: Task) -> StepResult:
        raise TransientError("model overloaded", retry_after=7)

    runner = StepRunner(services, {"write": step})
    auth = SharedTokenAuth("t0k")
    body = json.dumps({"campaign_id": "c1", "step": "write", "key": "-"}).encode()
    answer = handle_task_request(runner, auth, "write", {"Authorization": "Bearer t0k"}, body)
    assert answer.status == 503 and answer.headers == {"Retry-After": "7"}
    assert services.documents.get("runs/c1-write--") is None, "nothing recorded: it will run again"
    forged = handle_task_request(runner, auth, "write", {"Authorization": "Bearer nope"}, body)
    assert forged.status == 401
    garbage = handle_task_request(
        runner, auth, "write", {"Authorization": "Bearer t0k"}, b"{not json"
    )
    assert garbage.status == 422 and "JSON" in garbage.body["error"]


def test_a_lost_enqueue_is_resent_by_the_sweeper(services: Services) -> None:
    def step(ctx: StepContext, task: Task) -> StepResult:
        return StepResult()

    queue = services.queue
    queue.broken = True  # type: ignore[attr-defined]
    runner = StepRunner(services, {"one": step}, one_then_next(step))
    assert runner.handle(Task("c1", "one")).status == 200
    assert len(services.documents.query("outbox")) == 1
    queue.broken = False  # type: ignore[attr-defined]
    assert sweep_outbox(services, older_than_s=0) == 1
    assert [t.step for t in queue.sent] == ["next"]  # type: ignore[attr-defined]
    assert services.documents.query("outbox") == []
