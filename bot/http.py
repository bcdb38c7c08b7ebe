"""``POST /slack/events`` as a Flask view, for ``adloop serve`` (``infra.app.create_app``)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, request
from slack_bolt.adapter.flask import SlackRequestHandler

from bot.app import build_app
from shared.services import Services
from shared.settings import Settings


def slack_route(services: Services, settings: Settings) -> Callable[[], Response]:
    """The view to mount at ``("POST", "/slack/events")``: commands, events and interactivity."""
    handler = SlackRequestHandler(build_app(services, settings))

    def slack_events() -> Response:
        return handler.handle(request)

    return slack_events
