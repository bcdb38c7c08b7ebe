"""The Export buttons on a finished campaign's message, turned into ``export`` tasks.

A click is acknowledged at once; the export itself (who may, what is approved, the file, the
upload) is the ``export`` step's job on the feedback queue. The task key is the platform and the
click's ``action_ts`` (unique per click), so the same click delivered twice names one task, and a
second click is a second export.
"""

from __future__ import annotations

import re
from typing import Any

from shared.adapters.slack_web import EXPORT_ACTION_PREFIX, EXPORT_PLATFORMS
from shared.ports.queue import Task

ACTION = re.compile(
    "^" + re.escape(EXPORT_ACTION_PREFIX) + "(" + "|".join(p for p, _ in EXPORT_PLATFORMS) + ")$"
)


def export_task(body: dict[str, Any]) -> Task | None:
    """The export task for a ``block_actions`` click on an Export button; None for anything else
    (another action, a payload missing the user, the channel or the campaign)."""
    actions = body.get("actions") or []
    action = actions[0] if actions and isinstance(actions[0], dict) else {}
    match = ACTION.match(str(action.get("action_id") or ""))
    campaign_id = str(action.get("value") or "")
    container = body.get("container") or {}
    user = (body.get("user") or {}).get("id")
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    click = action.get("action_ts") or body.get("trigger_id")
    message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts") or ""
    if match is None or not (campaign_id and user and channel and click):
        return None
    platform = match.group(1)
    payload = {
        "platform": platform,
        "user": str(user),
        "channel": str(channel),
        "thread_ts": str(message_ts),
    }
    return Task(campaign_id, "export", f"{platform}-{click}", payload=payload, queue="feedback")
