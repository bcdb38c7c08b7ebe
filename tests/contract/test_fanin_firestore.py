"""Fifty fan-in items finishing at once on the Firestore emulator: every commit goes through
(no transaction contention: each item's transaction touches only its own documents), and the
group closes once with every item's model usage."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from shared.adapters.firestore import FirestoreDocuments
from shared.adapters.local_folder import FolderBlobs
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.creative.offline import OfflineGenerator
from shared.models import Brief, Campaign
from shared.pipeline.campaigns import campaign_view
from shared.pipeline.runner import StepContext, StepResult, StepRunner
from shared.pipeline.stages import Flow, fixed, group, step
from shared.ports.queue import Task
from shared.ports.textgen import Generation
from shared.services import Services
from shared.settings import Settings

ITEMS = 50


class RecordingQueue:
    def __init__(self) -> None:
        self.sent: list[Task] = []
        self._lock = threading.Lock()

    def enqueue(self, task: Task, *, delay_s: float = 0.0) -> bool:
        with self._lock:
            self.sent.append(task)
        return True


def fan_out(ctx: StepContext, task: Task) -> StepResult:
    return StepResult()


def blueprint(ctx: StepContext, task: Task) -> StepResult:
    return StepResult(
        writes={f"campaigns/c1/blueprints/{task.key}": {"label": task.key}},
        calls=[Generation("{}", "fake", "m", 120, 30, 0.0005)],
    )


# govern fans out to fifty blueprint items, one group; the last of them sends rank.
FLOW = Flow(
    chain=(
        step("govern", fan_out),
        group(
            "judge",
            step("blueprint", blueprint, each=fixed(*(f"B{i:02d}" for i in range(1, ITEMS + 1)))),
        ),
        step("rank", fan_out),
    )
)


@pytest.fixture
def services(firestore_host: str, tmp_path: Path) -> Services:
    from google.cloud import firestore

    project = f"adloop-{uuid.uuid4().hex[:12]}"  # a fresh, empty database in the emulator
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FIRESTORE_EMULATOR_HOST", firestore_host)
        client = firestore.Client(project=project)
    docs = FirestoreDocuments(project=project, client=client)
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


def test_fifty_items_finishing_together_all_commit_and_close_once(services: Services) -> None:
    runner = StepRunner(services, {"govern": fan_out, "blueprint": blueprint}, FLOW)
    assert runner.handle(Task("c1", "govern")).status == 200
    start = threading.Barrier(ITEMS)
    errors: list[BaseException] = []

    def deliver(key: str) -> None:
        start.wait()
        try:
            assert runner.handle(Task("c1", "blueprint", key)).status == 200
        except BaseException as e:  # surfaced below; a thread cannot fail the test itself
            errors.append(e)

    pool = [threading.Thread(target=deliver, args=(f"B{i:02d}",)) for i in range(1, ITEMS + 1)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)

    assert errors == []
    sent = services.queue.sent  # type: ignore[attr-defined]
    assert [t.step for t in sent].count("rank") == 1
    view = campaign_view(services, "c1")
    step = view["steps"]["blueprint"]
    assert (step["status"], step["done"], step["total"]) == ("done", ITEMS, ITEMS)
    assert view["usage"]["calls"] == ITEMS and view["usage"]["input_tokens"] == 120 * ITEMS
    assert len(view["blueprints"]) == ITEMS
