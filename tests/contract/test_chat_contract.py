"""The chat port's contract (``shared.ports.chat.Chat``), run against every adapter.

What the publish, progress and review steps rely on: a post answers where the message lives; a
message posted with a key can be found again by that key (so a step that crashed after posting
adopts the message instead of posting twice); updates edit in place; thread replies, notes and
files land in the thread; text over the chat's limits is fitted, never refused; and the port's
errors: rate limits waited out as ``Retry-After`` asks, then TransientError with the wait; an
outage TransientError; a refusal (no such channel, group) PermanentError.

Adapters: SlackChat through the real slack_sdk against the local fake Web API. The embedded
default has no chat adapter: its review gallery (``infra/gallery.py``) renders a campaign's state
to HTML and does not implement the port, so there is nothing else to run here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from shared.adapters.slack_web import ChannelThrottle, SlackChat, web_client
from shared.errors import PermanentError, TransientError
from shared.ports.chat import CampaignCard, Chat, CreativeCard, Posted, StepLine
from tests.fakes.slack_api import FakeSlackAPI

CHANNEL = "C0CAMPAIGN"
TOKEN = "xoxb-contract-token"
CAMPAIGN = CampaignCard(
    campaign_id="cmp-1",
    product="Ledgerly",
    status="running",
    steps=(StepLine("intake", "done"), StepLine("write", "running", 3, 7)),
)
CREATIVE = CreativeCard(
    campaign_id="cmp-1",
    label="A",
    funnel_stage="Awareness",
    language="en",
    headline="Books done in ten minutes",
    primary_text="Receipts lost in email threads? Ledgerly files them for you.",
    cta="Start free",
    tag="Draft",
)

# --- the adapters (re-point here) ------------------------------------------------------------


@contextmanager
def _slack(**fake_options: Any) -> Iterator[tuple[Chat, FakeSlackAPI]]:
    with FakeSlackAPI(**fake_options) as fake:
        yield SlackChat(web_client(TOKEN, fake.api_url), throttle=ChannelThrottle(0.0)), fake


ADAPTERS: dict[str, Callable[..., Any]] = {"slack": _slack}


@pytest.fixture(params=sorted(ADAPTERS))
def chat_of(request: pytest.FixtureRequest) -> Callable[..., Any]:
    return ADAPTERS[request.param]


# --- posting and finding again ---------------------------------------------------------------


def test_a_post_says_where_it_lives_and_is_found_by_its_key(chat_of: Callable[..., Any]) -> None:
    since = time.time() - 1
    with chat_of() as (chat, fake):
        posted = chat.post_campaign(CHANNEL, CAMPAIGN, key="cmp-1:campaign")
        found = chat.find_posted(CHANNEL, "cmp-1:campaign", oldest=since)
        other = chat.find_posted(CHANNEL, "cmp-1:creative:A", oldest=since)

    assert posted.channel == CHANNEL and posted.ts
    assert found == posted
    assert other is None
    (message,) = fake.messages(CHANNEL)
    assert "Ledgerly" in message.text


def test_an_update_edits_the_message_in_place(chat_of: Callable[..., Any]) -> None:
    done = CampaignCard("cmp-1", "Ledgerly", "complete", creatives=7)
    with chat_of() as (chat, fake):
        posted = chat.post_campaign(CHANNEL, CAMPAIGN, key="k1")
        chat.update_campaign(posted, done)
        creative = chat.post_creative(CHANNEL, CREATIVE, key="k2")
        chat.update_creative(creative, CreativeCard(**{**CREATIVE.__dict__, "tag": "Approved"}))

    messages = fake.messages(CHANNEL)
    assert [m.ts for m in messages] == [posted.ts, creative.ts]  # nothing new posted
    assert messages[0].edits == 1 and messages[1].edits == 1
    assert "Approved" in messages[1].text + str(messages[1].blocks)


def test_thread_replies_notes_and_files_land_in_the_thread(chat_of: Callable[..., Any]) -> None:
    since = time.time() - 1
    v2 = CreativeCard(**{**CREATIVE.__dict__, "iteration": 2, "feedback": "shorter hook"})
    with chat_of() as (chat, fake):
        thread = chat.post_creative(CHANNEL, CREATIVE, key="cmp-1:A")
        reply = chat.post_in_thread(thread, v2, key="cmp-1:A:v2")
        note = chat.post_note(thread, "Finding: the headline names a competitor.", key="n1")
        chat.upload_file(thread, filename="A-9x16.mp4", data=b"\x00\x00\x00\x18ftyp", title="A")
        found = chat.find_posted(CHANNEL, "cmp-1:A:v2", oldest=since, thread_ts=thread.ts)

    replies = fake.messages(CHANNEL, thread_ts=thread.ts)
    assert [m.ts for m in replies[:2]] == [reply.ts, note.ts]
    assert replies[2].files and fake.uploads[replies[2].files[0]] == b"\x00\x00\x00\x18ftyp"
    assert found == reply
    assert len(fake.messages(CHANNEL)) == 1  # only the creative at top level


def test_text_over_the_chats_limits_is_fitted_not_refused(chat_of: Callable[..., Any]) -> None:
    with chat_of() as (chat, fake):
        thread = chat.post_creative(CHANNEL, CREATIVE, key="c")
        note = chat.post_note(thread, "word " * 20_000, key="long")
        chat.post_ephemeral(CHANNEL, "U0REVIEWER", "x" * 50_000)

    assert isinstance(note, Posted) and note.ts
    (posted_note,) = fake.messages(CHANNEL, thread_ts=thread.ts)
    assert posted_note.text.startswith("word word")


def test_group_members_are_listed(chat_of: Callable[..., Any]) -> None:
    with chat_of(usergroups={"S0REVIEW": ["U1", "U2"]}) as (chat, _fake):
        assert chat.group_members("S0REVIEW") == ["U1", "U2"]


# --- errors ----------------------------------------------------------------------------------


def test_a_rate_limit_is_waited_out_and_posts_once(chat_of: Callable[..., Any]) -> None:
    with chat_of(rate_limit_once=["chat.postMessage"], retry_after_s=1) as (chat, fake):
        started = time.monotonic()
        chat.post_campaign(CHANNEL, CAMPAIGN, key="k")
        waited = time.monotonic() - started

    assert [c.limited for c in fake.calls("chat.postMessage")] == [True, False]
    assert waited >= 1.0
    assert len(fake.messages(CHANNEL)) == 1


def test_a_rate_limit_past_the_budget_hands_its_wait_to_the_queue(
    chat_of: Callable[..., Any],
) -> None:
    with (
        chat_of(rate_limits={"chat.postMessage": 10}, retry_after_s=0) as (chat, fake),
        pytest.raises(TransientError) as raised,
    ):
        chat.post_campaign(CHANNEL, CAMPAIGN, key="k")

    assert raised.value.retry_after == 0
    assert fake.messages(CHANNEL) == []


@pytest.mark.parametrize("status", [500, 503])
def test_an_outage_is_transient(chat_of: Callable[..., Any], status: int) -> None:
    with (
        chat_of(server_errors={"chat.postMessage": [status] * 5}) as (chat, _fake),
        pytest.raises(TransientError),
    ):
        chat.post_campaign(CHANNEL, CAMPAIGN, key="k")


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda chat: chat.post_campaign("#nowhere", CAMPAIGN, key="k"), "channel_not_found"),
        (lambda chat: chat.group_members("S0MISSING"), "no_such_subteam"),
        (lambda chat: chat.update_campaign(Posted(CHANNEL, "1.000001"), CAMPAIGN), "not_found"),
    ],
    ids=["channel", "group", "message"],
)
def test_a_refusal_is_permanent_and_names_the_reason(
    chat_of: Callable[..., Any], call: Callable[[Chat], Any], code: str
) -> None:
    with chat_of() as (chat, fake), pytest.raises(PermanentError, match=code) as raised:
        call(chat)
    assert not isinstance(raised.value, TransientError)
    assert len(fake.calls()) == 1  # not retried
