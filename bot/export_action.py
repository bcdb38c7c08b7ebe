"""The Export buttons on a finished campaign's message, turned into ``export`` tasks.

A click is acknowledged at once; the export itself (who may, what is approved, the file, the
upload) is the ``export`` step's job on the feedback queue. The task key is the platform and the
click's ``action_ts`` (unique per click), so the same click delivered twice names one task, and a
second click is a second export.
"""

from __future__ import annotations

import re
from typing import Any

from shared.adapters.slack_web import EXPORT_ACTION_PREFIX
from shared.platforms.registry import PLATFORMS
from shared.ports.queue import Task

# Every Export button's action id; which platforms there are is the registry's to say, when the
# click comes (export_task), so the listener takes any platform-shaped id.
ACTION = re.compile("^" + re.escape(EXPORT_ACTION_PREFIX) + "([a-z][a-z0-9_]*)$")


def export_task(body: dict[str, Any]) -> Task | None:
    """The export task for a ``block_actions`` click on an Export button; None for anything else
    (another action, a payload missing the user, the channel or the campaign)."""
    actions = _list(body.get("actions"))
    action = _dict(actions[0] if actions else None)
    match = ACTION.match(str(action.get("action_id") or ""))
    campaign_id = _str(action.get("value"))
    container = _dict(body.get("container"))
    user = _str(_dict(body.get("user")).get("id"))
    channel = _str(container.get("channel_id")) or _str(_dict(body.get("channel")).get("id"))
    click = _str(action.get("action_ts")) or _str(body.get("trigger_id"))
    message_ts = _str(container.get("message_ts")) or _str(_dict(body.get("message")).get("ts"))
    if match is None or not (campaign_id and user and channel and click):
        return None
    platform = match.group(1)
    if platform not in PLATFORMS:
        return None
    payload = {
        "platform": platform,
        "user": user,
        "channel": channel,
        "thread_ts": message_ts,
    }
    return Task(campaign_id, "export", f"{platform}-{click}", payload=payload, queue="feedback")


# A signed payload of another shape than Slack's is no click: each part is read only as what
# Slack sends there (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
