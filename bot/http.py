"""``POST /slack/events`` as a Flask view, for ``adloop serve`` (``infra.app.create_app``) and
the Cloud Function (``bot.main``).

The signature is checked on the raw body before anything parses it, so a stranger's request is a
401 whatever it holds, and whatever its headers hold; a signed request Bolt cannot read is a
400, never a 500 that Slack would retry."""

from __future__ import annotations

import time
from collections.abc import Callable

import flask
from flask import Response, jsonify, request
from slack_bolt.adapter.flask import SlackRequestHandler

from bot.app import build_app
from shared.log import get_logger
from shared.services import Services
from shared.settings import Settings
from shared.signing import hmac_sha256_hex, matches, unix_seconds, within

log = get_logger(__name__)

# Slack signs ``v0:<timestamp>:<raw body>`` with the app's signing secret (HMAC-SHA256, hex) in
# ``X-Slack-Signature: v0=<hex>``, and asks apps to refuse timestamps more than five minutes off:
# https://api.slack.com/authentication/verifying-requests-from-slack
SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
TOLERANCE_S = 300


def slack_route(services: Services, settings: Settings) -> Callable[[], Response]:
    """The view to mount at ``("POST", "/slack/events")``: commands, events and interactivity."""
    if settings.slack_signing_secret is None:
        raise ValueError("SLACK_SIGNING_SECRET is not configured; see docs/slack.md")
    secret = settings.slack_signing_secret.get_secret_value()
    handler = SlackRequestHandler(build_app(services, settings))

    def slack_events() -> Response:
        return guarded(request, secret, lambda: handler.handle(request))

    return slack_events


def guarded(
    req: flask.Request,
    secret: str,
    handle: Callable[[], Response],
    *,
    clock: Callable[[], float] = time.time,
) -> Response:
    """401 unless Slack signed this body in the last five minutes; 400 if it cannot be read."""
    try:
        req.get_data().decode("utf-8")
    except UnicodeDecodeError:
        return _answer(400, "a Slack request body is UTF-8 text")
    if not signed(req.get_data(), req.headers, secret, clock()):
        return _answer(401, "invalid or stale Slack signature")
    try:
        return handle()
    except Exception:  # Bolt parsing a signed but malformed body
        log.warning("unreadable Slack request", exc_info=True)
        return _answer(400, "adloop could not read that Slack request")


def signed(body: bytes, headers: object, secret: str, now: float) -> bool:
    """Whether Slack signed ``body`` within five minutes of ``now``. Total: any header value
    (missing, repeated, not ASCII, ``"²"``, megabytes long) is False, never an exception."""
    get = getattr(headers, "get", None)
    if get is None or not secret.strip():
        return False
    timestamp, signature = get(TIMESTAMP_HEADER), get(SIGNATURE_HEADER)
    seconds = unix_seconds(timestamp)
    if seconds is None or not isinstance(timestamp, str) or not within(seconds, now, TOLERANCE_S):
        return False
    expected = "v0=" + hmac_sha256_hex(secret, b"v0:" + timestamp.encode() + b":" + body)
    return matches(signature, expected)


def _answer(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    return response
