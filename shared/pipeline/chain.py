"""Where a campaign starts, and what follows the ranking: rendering when enabled, posting when
Slack is configured, then the end. One place decides, so steps need not know which optional
stages a deployment runs."""

from __future__ import annotations

from shared.ports.queue import Task
from shared.settings import Settings

FIRST_STEP = "intake"
VIDEOS = ("V1", "V2", "V3", "V4", "V5")


def after_rank(campaign_id: str, settings: Settings) -> list[Task]:
    if settings.render:
        return [Task(campaign_id, "render", v, queue="render") for v in VIDEOS]
    return after_render(campaign_id, settings)


def after_render(campaign_id: str, settings: Settings) -> list[Task]:
    if settings.slack_bot_token is not None:
        return [Task(campaign_id, "publish")]
    return [Task(campaign_id, "finalize")]
