"""The chat port on the Slack Web API (slack_sdk's ``WebClient``).

Messages are laid out by :mod:`shared.adapters.slack_layout` and checked against Slack's limits
(:mod:`shared.adapters.slack_limits`) before they are sent. A message Slack would refuse for its
content (over a limit, or answered ``invalid_blocks`` / ``msg_too_long`` all the same) is sent
again as text alone rather than lost: a chat layout problem never fails the step that posts it.

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

from shared.adapters import slack_files
from shared.adapters.slack_draft_layout import draft_blocks, draft_text
from shared.adapters.slack_files import SlackFile
from shared.adapters.slack_layout import (
    EXPORT_ACTION_PREFIX,
    as_text,
    campaign_blocks,
    campaign_text,
    creative_blocks,
    creative_text,
)
from shared.adapters.slack_limits import MESSAGE_TEXT_BUDGET, SECTION_TEXT_MAX, problems
from shared.chat_text import cut
from shared.errors import PermanentError, TransientError
from shared.log import get_logger
from shared.ports.chat import CampaignCard, CreativeCard, DraftCard, Posted

__all__ = [
    "EXPORT_ACTION_PREFIX",
    "ChannelThrottle",
    "SlackChat",
    "SlackFile",
    "SlackRefused",
    "campaign_blocks",
    "creative_blocks",
    "web_client",
]
log = get_logger(__name__)
Blocks = list[dict[str, Any]]
DEFAULT_API_URL = "https://slack.com/api/"
METADATA_EVENT = "adloop_post"
# Refusals of a message's content (https://docs.slack.dev/reference/methods/chat.postMessage,
# "Errors"): the same message as text alone is accepted.
_CONTENT_CODES = {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long"}
_TRANSIENT_CODES = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}


class SlackRefused(PermanentError):
    """Slack answered ``ok: false`` with ``code`` for a reason retrying will not change."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Slack refused the call: {code}")
        self.code = code


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

    def __init__(
        self,
        client: WebClient,
        *,
        throttle: ChannelThrottle | None = None,
        files_origin: str | None = None,
    ) -> None:
        self._client = client
        self._throttle = throttle or ChannelThrottle()
        # Slack's file host; a local Web API (SLACK_API_URL, tests) serves its files itself.
        self._files_origin = files_origin or slack_files.files_origin(client.base_url)

    @property
    def web_client(self) -> WebClient:
        """The Web API client it sends with; the bot's Bolt app sends with it too."""
        return self._client

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
        # ``text`` is mrkdwn adloop wrote (user parts escaped by shared.chat_text): fitted only
        blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SECTION_TEXT_MAX)}}
        ]
        return self._post(
            thread.channel, cut(text, MESSAGE_TEXT_BUDGET), blocks, key, thread_ts=thread.ts
        )

    def post_ephemeral(self, channel: str, user: str, text: str) -> None:
        short = cut(text, MESSAGE_TEXT_BUDGET)
        _call(lambda: self._client.chat_postEphemeral(channel=channel, user=user, text=short))

    def post_draft(self, channel: str, user: str, card: DraftCard) -> None:
        def send(text: str, blocks: Blocks) -> Any:
            return self._client.chat_postEphemeral(
                channel=channel, user=user, text=text, blocks=blocks
            )

        _deliver(send, draft_text(card), draft_blocks(card))

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

    def download_file(self, file_id: str, *, max_bytes: int, timeout_s: float) -> SlackFile:
        """The bytes of the uploaded file ``file_id`` (see :func:`slack_files.download`)."""
        info = _call(lambda: self._client.files_info(file=file_id)) if file_id.isalnum() else None
        return slack_files.download(
            file_id,
            info.get("file") if info is not None else None,
            token=self._client.token or "",
            origin=self._files_origin,
            max_bytes=max_bytes,
            timeout_s=timeout_s,
        )

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

        def send(text: str, blocks: Blocks) -> Any:
            return self._client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                metadata=metadata,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
            )

        answer = _deliver(send, text, blocks)
        return Posted(str(answer["channel"]), str(answer["ts"]))

    def _update(self, message: Posted, text: str, blocks: list[dict[str, Any]]) -> None:
        def send(text: str, blocks: Blocks) -> Any:
            return self._client.chat_update(
                channel=message.channel, ts=message.ts, text=text, blocks=blocks
            )

        _deliver(send, text, blocks)


def _deliver(send: Callable[[str, Blocks], Any], text: str, blocks: Blocks) -> Any:
    """Send a message checked against Slack's limits; what Slack would refuse (or does refuse)
    for its content goes again as text alone."""
    found = problems(text, blocks)
    if found:  # a layout bug, never the user's doing: say what, and still deliver the words
        log.warning("message over Slack's limits; sent as text", extra={"problems": found[:5]})
        return _call(lambda: send(as_text(text, blocks), []))
    try:
        return _call(lambda: send(text, blocks))
    except SlackRefused as e:
        if e.code not in _CONTENT_CODES or not blocks:
            raise
        log.warning("Slack refused the blocks; sent as text", extra={"error": e.code})
        return _call(lambda: send(as_text(text, blocks), []))


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
        raise SlackRefused(code) from e
    except (SlackClientError, OSError) as e:  # connection refused, timeouts, DNS
        raise TransientError(f"Slack unreachable: {e}") from e
