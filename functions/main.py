"""Cloud Functions (gen2) entry points: one per pipeline step, plus the outbox sweeper.

Each is thin: it hands the request to the shared task endpoint, which authenticates the caller
(the queue's OIDC identity), decodes the task, runs the step and maps the outcome to a status.
Deploy each with ``--entry-point <name>``; terraform does that for every name in STEP_FUNCTIONS.
The composition root runs on the first request, not at import.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import flask

from shared.bootstrap import bootstrap
from shared.log import configure
from shared.pipeline.registry import STEPS
from shared.pipeline.runner import StepRunner, sweep_outbox
from shared.settings import Settings
from shared.task_endpoint import OidcAuth, TaskAuth, handle_task_request


@cache
def _runtime() -> tuple[StepRunner, TaskAuth]:
    settings = Settings()
    configure(settings.log_level, project=settings.gcp_project)
    if not settings.tasks_base_url or not settings.tasks_service_account:
        raise RuntimeError("set ADLOOP_TASKS_BASE_URL and ADLOOP_TASKS_SERVICE_ACCOUNT")
    runner = StepRunner(bootstrap(settings), STEPS)
    return runner, OidcAuth(settings.tasks_base_url, settings.tasks_service_account)


def _step(name: str) -> Any:
    def entry(request: flask.Request) -> tuple[dict[str, Any], int, dict[str, str]]:
        runner, auth = _runtime()
        answer = handle_task_request(runner, auth, name, request.headers, request.get_data())
        return answer.body, answer.status, answer.headers

    entry.__name__ = name
    return entry


STEP_FUNCTIONS = tuple(STEPS)

intake = _step("intake")
angles = _step("angles")
write = _step("write")
validate = _step("validate")
govern = _step("govern")
judge = _step("judge")
blueprint = _step("blueprint")
rank = _step("rank")
render = _step("render")
finalize = _step("finalize")
publish = _step("publish")
progress = _step("progress")
tag = _step("tag")
regenerate = _step("regenerate")


def slack_events(request: flask.Request) -> Any:
    """Slack's commands, events and interactivity (the Bolt app; it verifies signatures)."""
    from bot.main import slack_events as handle

    return handle(request)


def sweep(request: flask.Request) -> tuple[dict[str, Any], int]:
    """Cloud Scheduler calls this every minute (OIDC-authenticated, like the queue)."""
    runner, auth = _runtime()
    auth.verify(request.headers)
    return {"resent": sweep_outbox(runner.services)}, 200
