"""What adloop sends to Slack when people write hostile text (issue 13, findings 7 and 14).

One campaign whose product is Slack markup, started from Slack and posted through the real
slack_sdk to the fake Web API, which refuses over-limit messages as Slack does. Nothing anyone
writes may ping a channel or smuggle a link, and no chat problem may fail the finished campaign.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.commands import start_from_slack
from infra.briefs import load_brief
from infra.runtime import wait_for_campaign
from shared.adapters.slack_limits import problems
from tests.bot.conftest import CHANNEL, OUTSIDER, Bot, start_bot, wait_until
from tests.conftest import EXAMPLES
from tests.fakes.slack_api import FakeSlackAPI, message_problem

PRODUCT = "<!channel> & <https://evil.example|click>"
SENT = ("chat.postMessage", "chat.update", "chat.postEphemeral")


@pytest.fixture(scope="module")
def posted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Bot, str]]:
    with FakeSlackAPI(usergroups={"S0REVIEWERS": ["U0INGROUP"]}) as fake:
        bot = start_bot(tmp_path_factory.mktemp("hostile-chat"), fake)
        brief = load_brief(EXAMPLES / "glowdrop-serum.yaml").brief
        brief = brief.model_copy(update={"product": PRODUCT})
        campaign = start_from_slack(bot.services, brief, request_id="hostile-chat", channel=CHANNEL)
        assert wait_for_campaign(bot.services, campaign.id, timeout_s=60)["status"] == "complete"
        bot.idle()
        yield bot, campaign.id
        bot.http.close()
        bot.runtime.stop()


def _strings(value: Any) -> Iterator[str]:
    """Every string in a call's arguments (blocks arrive as JSON text or as objects)."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            yield value
            return
        yield from _strings(parsed) if not isinstance(parsed, str) else iter([value])
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _status(bot: Bot, cid: str) -> str:
    return str(bot.services.documents.get(f"campaigns/{cid}")["status"])


def _reply(bot: Bot, cid: str, label: str, text: str) -> str:
    thread = bot.creative(cid, label)["slack_ts"]
    event = {
        "type": "message",
        "channel": CHANNEL,
        "user": OUTSIDER,
        "text": text,
        "ts": f"{thread}9",
        "thread_ts": thread,
        "channel_type": "channel",
    }
    assert bot.event(event).status_code == 200
    return str(thread)


def test_no_message_carries_the_products_markup_unescaped(posted: tuple[Bot, str]) -> None:
    """Finding 14: the top-level text carried the product as written, so it pinged the channel."""
    bot, cid = posted
    answer = bot.command(f"status {cid}")
    assert answer.status_code == 200
    calls = [c for m in SENT for c in bot.slack.calls(m)]
    assert any(c.method == "chat.postMessage" for c in calls)
    texts = [s for c in calls for s in _strings(c.args)] + list(_strings(answer.json()))
    assert any("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in t for t in texts)
    for text in texts:
        assert "<!channel" not in text and "<https://evil" not in text, text
    for c in bot.slack.calls("chat.postMessage") + bot.slack.calls("chat.update"):
        assert not any("<!" in s for s in _strings(c.args)), c.args


def test_a_reply_that_escapes_to_five_times_its_length_is_posted_and_fails_nothing(
    posted: tuple[Bot, str],
) -> None:
    """Finding 7: 1,000 "&" were cut to 1,000, escaped to 5,000, refused: campaign failed."""
    bot, cid = posted
    thread = _reply(bot, cid, "A", "&" * 1000)
    wait_until(lambda: bot.creative(cid, "A")["iteration"] == 2, what="the rewrite")
    bot.idle()
    assert _status(bot, cid) == "complete"
    (reply,) = bot.slack.messages(CHANNEL, thread_ts=thread)
    assert reply.blocks and problems(reply.text, reply.blocks) == []
    assert message_problem({"text": reply.text, "blocks": reply.blocks}) is None
    assert "&amp;" * 100 in str(reply.blocks)


def test_blocks_slack_refuses_anyway_are_posted_as_text(posted: tuple[Bot, str]) -> None:
    bot, cid = posted
    bot.slack.refuse_once["chat.postMessage"] = "invalid_blocks"
    thread = _reply(bot, cid, "B", "Shorter, please.")
    wait_until(lambda: bot.slack.messages(CHANNEL, thread_ts=thread), what="the text reply")
    bot.idle()
    assert _status(bot, cid) == "complete"
    (reply,) = bot.slack.messages(CHANNEL, thread_ts=thread)
    assert reply.blocks == [] and "Rewritten with this feedback" in reply.text
    assert bot.creative(cid, "B")["iteration"] == 2


def test_a_post_slack_refuses_is_reported_in_the_thread_not_failed(
    posted: tuple[Bot, str],
) -> None:
    bot, cid = posted
    bot.slack.refuse_once["chat.postMessage"] = "missing_scope"
    thread = _reply(bot, cid, "C", "More about the price.")
    wait_until(lambda: bot.slack.messages(CHANNEL, thread_ts=thread), what="the note")
    bot.idle()
    assert _status(bot, cid) == "complete"
    (note,) = bot.slack.messages(CHANNEL, thread_ts=thread)
    assert "C v2 is saved, but Slack would not show it here" in note.text
    assert "missing_scope" in note.text and bot.creative(cid, "C")["iteration"] == 2
