"""The Cloud Function entry point: ``slack_events`` (HTTP trigger, functions-framework).

The composition root runs on the first request of an instance, never at import time.
"""

from __future__ import annotations

from functools import cache

import flask
from slack_bolt.adapter.google_cloud_functions import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.app import build_app
from bot.http import guarded


@cache
def _handler() -> tuple[SlackRequestHandler, SignatureVerifier]:
    from shared.bootstrap import bootstrap
    from shared.log import configure
    from shared.settings import Settings

    settings = Settings()
    configure(settings.log_level, project=settings.gcp_project)
    secret = settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value() if secret else "")
    return SlackRequestHandler(build_app(bootstrap(settings), settings)), verifier


def slack_events(request: flask.Request) -> flask.Response:
    """Slack's commands, events and interactivity, all on one URL."""
    handler, verifier = _handler()
    return guarded(request, verifier, lambda: handler.handle(request))
