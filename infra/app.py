"""Every route of the public contract on one Flask app (``adloop serve``; the functions reuse
the same handlers one route each)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request

from shared.pipeline.runner import StepRunner
from shared.task_endpoint import TaskAuth, handle_task_request

# Slack's route without Slack configured answers 501 with what to set.
SLACK_NOT_CONFIGURED = (
    "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (see docs/slack.md)."
)

Handler = Callable[[], Any]


def create_app(
    runner: StepRunner,
    auth: TaskAuth,
    *,
    extra_routes: dict[tuple[str, str], Handler] | None = None,
) -> Flask:
    app = Flask("adloop")
    app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(ok=True)

    @app.post("/tasks/<step>")
    def task(step: str) -> tuple[Response, int, dict[str, str]]:
        answer = handle_task_request(runner, auth, step, request.headers, request.get_data())
        return jsonify(answer.body), answer.status, answer.headers

    routes = {("POST", "/slack/events"): _slack_not_configured, **(extra_routes or {})}
    for (method, path), handler in routes.items():
        app.add_url_rule(path, f"{method} {path}", handler, methods=[method])

    @app.errorhandler(404)
    def not_found(_: Exception) -> tuple[Response, int]:
        return jsonify(error="no such route; see docs/contract.md"), 404

    @app.errorhandler(413)
    def too_large(_: Exception) -> tuple[Response, int]:
        return jsonify(error="request body too large (8 MiB at most)"), 413

    return app


def _slack_not_configured() -> tuple[Response, int]:
    return jsonify(error=SLACK_NOT_CONFIGURED), 501
