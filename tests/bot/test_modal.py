"""`/adloop new` opens the form; its two steps start a campaign posted in the channel.

Payloads are shaped as Slack sends them: view_submission as slackapi/bolt-js
src/types/view/index.ts (@9a45c3c9) types it (``ViewSubmitAction``, ``ViewOutput`` with
``root_view_id``/``previous_view_id``, ``ViewStateValue`` with ``files`` for a file_input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from bot.modal import MORE
from shared.loop.export import export_command
from shared.platforms.registry import PLATFORMS
from tests.bot.conftest import CHANNEL, REVIEWER, Bot, give_videos, wait_until


def _state(**values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for block, value in values.items():
        if block == "funnel_focus":
            out[block] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
        elif block == "languages":
            out[block] = {
                "value": {"type": "checkboxes", "selected_options": [{"value": v} for v in value]}
            }
        else:
            out[block] = {"value": {"type": "plain_text_input", "value": value}}
    return out


FIRST = {"product", "offer", "persona", "market", "brand_name", "landing_url", "product_images"}
FIRST |= {"funnel_focus", "languages", "variations"}


def _payload(view: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": "T0ADLOOP", "domain": "adloop-test"},
        "user": {"id": REVIEWER, "username": "pat", "team_id": "T0ADLOOP"},
        "api_app_id": "A0ADLOOP",
        "token": "legacy",
        "trigger_id": "9.9.trigger",
        "view": view,
    }


def _submission(bot: Bot, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """The first view submitted with the values of its own blocks."""
    opened = bot.slack.views[-1]
    mine = {k: v for k, v in values.items() if k in FIRST or k not in MORE}
    return _payload({**opened, "id": view_id, "root_view_id": view_id, "state": {"values": mine}})


def _more(pushed: dict[str, Any], root: str, values: dict[str, Any]) -> dict[str, Any]:
    """The pushed second view submitted: Slack gives it its own id and names the first."""
    view = {**pushed, "id": root + "M", "root_view_id": root, "previous_view_id": root}
    return _payload({**view, "state": {"values": values}})


def _start(bot: Bot, view_id: str, values: dict[str, Any]) -> httpx.Response:
    """Both steps, as a marketer clicks Next then Start; the second step's answer."""
    first = bot.interaction(_submission(bot, view_id, values))
    assert first.status_code == 200
    pushed = first.json()
    assert pushed["response_action"] == "push", pushed
    more = {k: v for k, v in values.items() if k in MORE}
    return bot.interaction(_more(pushed["view"], view_id, more))


def test_bare_new_opens_the_form_with_every_brief_field(bot: Bot) -> None:
    answer = bot.command("new", trigger_id="123.456.abc")

    assert answer.status_code == 200
    (call,) = bot.slack.calls("views.open")
    assert call.args["trigger_id"] == "123.456.abc"
    blocks = {b["block_id"] for b in call.args["view"]["blocks"]}
    assert blocks == FIRST
    images = next(b for b in call.args["view"]["blocks"] if b["block_id"] == "product_images")
    assert images["element"] == {
        "type": "file_input",
        "action_id": "value",
        "filetypes": ["png", "jpg", "jpeg", "webp"],
        "max_files": 3,
    }


def test_a_submission_missing_fields_is_answered_under_each_field(bot: Bot) -> None:
    bot.command("new")

    answer = bot.interaction(
        _submission(bot, "V0BAD", _state(product="GlowDrop serum", market="US"))
    )

    assert answer.status_code == 200
    body = answer.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"offer", "persona"}
    assert "required" in body["errors"]["offer"]
    assert bot.services.documents.query("campaigns") == []


def test_a_submission_cannot_set_what_adloop_sets(bot: Bot) -> None:
    bot.command("new")
    values = _state(product="GlowDrop serum", offer="20% off", persona="busy moms", market="US")
    # A forged block a real form never has: notices go to the model and the campaign message.
    values["notices"] = {
        "value": {"type": "checkboxes", "selected_options": [{"value": "x" * 100_000}]}
    }

    answer = bot.interaction(_submission(bot, "V0NOTICES", values))

    body = answer.json()
    assert body["response_action"] == "errors"
    assert "set by adloop" in " ".join(body["errors"].values())
    assert bot.services.documents.query("campaigns") == []


def test_a_submission_posts_the_campaign_and_seven_creatives_in_the_channel(bot: Bot) -> None:
    bot.command("new")
    values = _state(
        product="GlowDrop Vitamin C Serum",
        offer="20% off your first order",
        persona="busy moms in their 30s who skip skincare",
        market="US",
        funnel_focus="full",
        languages=["en", "es"],
        avoid="miracle, flawless",
        landing_url="https://glowdrop.example/serum?ref=slack",
        brand_name="GlowDrop",
    )

    answer = _start(bot, "V0GOOD", values)
    # Start closes the whole form (a bare answer would only go back to the first step).
    assert answer.status_code == 200 and answer.json() == {"response_action": "clear"}
    _start(bot, "V0GOOD", values)  # a double submit starts nothing more

    (campaign,) = bot.services.documents.query("campaigns")
    assert campaign.data["slack_channel"] == CHANNEL
    assert campaign.data["brief"]["avoid"] == ["miracle", "flawless"]
    wait_until(
        lambda: (
            (bot.services.documents.get(f"campaigns/{campaign.id}") or {}).get("status")
            == "complete"
        ),
        what="the campaign",
    )
    bot.idle()
    top = bot.slack.messages(CHANNEL)
    assert len(top) == 8
    assert "GlowDrop Vitamin C Serum" in top[0].text and top[0].edits >= 1
    assert "complete" in top[0].text
    labels = [m.text.split(" ")[0] for m in top[1:]]
    assert labels == ["A", "B", "C", "D", "E", "F", "G"]
    for message in top[1:]:
        label = message.text.split(" ")[0]
        creative = bot.creative(campaign.id, label)
        assert creative["slack_ts"] == message.ts
        shown = str(message.blocks)
        assert creative["headline"].replace("&", "&amp;") in shown
        assert creative["funnel_stage"] in shown and "Predicted ROAS" in shown and "Judges" in shown
        assert ":trophy: Winner" in shown
    assert len(bot.slack.calls("chat.postMessage")) == 8


def test_a_campaign_started_in_slack_exports_to_every_platform(bot: Bot, tmp_path: Path) -> None:
    bot.command("new")
    values = _state(
        product="GlowDrop Vitamin C Serum",
        offer="20% off your first order",
        persona="busy moms in their 30s",
        market="US",
        funnel_focus="conversion",
        languages=["en"],
        landing_url="https://glowdrop.example/serum?ref=slack",
        brand_name="GlowDrop",
    )
    values["landing_url"] = {
        "value": {"type": "url_text_input", "value": "https://glowdrop.example/serum?ref=slack"}
    }
    assert _start(bot, "V0EXPORT", values).json() == {"response_action": "clear"}
    (campaign,) = bot.services.documents.query("campaigns")
    assert campaign.data["brief"]["landing_url"] == "https://glowdrop.example/serum?ref=slack"
    wait_until(
        lambda: (
            (bot.services.documents.get(f"campaigns/{campaign.id}") or {}).get("status")
            == "complete"
        ),
        what="the campaign",
    )
    give_videos(bot, campaign.id, tmp_path)
    for platform in PLATFORMS:
        files = export_command(
            bot.services, campaign.id, platform, tmp_path / platform, include_all=True
        )
        sheet = next(f for f in files if f.suffix == ".csv").read_text(encoding="utf-8")
        assert "glowdrop.example/serum" in sheet and f"adl.{campaign.id}.A" in sheet


def test_a_landing_page_that_is_not_a_web_address_is_refused_under_its_field(bot: Bot) -> None:
    bot.command("new")
    values = _state(product="GlowDrop serum", offer="20% off", persona="busy moms", market="US")
    values["landing_url"] = {"value": {"type": "url_text_input", "value": "javascript:alert(1)"}}
    body = bot.interaction(_submission(bot, "V0URL", values)).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"landing_url"}
    assert bot.services.documents.query("campaigns") == []


def test_a_second_step_carrying_another_workspace_starts_nothing(bot: Bot) -> None:
    """What the first step carried comes back in private_metadata; a second step from one
    workspace naming another (forged, or a form moved between installs) starts nothing."""
    bot.command("new")
    values = _state(product="GlowDrop serum", offer="20% off", persona="busy moms", market="US")
    first = bot.interaction(_submission(bot, "V0TEAM", values)).json()
    assert first["response_action"] == "push"
    pushed = first["view"]
    carried = json.loads(pushed["private_metadata"])
    forged = {**carried, "workspace": "T0OTHER", "brand_id": "T0OTHER:glowdrop"}
    answer = bot.interaction(
        _more({**pushed, "private_metadata": json.dumps(forged)}, "V0TEAM", {})
    ).json()
    assert answer["response_action"] == "errors"
    assert "another workspace" in " ".join(answer["errors"].values())
    assert bot.services.documents.query("campaigns") == []
