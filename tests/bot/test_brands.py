"""Brands that are remembered, through Bolt: `/adloop brand` lists the workspace's kits,
`/adloop brand NAME` opens a form that saves a new version, and a second campaign picked from
the saved brand in the new campaign form needs only product and offer.

Payload shapes: the view_submission envelope as in slackapi/bolt-python
tests/scenario_tests/test_view_submission.py (commit a2f21ae4b1d1d63a6a5dc533aa53a8c4badd103d);
view.state.values as https://api.slack.com/reference/interaction-payloads/views and
https://api.slack.com/changelog/2020-09-full-state-on-view-submisson-and-block-actions show them
(block_id -> action_id -> {"type": …, "value": …}); a static_select's entry holds
"selected_option" (the option object it was given)."""

from __future__ import annotations

from typing import Any

from bot import brand_form, modal
from shared import brands
from tests.bot.conftest import CHANNEL, REVIEWER, Bot, wait_until

TEAM = "T0ADLOOP"  # the team conftest's commands and events come from


def _text(value: str, kind: str = "plain_text_input") -> dict[str, Any]:
    return {"value": {"type": kind, "value": value}}


def _submission(view: dict[str, Any], view_id: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "adloop-test"},
        "user": {"id": REVIEWER, "username": "pat", "name": "pat", "team_id": TEAM},
        "api_app_id": "A0ADLOOP",
        "token": "legacy",
        "trigger_id": "9.9.trigger",
        "view": {**view, "id": view_id, "team_id": TEAM, "state": {"values": values}},
        "response_urls": [],
    }


def _start(bot: Bot, view: dict[str, Any], view_id: str, values: dict[str, Any]) -> None:
    """The new campaign form's two steps, as a marketer clicks Next then Start: the first view
    with its own blocks' values, then the pushed "More about the product" view (Slack gives it
    its own id and names the first as its root)."""
    first = {k: v for k, v in values.items() if k not in modal.MORE}
    pushed = bot.interaction(_submission({**view, "root_view_id": view_id}, view_id, first)).json()
    assert pushed["response_action"] == "push", pushed
    more = {k: v for k, v in values.items() if k in modal.MORE}
    second = {**pushed["view"], "root_view_id": view_id, "previous_view_id": view_id}
    done = bot.interaction(_submission(second, view_id + "M", more)).json()
    assert done == {"response_action": "clear"}, done


def eye_cream_from(chosen: dict[str, Any]) -> dict[str, Any]:
    """A second campaign's first step: the saved brand ``chosen`` in the picker, then only a
    product and an offer (and the choices every form has)."""
    return {
        "brand": {"value": {"type": "static_select", "selected_option": chosen}},
        "product": _text("GlowDrop Eye Cream"),
        "offer": _text("buy one, get one half price"),
        "funnel_focus": {
            "value": {"type": "static_select", "selected_option": {"value": "conversion"}}
        },
        "languages": {"value": {"type": "checkboxes", "selected_options": [{"value": "en"}]}},
    }


def _complete(bot: Bot) -> list[dict[str, Any]]:
    def done() -> list[dict[str, Any]] | None:
        found = [d.data for d in bot.services.documents.query("campaigns")]
        return found if found and all(c["status"] == "complete" for c in found) else None

    return wait_until(done, what="the campaigns")


def _first_campaign(bot: Bot) -> None:
    bot.command("new")
    values = {
        "product": _text("GlowDrop Vitamin C Serum"),
        "offer": _text("20% off your first order"),
        "persona": _text("busy moms in their 30s"),
        "market": _text("US"),
        "brand_name": _text("GlowDrop"),
        "brand_voice": _text("warm, honest, playful"),
        "avoid": _text("miracle\nflawless"),
        "landing_url": _text("https://glowdrop.example/serum?ref=slack&utm=x", "url_text_input"),
    }
    _start(bot, bot.slack.views[-1], "V0FIRST", values)
    _complete(bot)


def test_brand_lists_the_workspace_brands(bot: Bot) -> None:
    answer = bot.command("brand")
    assert "No brands yet" in answer.json()["text"]

    _first_campaign(bot)

    listed = bot.command("brand").json()["text"]
    assert "*GlowDrop* v1 — glowdrop.example" in listed and "warm" in listed
    assert bot.slack.calls("views.open")[-1].args["view"]["callback_id"] == "adloop_new"


def test_the_brand_form_saves_a_new_version_and_refuses_bad_colours(bot: Bot) -> None:
    _first_campaign(bot)

    bot.command("brand GlowDrop", trigger_id="77.88.brand")
    call = bot.slack.calls("views.open")[-1]
    assert call.args["trigger_id"] == "77.88.brand"
    view = bot.slack.views[-1]
    assert view["callback_id"] == brand_form.CALLBACK_ID
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial["avoid"].splitlines()[:2] == ["miracle", "flawless"]
    assert initial["landing_domain"] == "glowdrop.example"

    bad = {"colors": _text("#f2a65a red"), "landing_domain": _text("not a domain")}
    body = bot.interaction(_submission(view, "V0BRAND", bad)).json()
    assert body["response_action"] == "errors"
    assert "'red' is not a colour like #f2a65a" in body["errors"]["colors"]
    assert "not a web domain" in body["errors"]["landing_domain"]
    kit = brands.get_kit(bot.services.documents, f"{TEAM}:glowdrop")
    assert kit is not None and kit.version == 1

    good = {
        "voice": _text("bold, direct"),
        "avoid": _text("miracle\nflawless\ncheap"),
        "proof": _text("4.8 stars from 2,300 reviews"),
        "colors": _text("#F2A65A #7a3e12"),
        "landing_domain": _text("https://glowdrop.example/home"),
    }
    assert bot.interaction(_submission(view, "V0BRAND", good)).text == ""
    bot.interaction(_submission(view, "V0BRAND", good))  # delivered twice: saved once
    kit = brands.get_kit(bot.services.documents, f"{TEAM}:glowdrop")
    assert kit is not None and kit.version == 2
    assert kit.voice == ["bold", "direct"] and kit.colors == ["#f2a65a", "#7a3e12"]
    assert kit.avoid == ["miracle", "flawless", "cheap"] and kit.updated_by == REVIEWER


def test_a_second_campaign_from_the_saved_brand_needs_only_product_and_offer(bot: Bot) -> None:
    _first_campaign(bot)
    brand_id = f"{TEAM}:glowdrop"
    bot.command("new")
    view = bot.slack.views[-1]
    # The form opens with the picker first: its options are the workspace's saved brands.
    picker = view["blocks"][0]
    assert picker["block_id"] == "brand"
    assert [o["value"] for o in picker["element"]["options"]] == ["new", brand_id]
    chosen = picker["element"]["options"][1]
    values = eye_cream_from(chosen)
    _start(bot, view, "V0SECOND", values)

    campaigns = _complete(bot)
    second = next(c for c in campaigns if c["brief"]["product"] == "GlowDrop Eye Cream")
    brief = second["brief"]
    assert brief["brand_name"] == "GlowDrop" and "warm" in brief["brand_voice"]
    assert brief["avoid"] == ["miracle", "flawless"]
    assert brief["persona"] == "busy moms in their 30s" and brief["market"] == "US"
    assert brief["landing_url"] == "https://glowdrop.example/"
    assert second["slack_channel"] == CHANNEL and second["workspace"] == TEAM
    assert second["brand_id"] == brand_id
    creatives = bot.services.documents.query(f"campaigns/{second['id']}/creatives")
    assert {(c.data["brand_id"], c.data["brand_version"]) for c in creatives} == {
        (brand_id, second["brand_version"])
    }
    assert [k.id for k in brands.list_kits(bot.services.documents, TEAM)] == [brand_id]
