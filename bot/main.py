"""The Cloud Function entry point: ``slack_events`` (HTTP trigger, functions-framework).

The composition root runs on the first request of an instance, never at import time.
"""

from __future__ import annotations

from functools import cache

import flask
from slack_bolt.adapter.google_cloud_functions import SlackRequestHandler

from bot.http import guarded
from shared.web.routes import not_configured


@cache
def _handler() -> tuple[SlackRequestHandler, str] | str:
    """Bolt's handler and the signing secret, or why Slack is not configured."""
    from bot.app import build_app
    from shared.bootstrap import bootstrap
    from shared.log import configure
    from shared.settings import Settings

    settings = Settings()
    configure(settings.log_level, project=settings.gcp_project)
    reason = not_configured(settings, "POST", "/slack/events")
    if reason or settings.slack_signing_secret is None:
        return reason or "SLACK_SIGNING_SECRET is not configured"
    handler = SlackRequestHandler(build_app(bootstrap(settings), settings))
    return handler, settings.slack_signing_secret.get_secret_value()


def slack_events(request: flask.Request) -> flask.Response:
    """Slack's commands, events and interactivity, all on one URL."""
    configured = _handler()
    if isinstance(configured, str):  # 503: Slack retries, and works once the secrets are set
        answer = flask.jsonify(error=f"{configured}; see docs/slack.md")
        answer.status_code = 503
        return answer
    handler, secret = configured
    return guarded(request, secret, lambda: handler.handle(request))
