"""Every route of the public contract on one Flask app (``adloop serve``; the functions reuse
the same handlers one route each)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, jsonify, request

from shared.log import get_logger
from shared.pipeline.runner import StepRunner
from shared.task_endpoint import TaskAuth, handle_task_request
from shared.web.routes import SLACK_NOT_CONFIGURED

log = get_logger(__name__)

# No request body may be larger, however it is sent (Content-Length or chunked).
MAX_BODY_BYTES = 8 * 1024 * 1024
TOO_LARGE = f"request body too large ({MAX_BODY_BYTES // (1024 * 1024)} MiB at most)"

Handler = Callable[[], Any]


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
