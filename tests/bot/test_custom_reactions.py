"""A workspace's own reactions (ADLOOP_SLACK_REACTIONS) replace the default table: its emoji set
tags, the defaults no longer do, the reviewer rule follows the tag, and the message shows them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from pydantic import ValidationError

from infra.runtime import LocalRuntime
from shared.models.brief import Brief
from shared.models.campaign import Campaign
from shared.models.creative import Creative, Tag
from shared.pipeline.steps.publish import (
    DEFAULT_REACTIONS,
    creative_card,
    index_path,
    reaction_tags,
)
from shared.settings import Settings
from tests.bot.conftest import CHANNEL, OUTSIDER, REVIEWER, Bot, make_settings, wait_until
from tests.fakes.slack_api import FakeSlackAPI

CUSTOM = '{":eyes:": "Testing", "rocket": "Winner"}'  # as a user writes it in the environment


@pytest.fixture
def bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Bot, str]]:
    monkeypatch.setenv("ADLOOP_SLACK_REACTIONS", CUSTOM)
    with FakeSlackAPI() as slack:
        settings = make_settings(tmp_path / "home", slack)
        runtime = LocalRuntime(settings).start()
        b = Bot(runtime, slack, httpx.Client(timeout=10))
        ts = _posted_creative(b)
        yield b, ts
        b.http.close()
        runtime.stop()


def _posted_creative(bot: Bot) -> str:
    """Creative A of campaign c1, posted in CHANNEL as publish posts it; its message ts."""
    services = bot.services
    brief = Brief(product="GlowDrop serum", offer="20% off", persona="busy moms", market="US")
    campaign = Campaign(id="c1", brief=brief, slack_channel=CHANNEL)
    services.documents.set("campaigns/c1", campaign.model_dump(mode="json"))
    creative = Creative(
        campaign_id="c1",
        label="A",
        funnel_stage="Conversion",
        language="en",
        headline="Glow in 7 days",
        primary_text="Dull skin? One drop a day.",
        cta="Shop Now",
        prompt_version="t",
        provider="offline",
    )
    legend = tuple((name, tag.value) for name, tag in reaction_tags(services).items())
    posted = services.chat.post_creative(CHANNEL, creative_card(creative, legend), key="c1:A")
    services.documents.set(
        "campaigns/c1/creatives/A", {**creative.model_dump(mode="json"), "slack_ts": posted.ts}
    )
    services.documents.set(
        index_path(CHANNEL, posted.ts), {"campaign_id": "c1", "label": "A", "kind": "creative"}
    )
    return posted.ts


def _react(bot: Bot, ts: str, reaction: str, user: str) -> None:
    event = {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        "event_ts": "1700000000.000100",
    }
    assert bot.event(event).status_code == 200
    bot.idle()


def test_the_workspaces_reactions_set_tags_and_the_defaults_no_longer_do(
    bot: tuple[Bot, str],
) -> None:
    b, ts = bot
    assert b.services.settings.slack_reactions == {"eyes": Tag.TESTING, "rocket": Tag.WINNER}
    assert "eyes" in str(b.slack.message(CHANNEL, ts).blocks)  # the legend shows them

    _react(b, ts, "eyes", OUTSIDER)
    wait_until(lambda: b.creative("c1", "A")["tag"] == "Testing", what="the tag")
    _react(b, ts, "trophy", REVIEWER)  # a default, not in this workspace's table
    assert b.creative("c1", "A")["tag"] == "Testing"

    _react(b, ts, "rocket", OUTSIDER)  # Winner is still a reviewer's to give
    assert b.creative("c1", "A")["tag"] == "Testing"
    told = [c for c in b.slack.calls("chat.postEphemeral") if c.args.get("user") == OUTSIDER]
    assert any("Only reviewers" in str(c.args) for c in told)
    _react(b, ts, "rocket", REVIEWER)
    wait_until(lambda: b.creative("c1", "A")["tag"] == "Winner", what="the tag")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('{"eyes": "Tested"}', "'Draft', 'Testing', 'Needs Revision', 'Approved' or 'Winner'"),
        ('{"Eyes!": "Testing"}', "'Eyes!' is not a Slack emoji name"),
        ("eyes=Testing", "ADLOOP_SLACK_REACTIONS is a JSON object"),
    ],
)
def test_a_reaction_table_that_cannot_work_is_refused_at_start_up(
    value: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADLOOP_SLACK_REACTIONS", value)
    with pytest.raises(ValidationError, match=re.escape(says)):
        Settings()


def test_an_empty_reaction_table_keeps_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADLOOP_SLACK_REACTIONS", "")
    services = SimpleNamespace(settings=Settings())
    assert reaction_tags(services) == DEFAULT_REACTIONS  # type: ignore[arg-type]
