"""Which public routes are configured: each needs its secrets (Slack's, each ad platform's
webhook's), and one whose secrets are not set answers 503 naming them. Shared by every deployable
that serves the routes (Cloud Functions, ``adloop serve``)."""

from __future__ import annotations

from shared.log import get_logger
from shared.platforms import registry as platforms
from shared.settings import Settings

log = get_logger(__name__)

_SLACK_SECRETS = ("slack_signing_secret", "slack_bot_token")
SLACK_NOT_CONFIGURED = (
    "SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not configured: set both to use Slack "
    "(see docs/slack.md)."
)


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
