"""Jobs on Cloud Run Jobs: each start is one execution of a deployed job, with overrides.

The job itself (image, GPU, service account, timeout) is declared in terraform; a start only
overrides the container's args and adds env. Building the request and reading an execution's
state are pure functions, unit-tested; there is no Cloud Run emulator.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from shared.adapters.google_errors import CLIENT_ERRORS, translate
from shared.errors import NotFound, PermanentError
from shared.ports.jobs import JobRun

if TYPE_CHECKING:
    from google.cloud.run_v2 import Execution, ExecutionsClient, JobsClient, RunJobRequest


_EXECUTION = re.compile(r"projects/[^/]+/locations/[^/]+/jobs/[^/]+/executions/[^/]+")


def job_path(project: str, region: str, job: str) -> str:
    return f"projects/{project}/locations/{region}/jobs/{job}"


def build_run_job_request(
    *, project: str, region: str, job: str, args: Sequence[str], env: Mapping[str, str]
) -> RunJobRequest:
    """The RunJob request: the job's one container gets ``args`` (replacing its own; an empty
    list keeps them) and ``env`` (merged over its own). Pure."""
    from google.cloud import run_v2

    override = run_v2.RunJobRequest.Overrides.ContainerOverride(
        args=list(args),
        env=[run_v2.EnvVar(name=name, value=value) for name, value in sorted(env.items())],
    )
    return run_v2.RunJobRequest(
        name=job_path(project, region, job),
        overrides=run_v2.RunJobRequest.Overrides(container_overrides=[override]),
    )


def execution_state(execution: Execution) -> JobRun:
    """running | succeeded | failed for an execution, with the failure's reason. Pure."""
    completed = bool(execution.completion_time) or any(
        c.type_ == "Completed" and c.state.name in ("CONDITION_SUCCEEDED", "CONDITION_FAILED")
        for c in execution.conditions
    )
    if not completed:
        return JobRun(execution.name, "running")
    if execution.failed_count or execution.cancelled_count:
        return JobRun(execution.name, "failed", _failure_message(execution))
    if execution.task_count and execution.succeeded_count < execution.task_count:
        return JobRun(execution.name, "failed", _failure_message(execution))
    return JobRun(execution.name, "succeeded")


def _failure_message(execution: Execution) -> str:
    reasons = [c.message for c in execution.conditions if c.message and c.type_ == "Completed"]
    counts = (
        f"{execution.failed_count} failed, {execution.cancelled_count} cancelled, "
        f"{execution.succeeded_count}/{execution.task_count} succeeded"
    )
    logs = f"; logs: {execution.log_uri}" if execution.log_uri else ""
    return "; ".join([*reasons, counts]) + logs


class CloudRunJobRunner:
    """The job-runner port on Cloud Run Jobs. Run ids are execution resource names."""

    def __init__(
        self,
        *,
        project: str,
        region: str,
        client: JobsClient | None = None,
        executions_client: ExecutionsClient | None = None,
        api_endpoint: str | None = None,
    ) -> None:
        self.project = project
        self.region = region
        self.api_endpoint = api_endpoint
        self._jobs = client
        self._executions = executions_client
        self._lock = threading.Lock()

    def _clients(self) -> tuple[JobsClient, ExecutionsClient]:
        with self._lock:
            if self._jobs is None or self._executions is None:
                from google.cloud import run_v2

                kwargs = _endpoint_kwargs(self.api_endpoint)
                self._jobs = self._jobs or run_v2.JobsClient(**kwargs)
                self._executions = self._executions or run_v2.ExecutionsClient(**kwargs)
            return self._jobs, self._executions

    def start(self, job: str, *, args: list[str], env: dict[str, str]) -> JobRun:
        request = build_run_job_request(
            project=self.project, region=self.region, job=job, args=args, env=env
        )
        jobs, _ = self._clients()
        try:
            operation = jobs.run_job(request=request)
        except CLIENT_ERRORS as e:
            raise translate(e, f"starting job {job}") from e
        # The long-running operation's metadata is the new execution.
        execution = operation.metadata
        if execution is None or not execution.name:
            raise PermanentError(f"Cloud Run started job {job} but named no execution")
        return JobRun(execution.name, "running")

    def status(self, run_id: str) -> JobRun:
        if not _EXECUTION.fullmatch(run_id):
            raise NotFound(f"no job run {run_id!r}: run ids are execution resource names")
        _, executions = self._clients()
        try:
            execution = executions.get_execution(name=run_id)
        except CLIENT_ERRORS as e:
            raise translate(e, f"reading job run {run_id}") from e
        return execution_state(execution)


def _endpoint_kwargs(api_endpoint: str | None) -> dict[str, Any]:
    """Client arguments for a Cloud Run Admin API at ``api_endpoint`` (a local stand-in speaks
    its REST form, unauthenticated, like the emulators); none for Google's own."""
    if not api_endpoint:
        return {}
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials

    return {
        "transport": "rest",
        "client_options": ClientOptions(api_endpoint=api_endpoint),
        "credentials": AnonymousCredentials(),  # type: ignore[no-untyped-call]
    }
