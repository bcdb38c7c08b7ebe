"""The ad platforms adloop exports to and reads performance from, by id.

Every list of platforms in adloop reads this one: the CLI's ``--platform`` choices, the Slack
Export buttons and their clicks, the export step, lint-copy, ingest, the webhook routes and
their secrets. A new platform is its module (``meta.py`` is the fullest example) plus its line
here. One with a webhook is also deployed: its secrets as Settings fields, its function in
functions/main.py (one line: Cloud Functions need a named entry point, and the tests trace what
it may enqueue from its source) and in terraform (``ad_platforms``, ``public_functions``,
``webhook_urls``); ``tests/infra/test_platforms_deployed.py`` fails until they match this
registry, and ``tests/loop/test_platform_registry.py`` shows every consumer taking a new one.
"""

from __future__ import annotations

from shared.platforms import google, meta, tiktok
from shared.platforms.limits import LimitFinding
from shared.platforms.platform import Platform, Webhook

PLATFORMS: dict[str, Platform] = {
    p.id: p
    for p in (
        meta.PLATFORM,
        google.PLATFORM,
        tiktok.PLATFORM,
    )
}


def webhooks() -> list[tuple[Platform, Webhook]]:
    """The platforms that push to adloop, with their webhooks, in registry order."""
    return [(p, p.webhook) for p in PLATFORMS.values() if p.webhook is not None]


def route_secrets() -> dict[tuple[str, str], tuple[str, ...]]:
    """The Settings fields each webhook route needs, by (method, path)."""
    return {
        route: fields for _, hook in webhooks() for route, fields in hook.route_secrets().items()
    }


def display_name(platform: str) -> str:
    """What messages call ``platform`` (the id as given when no such platform is registered)."""
    known = PLATFORMS.get(platform)
    return known.name if known else platform


def check(fields: dict[str, str], platform: str) -> list[LimitFinding]:
    """Every limit ``fields`` break on ``platform`` (an id: ``meta``, ``google``, …); see
    :meth:`Platform.check`. Raises ``ValueError`` for an unknown platform."""
    return _get(platform).check(fields)


def length(text: str, platform: str = "meta") -> int:
    """Characters as ``platform`` counts them (:mod:`shared.platforms.limits`)."""
    return _get(platform).length(text)


def _get(platform: str) -> Platform:
    found = PLATFORMS.get(platform)
    if found is None:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}")
    return found
