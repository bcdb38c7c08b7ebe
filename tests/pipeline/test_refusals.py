"""Tasks the flow could never have sent are refused and change nothing; a campaign that is
complete stays complete whatever fails after it. Run on the real flow (shared/pipeline/flow.py),
real SQLite, and steps that record whether they ran."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.adapters.local_folder import FolderBlobs
from shared.adapters.sqlite import SqliteDocuments
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.creative.offline import OfflineGenerator
from shared.errors import NotFound
from shared.models import Brief, Campaign
from shared.pipeline.flow import FLOW
from shared.pipeline.runner import StepContext, StepResult, StepRunner
from shared.pipeline.store import marker_path
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings
from tests.pipeline.test_runner import RecordingQueue

RAN: list[str] = []


def recorded(ctx: StepContext, task: Task) -> StepResult:
    RAN.append(task.name)
    return StepResult()


def no_such_creative(ctx: StepContext, task: Task) -> StepResult:
    raise NotFound(f"no creative {task.key} to judge")


@pytest.fixture
def services(tmp_path: Path) -> Services:
    RAN.clear()
    docs = SqliteDocuments(tmp_path / "state.db")
    brief = Brief(product="Widget", offer="10% off", persona="makers", market="US", variations=3)
    docs.set("campaigns/c1", Campaign(id="c1", brief=brief).model_dump(mode="json"))
    return Services(
        settings=Settings(home=tmp_path),
        documents=docs,
        blobs=FolderBlobs(tmp_path / "blobs"),
        queue=RecordingQueue(),
        jobs=SubprocessJobRunner(tmp_path / "jobs"),
        textgen=lambda step: OfflineGenerator(),
    )


def runner(services: Services, **steps: object) -> StepRunner:
    runs = {name: steps.get(name, recorded) for name in FLOW.names}
    return StepRunner(services, runs, FLOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("step", "key", "reason"),
    [
        ("intake", "Z", "once per campaign"),
        ("rank", "..", "once per campaign"),
        ("blueprint", "-", "no '-'"),
        ("blueprint", "Bxx", "no 'Bxx'"),
        ("blueprint", "B04", "no 'B04'"),  # the brief asks for 3 variations
        ("render", "V9", "no 'V9'"),
    ],
)
def test_a_key_the_flow_never_sends_is_refused_and_changes_nothing(
    services: Services, step: str, key: str, reason: str
) -> None:
    before = services.documents.get("campaigns/c1")
    task = Task("c1", step, key, queue=FLOW.spec(step).queue)

    outcome = runner(services).handle(task)

    assert outcome.status == 400
    assert reason in outcome.message
    assert RAN == []
    assert services.documents.get("campaigns/c1") == before
    # Kept on the task's marker, so a redelivery is told "already done" and not run.
    assert reason in (services.documents.get(marker_path(task)) or {})["refused"]
    assert runner(services).handle(task).message == "already done"


def test_the_keys_the_flow_sends_run(services: Services) -> None:
    run = runner(services)
    for task in [Task("c1", "intake"), Task("c1", "blueprint", "B03"), Task("c1", "render", "V5")]:
        assert run.handle(task).status == 200
    assert len(RAN) == 3


def test_a_task_with_a_bad_payload_is_refused_and_the_campaign_does_not_fail(
    services: Services,
) -> None:
    before = services.documents.get("campaigns/c1")
    task = Task("c1", "tag", "A", {"label": "A"}, queue="feedback")

    outcome = runner(services).handle(task)

    assert outcome.status == 400
    assert "user (str)" in outcome.message
    assert services.documents.get("campaigns/c1") == before


def test_a_complete_campaign_stays_complete_when_a_late_task_fails(services: Services) -> None:
    camp = services.documents.get("campaigns/c1") or {}
    services.documents.set("campaigns/c1", {**camp, "status": "complete"})
    task = Task("c1", "judge", "Z")

    outcome = runner(services, judge=no_such_creative).handle(task)

    assert outcome.status == 404
    stored = services.documents.get("campaigns/c1") or {}
    assert stored["status"] == "complete"
    assert "failed_tasks" not in stored
    assert "no creative Z" in (services.documents.get(marker_path(task)) or {})["failed"]
    assert runner(services).handle(task).message == "already done"  # a redelivery stops here


def test_a_running_campaign_still_fails_on_a_failed_step(services: Services) -> None:
    task = Task("c1", "judge", "Z")

    runner(services, judge=no_such_creative).handle(task)

    stored = services.documents.get("campaigns/c1") or {}
    assert stored["status"] == "failed"
    assert task.name in stored["failed_tasks"]
