"""Reactions and thread replies on a creative's message, turned into feedback tasks.

The task key is Slack's event id, so Slack's retries (``X-Slack-Retry-Num``) and repeated
deliveries of one event name the same task: the queue drops the repeat or the runner finds it done.
A signed payload of any other shape (a list where Slack sends a string, say) is not a task.
"""

from __future__ import annotations

import re
from typing import Any

from shared.chat_text import from_slack
from shared.pipeline.steps.publish import index_path, reaction_tags
from shared.pipeline.steps.review import MAX_FEEDBACK_CHARS
from shared.pipeline.steps.sources import asks_for_sources
from shared.ports.queue import Task
from shared.services import Services

# Besides no subtype at all, the subtypes that are a person writing (not an edit, a join, a bot
# post, a file share…).
_PEOPLE_SUBTYPES = ("thread_broadcast",)


# Slack's ids (C…, U…, Ev…) and message timestamps (1712345678.000100): they become parts of
# document paths and task names, so nothing else passes.
_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _text(value: Any) -> str | None:
    """``value`` when it is shaped like an id or ts Slack sends, else None (the event is
    ignored: it cannot be about a creative adloop posted)."""
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def _creative_at(services: Services, channel: str, ts: str) -> dict[str, Any] | None:
    index = services.documents.get(index_path(channel, ts))
    return index if index and index.get("kind") == "creative" else None


def reaction_task(
    services: Services, event: dict[str, Any], event_id: str, *, added: bool
) -> Task | None:
    """The tag task for a reaction on a creative's message; None for anything else."""
    item, reaction = event.get("item"), event.get("reaction")  # a name such as +1: not an id
    if (
        _text(event_id) is None
        or not isinstance(reaction, str)
        or not isinstance(item, dict)
        or item.get("type") != "message"
        or reaction not in reaction_tags(services)
    ):
        return None
    channel, ts, user = _text(item.get("channel")), _text(item.get("ts")), _text(event.get("user"))
    if channel is None or ts is None or user is None:
        return None
    creative = _creative_at(services, channel, ts)
    if creative is None:
        return None
    payload = {
        "label": creative["label"],
        "user": user,
        "reaction": reaction,
        "added": added,
        "channel": channel,
        "ts": ts,
    }
    return Task(str(creative["campaign_id"]), "tag", event_id, payload=payload, queue="feedback")


def reply_task(services: Services, event: dict[str, Any], event_id: str) -> Task | None:
    """The regenerate task for a person's reply in a creative's thread (the sources task when the
    reply asks for its claims' sources); None for anything else."""
    subtype, raw = event.get("subtype"), event.get("text")
    if event.get("bot_id") or not (subtype is None or subtype in _PEOPLE_SUBTYPES):
        return None
    if _text(event_id) is None:
        return None
    thread_ts, channel, user = (_text(event.get(k)) for k in ("thread_ts", "channel", "user"))
    # Decoded as the person typed it (``&amp;`` -> ``&``, ``<https://…|x>`` -> the address):
    # the rewrite reads the feedback, not Slack's encoding of it.
    text = from_slack(raw).strip() if isinstance(raw, str) else ""
    if not thread_ts or thread_ts == event.get("ts") or not text or not user or not channel:
        return None
    creative = _creative_at(services, channel, thread_ts)
    if creative is None:
        return None
    where = {"label": creative["label"], "user": user, "channel": channel, "thread_ts": thread_ts}
    if asks_for_sources(text):
        # Asking which source backs each claim is a question, not feedback: no rewrite.
        return Task(
            str(creative["campaign_id"]), "sources", event_id, payload=where, queue="feedback"
        )
    payload = {**where, "feedback": text[:MAX_FEEDBACK_CHARS]}
    return Task(
        str(creative["campaign_id"]), "regenerate", event_id, payload=payload, queue="feedback"
    )
