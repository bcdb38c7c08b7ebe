"""Cloud Functions (gen2) entry points: one per step of the flow, plus the scheduled ones.

Each is thin: it hands the request to the shared task endpoint, which authenticates the caller
(the queue's OIDC identity), decodes the task, runs the step and maps the outcome to a status.
Deploy each with ``--entry-point <name>``; terraform does that for every name in STEP_FUNCTIONS,
the steps of shared/pipeline/flow.py (tests/infra/test_flow.py checks it).
The composition root runs on the first request, not at import.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import flask

from shared.adapters.cloud_tasks import target_url
from shared.bootstrap import bootstrap
from shared.log import configure
from shared.pipeline.runner import StepRunner
from shared.pipeline.store import sweep_outbox
from shared.pipeline.watchdog import find_stalled
from shared.settings import Settings
from shared.steps import FLOW, STEPS
from shared.task_endpoint import (
    HttpAnswer,
    OidcAuth,
    TaskAuth,
    handle_scheduled_request,
    handle_task_request,
)


@cache
def _runtime() -> tuple[StepRunner, Settings]:
    settings = Settings()
    configure(settings.log_level, project=settings.gcp_project)
    if not settings.tasks_base_url or not settings.tasks_service_account:
        raise RuntimeError("set ADLOOP_TASKS_BASE_URL and ADLOOP_TASKS_SERVICE_ACCOUNT")
    return StepRunner(bootstrap(settings), STEPS, FLOW), settings


@cache
def _auth(function: str) -> TaskAuth:
    """Each function accepts OIDC tokens minted for its own URL, by the queue's identity."""
    _, settings = _runtime()
    base, account = settings.tasks_base_url or "", settings.tasks_service_account or ""
    return OidcAuth(
        target_url(base, function, per_function=True), account, certs_url=settings.oidc_certs_url
    )


def _step(name: str) -> Any:
    def entry(request: flask.Request) -> tuple[dict[str, Any], int, dict[str, str]]:
        runner, _ = _runtime()
        auth = _auth(name)
        answer = handle_task_request(runner, auth, name, request.headers, request.get_data())
        return answer.body, answer.status, answer.headers

    entry.__name__ = name
    return entry


STEP_FUNCTIONS = FLOW.names

# One entry point per step, named as the step (functions-framework looks the target up by name).
for _name in STEP_FUNCTIONS:
    globals()[_name] = _step(_name)


@cache
def _webhooks() -> dict[tuple[str, str], Any]:
    from shared.web.webhooks import webhook_routes

    runner, settings = _runtime()
    return webhook_routes(runner.services, settings)


def _webhook(path: str) -> Any:
    def entry(request: flask.Request) -> Any:
        view = _webhooks().get((request.method, path))
        if view is None:
            return {"error": f"{request.method} is not accepted here"}, 405
        return view()

    return entry


webhook_meta = _webhook("/webhooks/meta")
webhook_tiktok = _webhook("/webhooks/tiktok")
webhook_google_ads = _webhook("/webhooks/google-ads")


def slack_events(request: flask.Request) -> Any:
    """Slack's commands, events and interactivity (the Bolt app; it verifies signatures)."""
    from bot.main import slack_events as handle

    return handle(request)


def _scheduled(name: str, job: Callable[[StepRunner, Settings], dict[str, Any]]) -> Any:
    """A function Cloud Scheduler calls: OIDC-authenticated like the queue; a refused caller
    gets 401/403, a transient failure 503 (the scheduler retries), never an unhandled 500."""

    def entry(request: flask.Request) -> tuple[dict[str, Any], int, dict[str, str]]:
        runner, settings = _runtime()
        answer: HttpAnswer = handle_scheduled_request(
            _auth(name), name, request.headers, lambda: job(runner, settings)
        )
        return answer.body, answer.status, answer.headers

    entry.__name__ = name
    return entry


def _sweep(runner: StepRunner, settings: Settings) -> dict[str, Any]:
    """Every minute: re-send outbox tasks committed but never enqueued; report stalled ones."""
    resent = sweep_outbox(runner.services)
    stalled = find_stalled(runner.services, stalled_after_s=settings.stalled_after_s)
    return {"resent": resent, "stalled": stalled}


def _insights_pull(runner: StepRunner, settings: Settings) -> dict[str, Any]:
    """Every six hours: ask Meta and TikTok for their recent figures, retrain the ranker
    (shared/loop/pull.py)."""
    from shared.loop.pull import pull_performance

    return pull_performance(runner.services, settings)


def _digest(runner: StepRunner, settings: Settings) -> dict[str, Any]:
    """Daily: what is winning, as a table and a chart, in the Slack channel."""
    from shared.loop.report import build_report
    from shared.ports.chat import Posted

    chat = runner.services.chat
    if chat is None or not settings.slack_channel:
        return {"posted": False, "reason": "Slack or ADLOOP_SLACK_CHANNEL is not configured"}
    report = build_report(runner.services, None)
    chat.upload_file(
        Posted(settings.slack_channel, ""),
        filename="adloop-digest.png",
        data=report.png_bytes,
        title=report.text,
    )
    return {"posted": True}


sweep = _scheduled("sweep", _sweep)
insights_pull = _scheduled("insights_pull", _insights_pull)
digest = _scheduled("digest", _digest)
