"""Reactions and thread replies on a creative's message, turned into feedback tasks.

The task key is Slack's event id, so Slack's retries (``X-Slack-Retry-Num``) and repeated
deliveries of one event name the same task: the queue drops the repeat or the runner finds it done.
"""

from __future__ import annotations

from typing import Any

from shared.pipeline.steps.feedback import MAX_FEEDBACK_CHARS
from shared.pipeline.steps.publish import index_path, reaction_tags
from shared.ports.queue import Task
from shared.services import Services

# Message subtypes that are not a person writing (edits, joins, bot posts, file shares…).
_PEOPLE_SUBTYPES = {None, "thread_broadcast"}


def _creative_at(services: Services, channel: str, ts: str) -> dict[str, Any] | None:
    index = services.documents.get(index_path(channel, ts))
    return index if index and index.get("kind") == "creative" else None


def reaction_task(
    services: Services, event: dict[str, Any], event_id: str, *, added: bool
) -> Task | None:
    """The tag task for a reaction on a creative's message; None for anything else."""
    item = event.get("item")
    if (
        not isinstance(item, dict)
        or item.get("type") != "message"
        or str(event.get("reaction")) not in reaction_tags(services)
    ):
        return None
    channel, ts = str(item.get("channel")), str(item.get("ts"))
    creative = _creative_at(services, channel, ts)
    if creative is None:
        return None
    payload = {
        "label": creative["label"],
        "user": event.get("user"),
        "reaction": event["reaction"],
        "added": added,
        "channel": channel,
        "ts": ts,
    }
    return Task(str(creative["campaign_id"]), "tag", event_id, payload=payload, queue="feedback")


def reply_task(services: Services, event: dict[str, Any], event_id: str) -> Task | None:
    """The regenerate task for a person's reply in a creative's thread; None for anything else."""
    if event.get("bot_id") or event.get("subtype") not in _PEOPLE_SUBTYPES:
        return None
    thread_ts, text = event.get("thread_ts"), str(event.get("text") or "").strip()
    if not thread_ts or thread_ts == event.get("ts") or not text or not event.get("user"):
        return None
    channel = str(event.get("channel"))
    creative = _creative_at(services, channel, str(thread_ts))
    if creative is None:
        return None
    payload = {
        "label": creative["label"],
        "user": event["user"],
        "feedback": text[:MAX_FEEDBACK_CHARS],
        "channel": channel,
        "thread_ts": str(thread_ts),
    }
    return Task(
        str(creative["campaign_id"]), "regenerate", event_id, payload=payload, queue="feedback"
    )
