"""The chat port on the Slack Web API (slack_sdk's ``WebClient``).

Rate limits: Slack allows about one message per second per channel, so posts into a channel are
spaced by a per-channel throttle; a 429 that still happens (another process posting, a burst of
edits) is waited out by slack_sdk's ``RateLimitErrorRetryHandler``, which honours Retry-After.
Slack errors become the domain's: rate limits, 5xx and network trouble a TransientError (the
queue retries the task), anything else a PermanentError carrying Slack's error code.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from shared.errors import PermanentError, TransientError
from shared.ports.chat import CampaignCard, CreativeCard, Posted

DEFAULT_API_URL = "https://slack.com/api/"
METADATA_EVENT = "adloop_post"
# The Export buttons on a finished campaign's message: action id = prefix + platform; the bot
# (``bot/export_action.py``) turns a click into an ``export`` task.
EXPORT_ACTION_PREFIX = "adloop_export_"
EXPORT_PLATFORMS = (("meta", "Meta"), ("google", "Google"), ("tiktok", "TikTok"))
_TRANSIENT_CODES = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}


class ChannelThrottle:
    """Spaces calls into the same channel ``interval_s`` apart; other channels do not wait."""

    def __init__(
        self,
        interval_s: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = interval_s
        self._clock, self._sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Block until ``channel`` may take another message; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(channel, now))
            self._next[channel] = slot + self._interval
        if slot > now:
            self._sleep(slot - now)
        return slot - now


def web_client(
    token: str, api_url: str | None = None, *, max_rate_limit_retries: int = 2
) -> WebClient:
    """A WebClient on ``api_url`` (``SLACK_API_URL``, else Slack's) that waits out 429s."""
    base = api_url or DEFAULT_API_URL
    client = WebClient(token=token, base_url=base if base.endswith("/") else base + "/", timeout=15)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=max_rate_limit_retries))
    return client


class SlackChat:
    """:class:`shared.ports.chat.Chat` on Slack. Thread-safe: steps run on worker threads."""

    def __init__(self, client: WebClient, *, throttle: ChannelThrottle | None = None) -> None:
        self._client = client
        self._throttle = throttle or ChannelThrottle()

    def post_campaign(self, channel: str, card: CampaignCard, *, key: str) -> Posted:
        return self._post(channel, campaign_text(card), campaign_blocks(card), key)

    def update_campaign(self, message: Posted, card: CampaignCard) -> None:
        self._update(message, campaign_text(card), campaign_blocks(card))

    def post_creative(self, channel: str, card: CreativeCard, *, key: str) -> Posted:
        return self._post(channel, creative_text(card), creative_blocks(card), key)

    def update_creative(self, message: Posted, card: CreativeCard) -> None:
        self._update(message, creative_text(card), creative_blocks(card))

    def post_in_thread(self, thread: Posted, card: CreativeCard, *, key: str) -> Posted:
        blocks = creative_blocks(card)
        return self._post(thread.channel, creative_text(card), blocks, key, thread_ts=thread.ts)

    def post_note(self, thread: Posted, text: str, *, key: str) -> Posted:
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        return self._post(thread.channel, text, blocks, key, thread_ts=thread.ts)

    def post_ephemeral(self, channel: str, user: str, text: str) -> None:
        _call(lambda: self._client.chat_postEphemeral(channel=channel, user=user, text=text))

    def upload_file(self, thread: Posted, *, filename: str, data: bytes, title: str) -> None:
        self._throttle.wait(thread.channel)
        _call(
            lambda: self._client.files_upload_v2(
                channel=thread.channel,
                thread_ts=thread.ts or None,  # no ts: straight into the channel
                filename=filename,
                content=data,
                title=title,
            )
        )

    def find_posted(
        self, channel: str, key: str, *, oldest: float, thread_ts: str | None = None
    ) -> Posted | None:
        common: dict[str, Any] = {
            "channel": channel,
            "oldest": f"{oldest:.6f}",
            "include_all_metadata": True,
            "limit": 200,
        }
        if thread_ts:
            answer = _call(lambda: self._client.conversations_replies(ts=thread_ts, **common))
        else:
            answer = _call(lambda: self._client.conversations_history(**common))
        for message in answer.get("messages") or []:
            meta = message.get("metadata") or {}
            if (
                meta.get("event_type") == METADATA_EVENT
                and (meta.get("event_payload") or {}).get("key") == key
            ):
                return Posted(channel, str(message["ts"]))
        return None

    def group_members(self, group_id: str) -> list[str]:
        answer = _call(lambda: self._client.usergroups_users_list(usergroup=group_id))
        return [str(u) for u in answer.get("users") or []]

    def _post(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        key: str,
        *,
        thread_ts: str | None = None,
    ) -> Posted:
        self._throttle.wait(channel)
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        answer = _call(
            lambda: self._client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                metadata=metadata,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
            )
        )
        return Posted(str(answer["channel"]), str(answer["ts"]))

    def _update(self, message: Posted, text: str, blocks: list[dict[str, Any]]) -> None:
        _call(
            lambda: self._client.chat_update(
                channel=message.channel, ts=message.ts, text=text, blocks=blocks
            )
        )


def _call(fn: Callable[[], Any]) -> Any:
    """Run one Web API call, translating slack_sdk's errors into the domain's."""
    try:
        return fn()
    except SlackApiError as e:
        status = e.response.status_code
        code = str(e.response.get("error") or f"HTTP {status}")
        if status == 429 or status >= 500 or code in _TRANSIENT_CODES:
            retry = e.response.headers.get("Retry-After") or e.response.headers.get("retry-after")
            raise TransientError(
                f"Slack: {code}", retry_after=float(retry) if retry else None
            ) from e
        raise PermanentError(f"Slack refused the call: {code}") from e
    except (SlackClientError, OSError) as e:  # connection refused, timeouts, DNS
        raise TransientError(f"Slack unreachable: {e}") from e


# --- layout: pure functions from cards to Block Kit -------------------------------------------

_STEP_ICON = {
    "done": ":white_check_mark:",
    "running": ":hourglass_flowing_sand:",
    "failed": ":x:",
    "pending": ":white_circle:",
}


def escape(text: str) -> str:
    """Slack mrkdwn control characters as entities: user text shows as written, never as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def campaign_text(card: CampaignCard) -> str:
    return f"Campaign {card.campaign_id} for {card.product}: {card.status}"


def campaign_blocks(card: CampaignCard) -> list[dict[str, Any]]:
    lines = []
    for step in card.steps:
        count = f" {step.done}/{step.total}" if step.total else ""
        error = f" — {escape(_cut(step.error, 200))}" if step.error else ""
        lines.append(f"{_STEP_ICON.get(step.status, ':white_circle:')} {step.name}{count}{error}")
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _cut(f"Campaign: {card.product}", 150)},
        },
        _mrkdwn(f"*Status:* {card.status}  ·  `{card.campaign_id}`  ·  {card.creatives} creatives"),
    ]
    if lines:
        blocks.append(_mrkdwn("\n".join(lines)))
    notes = [*(escape(n) for n in card.notices)]
    if card.error:
        notes.append(
            f":warning: {escape(_cut(card.error, 500))} — "
            f"`/adloop retry {card.campaign_id}` resumes it"
        )
    if notes:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _cut("\n".join(notes), 2900)}],
            }
        )
    if card.status == "complete" and card.creatives:
        blocks += export_blocks(card.campaign_id)
    return blocks


def export_blocks(campaign_id: str) -> list[dict[str, Any]]:
    """A line saying what Export does and one button per ad platform (value: the campaign)."""
    buttons = [
        {
            "type": "button",
            "action_id": EXPORT_ACTION_PREFIX + platform,
            "text": {"type": "plain_text", "text": f"Export for {name}"},
            "value": campaign_id,
        }
        for platform, name in EXPORT_PLATFORMS
    ]
    hint = (
        "*Export* the Approved and Winner creatives as a bulk-upload file, posted in this "
        "thread (reviewers only):"
    )
    return [_mrkdwn(hint), {"type": "actions", "elements": buttons}]


def creative_text(card: CreativeCard) -> str:
    version = f" (v{card.iteration})" if card.iteration > 1 else ""
    return f"{card.label}{version} [{card.tag}]: {card.headline}"


def creative_blocks(card: CreativeCard) -> list[dict[str, Any]]:
    version = f" · v{card.iteration}" if card.iteration > 1 else ""
    title = f"{card.label} · {card.funnel_stage} · {card.language.upper()}{version}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(title, 150)}},
    ]
    if card.feedback:
        blocks.append(
            _mrkdwn(f"_Rewritten with this feedback:_ {escape(_cut(card.feedback, 1000))}")
        )
    copy = f"*{escape(card.headline)}*\n{escape(card.primary_text)}\n*CTA:* {escape(card.cta)}"
    blocks.append(_mrkdwn(_cut(copy, 2900)))
    blocks.append({"type": "section", "fields": [_field(n, v) for n, v in _score_fields(card)]})
    if card.video:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(card.video)}]}
        )
    if card.legend:
        legend = "  ".join(f":{emoji}: {tag}" for emoji, tag in card.legend)
        text = f"React to tag: {legend}  ·  Reply in the thread to get this creative rewritten."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    return blocks


def _score_fields(card: CreativeCard) -> list[tuple[str, str]]:
    fields = [("Tag", card.tag)]
    if card.judge is not None:
        mark = " :white_check_mark:" if card.approved else ""
        fields.append(("Judges", f"{card.judge:.1f}/100{mark}"))
    if card.brand is not None:
        flags = f", {card.findings} policy flag(s)" if card.findings else ""
        fields.append(("Brand fit", f"{card.brand:.2f}{flags}"))
    if card.predicted_ctr is not None:
        fields.append(("Predicted CTR", f"{card.predicted_ctr:.2%}"))
    if card.predicted_roas is not None:
        spread = (
            f" ({card.roas_interval[0]:.2f}–{card.roas_interval[1]:.2f})"
            if card.roas_interval
            else ""
        )
        fields.append(("Predicted ROAS", f"{card.predicted_roas:.2f}×{spread}"))
    if card.rank is not None:
        fields.append(("Rank", f"#{card.rank}"))
    return fields[:10]


def _field(name: str, value: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": f"*{name}*\n{value}"}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
