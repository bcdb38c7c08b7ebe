"""Every route of the public contract on one Flask app (``adloop serve``; the functions reuse
the same handlers one route each)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, jsonify, request

from shared.log import get_logger
from shared.pipeline.runner import StepRunner
from shared.platforms import registry as platforms
from shared.settings import Settings
from shared.task_endpoint import TaskAuth, handle_task_request

log = get_logger(__name__)

# No request body may be larger, however it is sent (Content-Length or chunked).
MAX_BODY_BYTES = 8 * 1024 * 1024
TOO_LARGE = f"request body too large ({MAX_BODY_BYTES // (1024 * 1024)} MiB at most)"

_SLACK_SECRETS = ("slack_signing_secret", "slack_bot_token")
SLACK_NOT_CONFIGURED = (
    "SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not configured: set both to use Slack "
    "(see docs/slack.md)."
)

Handler = Callable[[], Any]


def route_secrets() -> dict[tuple[str, str], tuple[str, ...]]:
    """The secrets (settings fields) each public route needs: Slack's, and each ad platform's
    webhook's (shared/platforms/registry.py). Without one the route answers 503 naming it, and
    ``adloop serve`` says so when it starts; settings read a blank secret as none."""
    return {("POST", "/slack/events"): _SLACK_SECRETS, **platforms.route_secrets()}


def not_configured(settings: Settings, method: str, path: str) -> str | None:
    """What to tell a caller of a route whose secrets are not configured; None when they are."""
    missing = settings.unset(*route_secrets().get((method, path), ()))
    if not missing:
        return None
    return f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not configured"


def warn_disabled_routes(settings: Settings) -> list[str]:
    """Log, once at start, each route that refuses every request for want of a secret."""
    disabled = []
    secrets = route_secrets()
    for method, path in secrets:
        reason = not_configured(settings, method, path)
        if reason:
            route = f"{method} {path}"
            missing = settings.unset(*secrets[(method, path)])
            log.warning(
                "%s is disabled (answers 503): %s",
                route,
                reason,
                extra={"route": route, "missing": missing},
            )
            disabled.append(route)
    return disabled


def create_app(
    runner: StepRunner,
    auth: TaskAuth,
    *,
    extra_routes: dict[tuple[str, str], Handler] | None = None,
) -> Flask:
    app = Flask("adloop")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.wsgi_app = BodyLimit(app.wsgi_app, MAX_BODY_BYTES)  # type: ignore[method-assign]

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
        return jsonify(error=TOO_LARGE), 413

    return app


def _slack_not_configured() -> tuple[Response, int]:
    return jsonify(error=SLACK_NOT_CONFIGURED), 503


class BodyLimit:
    """WSGI middleware: a body over ``limit`` is refused with 413, never cut to the limit.

    Werkzeug applies ``MAX_CONTENT_LENGTH`` to a streamed (chunked) body by stopping at the limit
    and returning what it read, so an oversized chunked body would reach a handler truncated. A
    server that ends the stream itself (``wsgi.input_terminated``: waitress, gunicorn, werkzeug's)
    lets us read one byte past the limit to tell the two apart; the body is then handed on whole,
    with its length.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int) -> None:
        self._app = app
        self._limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
        declared = str(environ.get("CONTENT_LENGTH") or "").strip()
        if not environ.get("wsgi.input_terminated") or (declared and not chunked):
            return self._app(environ, start_response)  # werkzeug checks a declared length
        body = _read_at_most(environ["wsgi.input"], self._limit + 1)
        if len(body) > self._limit:
            start_response(
                "413 Content Too Large",
                [("Content-Type", "application/json"), ("Connection", "close")],
            )
            return [f'{{"error": "{TOO_LARGE}"}}\n'.encode()]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self._app(environ, start_response)


def _read_at_most(stream: Any, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(min(left, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
