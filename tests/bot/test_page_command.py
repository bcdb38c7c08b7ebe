"""``/adloop new https://…`` through Bolt: acknowledged at once, the page read in a queue step,
the marketer shown (alone) what it gave with Start and Edit; Start begins the campaign from the
stored draft, Edit opens the form filled with it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from shared.adapters.slack_draft_layout import EDIT_ACTION, START_ACTION
from shared.intake.draft import OFFLINE_EXTRACTOR
from shared.intake.page_step import draft_id, draft_path
from shared.pipeline.campaigns import new_campaign_id
from tests.bot.conftest import CHANNEL, OUTSIDER, REVIEWER, Bot, wait_until
from tests.fakes.slack_api import Call
from tests.intake.site import URL, Site, product_site

MARKETER = REVIEWER


@pytest.fixture
def site(bot: Bot) -> Iterator[Site]:
    with product_site({"intranet.glowdrop.example": ["10.0.0.7"]}) as s:
        bot.services.fetch = s.fetch  # the runtime's steps share this Services
        yield s


def _ephemerals(bot: Bot) -> list[Call]:
    return bot.slack.calls("chat.postEphemeral")


def _blocks(call: Call) -> list[dict[str, Any]]:
    blocks = call.args.get("blocks")
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks or [])


def _click(bot: Bot, action_id: str, value: str, *, user: str = MARKETER) -> None:
    """A button click on an ephemeral message, shaped as Slack sends it: a block_actions
    payload whose container says is_ephemeral and which carries no ``message`` (Slack keeps
    none). Shape from slackapi/bolt-python tests/scenario_tests/test_block_actions.py
    (commit 243dd37889874dfda30b71a63c9c507be789529e) and
    https://docs.slack.dev/reference/interaction-payloads/block_actions-payload."""
    body = {
        "type": "block_actions",
        "user": {"id": user, "username": "pat", "name": "pat", "team_id": "T0ADLOOP"},
        "api_app_id": "A0ADLOOP",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000200",
            "channel_id": CHANNEL,
            "is_ephemeral": True,
        },
        "trigger_id": "111.222.page",
        "team": {"id": "T0ADLOOP", "domain": "adloop-test"},
        "channel": {"id": CHANNEL, "name": "ads"},
        "response_url": f"{bot.slack.url}/actions/T0ADLOOP/1/x",
        "actions": [
            {
                "action_id": action_id,
                "block_id": "adloop_page",
                "text": {"type": "plain_text", "text": "Start", "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": "1700000001.000300",
            }
        ],
    }
    response = bot.interaction(body)
    assert (response.status_code, response.text) == (200, "")


def test_a_page_url_is_acknowledged_at_once_read_in_a_queue_step_and_started_from_the_draft(
    bot: Bot, site: Site
) -> None:
    # A field separator right after the URL separates, as in the one-line form.
    text = f"new {URL}; persona: busy moms in their 30s; market: US; languages: en"
    answer = bot.command(text, user=MARKETER, trigger_id="777.1.trigger")
    assert answer.status_code == 200
    assert "Reading https://shop.glowdrop.example/serum" in answer.json()["text"]
    draft = draft_id("777.1.trigger")

    shown = wait_until(lambda: _ephemerals(bot), what="the draft shown to the marketer")[0]
    assert (shown.args["channel"], shown.args["user"]) == (CHANNEL, MARKETER)
    blocks = _blocks(shown)
    words = json.dumps(blocks, ensure_ascii=False)
    assert OFFLINE_EXTRACTOR in words, "the offline extractor says it is"
    assert "*product*: GlowDrop Vitamin C Serum  _← Product.name_" in words
    assert "rated 4.8 from 1250 reviews" in words
    assert "Not on the page" not in words, "persona and market were typed after the URL"
    buttons = blocks[-1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        (START_ACTION, draft),
        (EDIT_ACTION, draft),
    ]

    # Someone else's click starts nothing.
    _click(bot, START_ACTION, draft, user=OUTSIDER)
    wait_until(lambda: len(_ephemerals(bot)) == 2, what="the refusal")
    assert "only the person who asked" in _ephemerals(bot)[1].args["text"]

    _click(bot, START_ACTION, draft)
    cid = new_campaign_id(draft)
    campaign = wait_until(
        lambda: bot.services.documents.get(f"campaigns/{cid}"), what="the campaign"
    )
    assert campaign["brief"]["product"] == "GlowDrop Vitamin C Serum"
    assert campaign["brief"]["offer"] == (
        "Get 20% off your first order with free shipping on every bottle."
    )
    assert campaign["brief"]["landing_url"] == URL
    assert campaign["slack_channel"] == CHANNEL
    assert campaign["workspace"] == "T0ADLOOP", "the brand kits are the asking workspace's"
    wait_until(lambda: len(_ephemerals(bot)) == 3, what="the start confirmed")
    assert f"Started campaign `{cid}`" in _ephemerals(bot)[2].args["text"]
    # A second click on the same Start finds the same campaign.
    _click(bot, START_ACTION, draft)
    wait_until(lambda: len(_ephemerals(bot)) == 4, what="the second answer")
    assert f"`{cid}`" in _ephemerals(bot)[3].args["text"]
    assert len(bot.services.documents.query("campaigns", [])) == 1
    bot.idle()


def test_edit_opens_the_form_filled_with_what_the_page_gave(bot: Bot, site: Site) -> None:
    bot.command(f"new <{URL}>", user=MARKETER, trigger_id="778.1.trigger")
    draft = draft_id("778.1.trigger")
    shown = wait_until(lambda: _ephemerals(bot), what="the draft")[0]
    assert "Not on the page: persona, market" in json.dumps(_blocks(shown), ensure_ascii=False)
    stored = bot.services.documents.get(draft_path(draft))
    assert stored is not None and stored["draft"]["url"] == URL

    _click(bot, EDIT_ACTION, draft)
    opened = wait_until(lambda: bot.slack.calls("views.open"), what="the form")[0]
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    initial = {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b.get("element", {}).get("initial_value")
    }
    assert initial["product"] == "GlowDrop Vitamin C Serum"
    assert initial["offer"] == "Get 20% off your first order with free shipping on every bottle."
    assert initial["landing_url"] == URL
    assert initial["brand_name"] == "GlowDrop"
    assert "persona" not in initial, "nothing made up for what the page does not say"


def test_a_page_at_a_private_address_is_refused_to_the_marketer(bot: Bot, site: Site) -> None:
    bot.command("new https://intranet.glowdrop.example/admin", user=MARKETER)
    shown = wait_until(lambda: _ephemerals(bot), what="the refusal")[0]
    assert "10.0.0.7" in shown.args["text"] and "private" in shown.args["text"]
    assert "actions" not in json.dumps(_blocks(shown), ensure_ascii=False), (
        "no Start for a page never read"
    )
    assert site.server.requests == []


@pytest.mark.parametrize(
    ("typed", "url", "rest"),
    [
        ("https://shop.example/p; persona: moms", "https://shop.example/p", "persona: moms"),
        ("https://shop.example/p;persona: moms", "https://shop.example/p", "persona: moms"),
        ("https://shop.example/p;; persona: x", "https://shop.example/p", "persona: x"),
        (
            "https://shop.example/p?a=1;b=2 market: US",
            "https://shop.example/p?a=1;b=2",
            "market: US",
        ),
        (
            "<https://shop.example/p?a=1&amp;b=2|shop> market: US",
            "https://shop.example/p?a=1&b=2",
            "market: US",
        ),
    ],
)
def test_the_page_url_ends_where_the_one_line_form_would_end_it(
    typed: str, url: str, rest: str
) -> None:
    from bot.page import page_request

    assert page_request(typed) == (url, rest)
