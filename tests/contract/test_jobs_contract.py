"""The job-runner port's contract, and the Cloud Run Jobs adapter's request and state mapping.

There is no Cloud Run emulator: the contract runs on the subprocess runner and, through the real
``run_v2`` clients, on the local cloud's Cloud Run Admin API stand-in; the request building and
state mapping are also checked against a local server speaking the Admin API's REST format.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials

from shared.adapters.cloud_run_jobs import (
    CloudRunJobRunner,
    build_run_job_request,
    execution_state,
)
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.errors import NotFound, PermanentError
from shared.ports.jobs import JobRun, JobRunner
from tests.contract.emulators import REPO
from tests.fakes import FakeResponse, LoopbackServer, RecordedRequest


def wait_done(runner: JobRunner, run_id: str, timeout_s: float = 30.0) -> JobRun:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run = runner.status(run_id)
        if run.state != "running":
            return run
        time.sleep(0.05)
    raise AssertionError(f"{run_id} still running after {timeout_s} s")


class JobsContract:
    """Every job runner must pass these. Subclasses provide ``runner`` with a job named "echo"
    whose container runs ``tests.contract.job_module``."""

    def test_a_job_runs_with_its_args_and_env(self, runner: JobRunner, tmp_path: Path) -> None:
        out = tmp_path / "out.json"
        run = runner.start("echo", args=[str(out), "ok"], env={"ADLOOP_CONTRACT_MARK": "m-1"})
        assert run.state == "running"
        done = wait_done(runner, run.id)
        assert (done.id, done.state) == (run.id, "succeeded")
        assert json.loads(out.read_text()) == {"args": [str(out), "ok"], "mark": "m-1"}

    def test_a_failing_job_is_failed_with_its_reason(
        self, runner: JobRunner, tmp_path: Path
    ) -> None:
        run = runner.start("echo", args=[str(tmp_path / "x"), "fail"], env={})
        done = wait_done(runner, run.id)
        assert done.state == "failed"
        assert "boom: the render spec names no scenes" in done.message

    def test_an_unknown_job_is_refused(self, runner: JobRunner) -> None:
        with pytest.raises(PermanentError):
            runner.start("no-such-job", args=[], env={})

    def test_status_of_an_unknown_run_is_not_found(self, runner: JobRunner) -> None:
        with pytest.raises(NotFound):
            runner.status("echo-000000000000")


class TestSubprocessJobRunner(JobsContract):
    @pytest.fixture
    def runner(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SubprocessJobRunner:
        # The child runs ``python -m tests.contract.job_module``: it needs the repo on its path.
        monkeypatch.setenv("PYTHONPATH", str(REPO))
        return SubprocessJobRunner(tmp_path / "logs", modules={"echo": "tests.contract.job_module"})


class TestCloudRunJobRunner(JobsContract):
    """Through the real run_v2 clients (REST) against the local cloud's Cloud Run Admin API,
    which runs each execution as a process (tests/e2e/cloud_run_admin.py)."""

    @pytest.fixture
    def runner(self, tmp_path: Path) -> Iterator[CloudRunJobRunner]:
        import os
        import sys

        from tests.e2e.cloud_run_admin import CloudRunAdmin

        admin = CloudRunAdmin(
            {"echo": {}},
            base_env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)},
            log_dir=tmp_path,
            command=[sys.executable, "-m", "tests.contract.job_module"],
            cwd=REPO,
        ).start()
        yield CloudRunJobRunner(project="p", region="europe-west4", api_endpoint=admin.url)
        admin.stop()


# --- Cloud Run Jobs: the pure parts ---


def test_run_job_request_overrides_args_and_env() -> None:
    request = build_run_job_request(
        project="p",
        region="europe-west4",
        job="render",
        args=["--spec", "s.json"],
        env={"B": "2", "A": "1"},
    )
    assert request.name == "projects/p/locations/europe-west4/jobs/render"
    (override,) = request.overrides.container_overrides
    assert list(override.args) == ["--spec", "s.json"]
    assert [(e.name, e.value) for e in override.env] == [("A", "1"), ("B", "2")]


def execution(**fields: Any) -> Any:
    from google.cloud import run_v2

    return run_v2.Execution(name="projects/p/locations/r/jobs/render/executions/e1", **fields)


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"task_count": 1, "running_count": 1}, "running"),
        ({"task_count": 1, "succeeded_count": 1, "completion_time": {"seconds": 9}}, "succeeded"),
        ({"task_count": 1, "failed_count": 1, "completion_time": {"seconds": 9}}, "failed"),
        ({"task_count": 2, "succeeded_count": 1, "completion_time": {"seconds": 9}}, "failed"),
        ({"task_count": 1, "cancelled_count": 1, "completion_time": {"seconds": 9}}, "failed"),
    ],
)
def test_execution_state(fields: dict[str, Any], state: str) -> None:
    assert execution_state(execution(**fields)).state == state


def test_a_failed_execution_says_why() -> None:
    from google.cloud import run_v2

    failed = execution(
        task_count=1,
        failed_count=1,
        completion_time={"seconds": 9},
        log_uri="https://console.cloud.google.com/logs/x",
        conditions=[
            run_v2.Condition(
                type_="Completed",
                state=run_v2.Condition.State.CONDITION_FAILED,
                message="Task render-e1-task0 failed: exit code 3",
            )
        ],
    )
    message = execution_state(failed).message
    assert "exit code 3" in message and "logs: https://console.cloud.google.com/logs/x" in message


# --- Cloud Run Jobs: the real client against a local Admin API (REST wire format) ---

EXECUTION = "projects/p/locations/r/jobs/render/executions/render-x7k2p"


class FakeCloudRun:
    """Answers RunJob with an operation whose metadata is the execution, and GetExecution with
    the states in ``states``, in order."""

    def __init__(self, states: list[dict[str, Any]]) -> None:
        self.states = states

    def __call__(self, request: RecordedRequest) -> FakeResponse:
        if request.method == "POST" and request.path.endswith("/jobs/render:run"):
            metadata = {"@type": "type.googleapis.com/google.cloud.run.v2.Execution"}
            return FakeResponse(
                200, {"name": "operations/o1", "metadata": metadata | {"name": EXECUTION}}
            )
        if request.method == "GET" and request.path == f"/v2/{EXECUTION}" and self.states:
            return FakeResponse(200, {"name": EXECUTION, **self.states.pop(0)})
        return FakeResponse(
            404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}
        )


@pytest.fixture
def cloud_run() -> Iterator[tuple[CloudRunJobRunner, LoopbackServer]]:
    from google.cloud import run_v2

    done = {"taskCount": 1, "failedCount": 1, "completionTime": "2030-01-01T00:00:09Z"}
    with LoopbackServer(FakeCloudRun([{"taskCount": 1, "runningCount": 1}, done])) as server:
        options = {"api_endpoint": server.url}
        credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        runner = CloudRunJobRunner(
            project="p",
            region="r",
            client=run_v2.JobsClient(
                transport="rest", client_options=options, credentials=credentials
            ),
            executions_client=run_v2.ExecutionsClient(
                transport="rest", client_options=options, credentials=credentials
            ),
        )
        yield runner, server


def test_cloud_run_start_and_status_over_the_wire(
    cloud_run: tuple[CloudRunJobRunner, LoopbackServer],
) -> None:
    runner, server = cloud_run
    run = runner.start("render", args=["--spec", "gs://b/spec.json"], env={"ADLOOP_RUN": "r1"})
    assert run == JobRun(EXECUTION, "running")
    sent = server.requests[0]
    assert sent.path == "/v2/projects/p/locations/r/jobs/render:run"
    assert sent.json == {
        "overrides": {
            "containerOverrides": [
                {
                    "args": ["--spec", "gs://b/spec.json"],
                    "env": [{"name": "ADLOOP_RUN", "value": "r1"}],
                }
            ]
        }
    }
    assert runner.status(run.id).state == "running"
    assert runner.status(run.id).state == "failed"
    with pytest.raises(NotFound):
        runner.status(run.id)
