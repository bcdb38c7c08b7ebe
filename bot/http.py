"""``POST /slack/events`` as a Flask view, for ``adloop serve`` (``infra.app.create_app``) and
the Cloud Function (``bot.main``).

The signature is checked on the raw body before anything parses it, so a stranger's request is a
401 whatever it holds; a signed request Bolt cannot read is a 400, never a 500 that Slack would
retry."""

from __future__ import annotations

from collections.abc import Callable

import flask
from flask import Response, jsonify, request
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.app import build_app
from shared.log import get_logger
from shared.services import Services
from shared.settings import Settings

log = get_logger(__name__)


def slack_route(services: Services, settings: Settings) -> Callable[[], Response]:
    """The view to mount at ``("POST", "/slack/events")``: commands, events and interactivity."""
    handler = SlackRequestHandler(build_app(services, settings))
    secret = settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value() if secret else "")

    def slack_events() -> Response:
        return guarded(request, verifier, lambda: handler.handle(request))

    return slack_events


def guarded(
    req: flask.Request, verifier: SignatureVerifier, handle: Callable[[], Response]
) -> Response:
    """401 unless Slack signed this body in the last five minutes; 400 if it cannot be read."""
    try:
        req.get_data().decode("utf-8")
    except UnicodeDecodeError:
        return _answer(400, "a Slack request body is UTF-8 text")
    if not signed(req, verifier):
        return _answer(401, "invalid or stale Slack signature")
    try:
        return handle()
    except Exception:  # Bolt parsing a signed but malformed body
        log.warning("unreadable Slack request", exc_info=True)
        return _answer(400, "adloop could not read that Slack request")


def signed(req: flask.Request, verifier: SignatureVerifier) -> bool:
    timestamp = req.headers.get("X-Slack-Request-Timestamp", "")
    signature = req.headers.get("X-Slack-Signature", "")
    if not timestamp.isdigit() or not signature:
        return False
    # is_valid compares in constant time and refuses timestamps outside the five-minute window.
    return bool(verifier.is_valid(body=req.get_data(), timestamp=timestamp, signature=signature))


def _answer(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    return response
