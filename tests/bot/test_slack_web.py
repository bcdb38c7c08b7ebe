"""The Slack adapter through the real WebClient: rate limits, errors, lookups, uploads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import build_app
from shared.adapters.slack_web import ChannelThrottle, SlackChat, web_client
from shared.bootstrap import bootstrap
from shared.errors import PermanentError, TransientError
from shared.ports.chat import CampaignCard, Posted
from shared.settings import Settings
from tests.fakes.slack_api import FakeSlackAPI

CARD = CampaignCard(campaign_id="c1", product="GlowDrop", status="running")


def _chat(fake: FakeSlackAPI, token: str = "xoxb-test") -> SlackChat:
    return SlackChat(web_client(token, fake.api_url), throttle=ChannelThrottle(0.0))


def test_a_429_is_waited_out_and_the_message_posted_once() -> None:
    with FakeSlackAPI(rate_limit_once={"chat.postMessage"}, retry_after_s=1) as fake:
        posted = _chat(fake).post_campaign("C1", CARD, key="c1:campaign")

        first, second = fake.calls("chat.postMessage")
        assert first.limited and not second.limited
        assert [m.ts for m in fake.messages("C1")] == [posted.ts]


def test_slack_refusals_are_permanent_and_outages_transient() -> None:
    with FakeSlackAPI() as fake:
        with pytest.raises(PermanentError, match="channel_not_found"):
            _chat(fake).post_campaign("nowhere", CARD, key="k")
        with pytest.raises(PermanentError, match="not_authed"):
            _chat(fake, token="bad-token").post_campaign("C1", CARD, key="k")
        url = fake.api_url
    with pytest.raises(TransientError, match="unreachable"):
        SlackChat(web_client("xoxb-test", url)).post_campaign("C1", CARD, key="k")


def test_a_post_is_found_again_by_its_key_in_the_channel_or_a_thread() -> None:
    with FakeSlackAPI() as fake:
        chat = _chat(fake)
        top = chat.post_campaign("C1", CARD, key="c1:campaign")
        chat.post_campaign("C1", CARD, key="c1:other")

        assert chat.find_posted("C1", "c1:campaign", oldest=0) == top
        assert chat.find_posted("C1", "c1:missing", oldest=0) is None
        assert chat.find_posted("C1", "c1:campaign", oldest=float(top.ts) + 1) is None
        assert chat.find_posted("C1", "c1:campaign", oldest=0, thread_ts=top.ts) == top


def test_files_go_up_through_the_upload_url_into_the_thread() -> None:
    with FakeSlackAPI() as fake:
        chat = _chat(fake)
        top = chat.post_campaign("C1", CARD, key="k")

        chat.upload_file(top, filename="A.mp4", data=b"video-bytes", title="A video")

        assert list(fake.uploads.values()) == [b"video-bytes"]
        (done,) = fake.calls("files.completeUploadExternal")
        assert (done.args["channel_id"], done.args["thread_ts"]) == ("C1", top.ts)
        assert fake.messages("C1", thread_ts=top.ts)[0].files


def test_group_members_come_from_usergroups_users_list() -> None:
    with FakeSlackAPI(usergroups={"S1": ["U1", "U2"]}) as fake:
        assert _chat(fake).group_members("S1") == ["U1", "U2"]
        with pytest.raises(PermanentError, match="no_such_subteam"):
            _chat(fake).group_members("S2")


def test_the_throttle_spaces_one_channel_and_leaves_others_alone() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    throttle = ChannelThrottle(1.0, clock=lambda: now[0], sleep=sleep)
    assert [throttle.wait("C1"), throttle.wait("C1"), throttle.wait("C2"), throttle.wait("C1")] == [
        0,
        1,
        0,
        2,
    ]
    now[0] = 110.0
    assert throttle.wait("C1") == 0
    assert slept == [1, 2]


def test_updates_and_ephemerals_reach_slack() -> None:
    with FakeSlackAPI() as fake:
        chat = _chat(fake)
        top = chat.post_campaign("C1", CARD, key="k")
        chat.update_campaign(
            top, CampaignCard(campaign_id="c1", product="GlowDrop", status="complete")
        )
        chat.post_ephemeral("C1", "U9", "only you")
        assert "complete" in fake.message("C1", top.ts).text
        with pytest.raises(PermanentError, match="message_not_found"):
            chat.update_campaign(Posted("C1", "1.000"), CARD)
        (eph,) = fake.calls("chat.postEphemeral")
        assert (eph.args["user"], eph.args["text"]) == ("U9", "only you")


def test_blocks_slack_refuses_for_their_content_go_again_as_text_and_other_refusals_raise() -> None:
    """Issue 13, finding 7: a refused layout must not lose the message or fail the step."""
    with FakeSlackAPI() as fake:
        chat = _chat(fake)
        top = chat.post_campaign("C1", CARD, key="k")
        fake.refuse_once["chat.update"] = "msg_blocks_too_long"
        chat.update_campaign(top, CampaignCard("c1", "GlowDrop", "complete", creatives=7))

        refused, again = fake.calls("chat.update")
        assert refused.args["blocks"] and again.args.get("blocks") in ([], "[]", None)
        assert "GlowDrop: complete" in fake.message("C1", top.ts).text
        fake.refuse_once["chat.postMessage"] = "not_in_channel"
        with pytest.raises(PermanentError, match="not_in_channel"):
            chat.post_campaign("C1", CARD, key="k2")


def test_one_slack_client_per_runtime_the_steps_and_the_bot_share(tmp_path: Path) -> None:
    """The composition root builds the chat once; the bot's Bolt app sends with its client, so
    both keep to one connection pool and one 429 handler. Without a bot token there is none."""
    with FakeSlackAPI() as fake:
        settings = Settings(
            home=tmp_path,
            slack_bot_token="xoxb-test",
            slack_signing_secret="s",
            slack_api_url=fake.api_url,
        )
        services = bootstrap(settings)
        assert isinstance(services.chat, SlackChat)
        assert build_app(services, settings).client is services.chat.web_client
        posted = services.chat.post_campaign("C1", CARD, key="c1:campaign")
        assert [m.ts for m in fake.messages("C1")] == [posted.ts]
    quiet = Settings(home=tmp_path, slack_signing_secret="s")
    assert bootstrap(quiet).chat is None
    with pytest.raises(ValueError, match="SLACK_BOT_TOKEN"):
        build_app(bootstrap(quiet), quiet)
