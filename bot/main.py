"""The Cloud Function entry point: ``slack_events`` (HTTP trigger, functions-framework).

The composition root runs on the first request of an instance, never at import time.
"""

from __future__ import annotations

from functools import cache

import flask
from slack_bolt.adapter.google_cloud_functions import SlackRequestHandler

from bot.app import build_app


@cache
def _handler() -> SlackRequestHandler:
    from shared.bootstrap import bootstrap
    from shared.log import configure
    from shared.settings import Settings

    settings = Settings()
    configure(settings.log_level, project=settings.gcp_project)
    return SlackRequestHandler(build_app(bootstrap(settings), settings))


def slack_events(request: flask.Request) -> flask.Response:
    """Slack's commands, events and interactivity, all on one URL."""
    return _handler().handle(request)
