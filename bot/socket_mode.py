"""Socket Mode for local development: Slack reaches the bot over a websocket the bot opens, so no
public URL is needed. Used when ``SLACK_APP_TOKEN`` (xapp-…) is set."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import build_app
from shared.services import Services
from shared.settings import Settings


def start_socket_mode(services: Services, settings: Settings) -> SocketModeHandler:
    """Connect in the background; call ``.close()`` on the handler to stop."""
    if settings.slack_app_token is None:
        raise ValueError(
            "Socket Mode needs SLACK_APP_TOKEN (an xapp- token with connections:write)"
        )
    app = build_app(services, settings)
    handler = SocketModeHandler(
        app, settings.slack_app_token.get_secret_value(), web_client=app.client
    )
    handler.connect()  # type: ignore[no-untyped-call]
    return handler
