"""Product images uploaded in the `/adloop new` form: downloaded from Slack with the bot token,
checked like a brief's images, stored as the campaign's inputs; a bad one is a field error.

A file_input's state is ``{"type": "file_input", "files": [file object, ...]}`` (slackapi/bolt-js
src/types/view/index.ts @9a45c3c9, ``ViewStateValue.files``); the file objects come from the
fake Slack, which serves them by files.info and their bytes at url_private_download."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import httpx
import pytest
from PIL import Image

from bot import modal
from shared.adapters.slack_files import download
from shared.errors import BadInput
from shared.pipeline.inputs import is_input_blob
from tests.bot.conftest import Bot, wait_until
from tests.bot.test_modal import _more, _start, _state, _submission
from tests.fakes.slack_api import FakeSlackAPI

ESSENTIALS = {
    "product": "GlowDrop Vitamin C Serum",
    "offer": "20% off your first order",
    "persona": "busy moms in their 30s",
    "market": "US",
    "funnel_focus": "conversion",
    "languages": ["en"],
}


def _png(size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (240, 170, 90)).save(out, "PNG")
    return out.getvalue()


def _declares_pixels(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header declares ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _with_files(values: dict[str, Any], files: list[dict[str, Any]]) -> dict[str, Any]:
    return {**values, "product_images": {"value": {"type": "file_input", "files": files}}}


def test_an_uploaded_image_and_a_landing_page_start_a_campaign_that_uses_them(bot: Bot) -> None:
    png = _png()
    upload = bot.slack.add_user_file("bottle.png", png, "image/png")
    bot.command("new")
    values = _with_files(_state(**ESSENTIALS, proof="4.8 stars from 2,000 reviews"), [upload])
    values["landing_url"] = {
        "value": {"type": "url_text_input", "value": "https://glowdrop.example/serum?ref=ads&x=1"}
    }

    assert _start(bot, "V0IMAGE", values).json() == {"response_action": "clear"}

    (campaign,) = bot.services.documents.query("campaigns")
    (path,) = campaign.data["product_images"]
    assert path.startswith(f"campaigns/{campaign.id}/inputs/product-1") and path.endswith(".png")
    assert bot.services.blobs.get(path) == png
    brief = campaign.data["brief"]
    assert brief["landing_url"] == "https://glowdrop.example/serum?ref=ads&x=1"
    assert brief["proof"] == ["4.8 stars from 2,000 reviews"]
    # Downloaded by id: files.info, then its url_private_download with the bot token.
    (info,) = bot.slack.calls("files.info")
    assert info.args["file"] == upload["id"]
    (got,) = bot.slack.downloads
    assert got.path.endswith("/download/bottle.png")
    assert got.headers["authorization"] == "Bearer xoxb-test-token"
    # After intake the campaign still names it, as one of its own inputs: what the render step
    # copies beside each video's spec (steps/render.py _copy_products; bot tests do not render).
    wait_until(
        lambda: (
            (bot.services.documents.get(f"campaigns/{campaign.id}") or {}).get("status")
            == "complete"
        ),
        what="the campaign",
    )
    done = bot.services.documents.get(f"campaigns/{campaign.id}")
    assert done["product_images"] == [path] and is_input_blob(campaign.id, path)


def test_a_file_that_is_not_an_image_is_refused_under_the_images_field(bot: Bot) -> None:
    notes = bot.slack.add_user_file("notes.txt", b"just some notes", "text/plain")
    bot.command("new")

    body = bot.interaction(
        _submission(bot, "V0TEXT", _with_files(_state(**ESSENTIALS), [notes]))
    ).json()

    assert body["response_action"] == "errors" and set(body["errors"]) == {"product_images"}
    assert "notes.txt is text/plain" in body["errors"]["product_images"]
    assert "PNG, JPEG or WebP" in body["errors"]["product_images"]
    assert bot.slack.downloads == []  # refused on what Slack says, before any download


def test_a_file_named_like_an_image_is_checked_by_its_content(bot: Bot) -> None:
    fake = bot.slack.add_user_file("bottle.png", b"<html>not an image</html>", "image/png")
    bot.command("new")

    body = bot.interaction(
        _submission(bot, "V0FAKE", _with_files(_state(**ESSENTIALS), [fake]))
    ).json()

    assert set(body["errors"]) == {"product_images"}
    assert "bottle.png" in body["errors"]["product_images"]
    assert bot.services.documents.query("campaigns") == []


def test_an_image_over_the_pixel_limit_is_refused_under_the_images_field(bot: Bot) -> None:
    huge = bot.slack.add_user_file("poster.png", _declares_pixels(9000, 6000), "image/png")
    bot.command("new")

    body = bot.interaction(
        _submission(bot, "V0HUGE", _with_files(_state(**ESSENTIALS), [huge]))
    ).json()

    assert set(body["errors"]) == {"product_images"}
    assert "poster.png" in body["errors"]["product_images"]
    assert "pixels" in body["errors"]["product_images"]


def test_an_image_over_the_byte_limit_is_refused_before_it_is_downloaded(bot: Bot) -> None:
    big = bot.slack.add_user_file("big.png", _png(), "image/png")
    big = {**big, "size": 25 * 1024 * 1024}  # what Slack says of a file over adloop's limit
    bot.command("new")

    body = bot.interaction(
        _submission(bot, "V0BIG", _with_files(_state(**ESSENTIALS), [big]))
    ).json()

    assert "over the 20,971,520-byte limit" in body["errors"]["product_images"]
    assert bot.slack.downloads == []


def test_the_second_step_carries_the_first_steps_values(bot: Bot) -> None:
    bot.command("new")
    first = bot.interaction(_submission(bot, "V0TWO", _state(**ESSENTIALS, brand_name="GlowDrop")))
    pushed = first.json()
    assert pushed["response_action"] == "push"
    assert {b["block_id"] for b in pushed["view"]["blocks"]} == set(modal.MORE)
    assert bot.services.documents.query("campaigns") == []  # nothing starts before Start

    more = _state(pains="dull skin\nno time", desires="glow")
    answer = bot.interaction(_more(pushed["view"], "V0TWO", more))

    assert answer.json() == {"response_action": "clear"}
    (campaign,) = bot.services.documents.query("campaigns")
    brief = campaign.data["brief"]
    assert (brief["product"], brief["brand_name"], brief["funnel_focus"]) == (
        "GlowDrop Vitamin C Serum",
        "GlowDrop",
        "conversion",
    )
    assert brief["pains"] == ["dull skin", "no time"] and brief["desires"] == ["glow"]


def test_first_step_values_past_slacks_3000_characters_wait_in_a_draft(bot: Bot) -> None:
    bot.command("new")
    # Each at its longest (persona 2,000, the others 300): together past 3,000 characters.
    long = {
        **ESSENTIALS,
        "persona": ("busy moms who care about skin " * 70)[:2000],
        "offer": ("20% off the first order " * 15)[:300],
        "brand_name": ("GlowDrop " * 40)[:300],
        "market": ("US and Canada " * 25)[:300],
    }
    pushed = bot.interaction(_submission(bot, "V0LONG", _state(**long))).json()
    assert len(pushed["view"]["private_metadata"]) <= modal.METADATA_MAX
    assert bot.services.documents.get("slack_drafts/V0LONG") is not None

    bot.interaction(_more(pushed["view"], "V0LONG", {}))

    (campaign,) = bot.services.documents.query("campaigns")
    assert campaign.data["brief"]["persona"] == long["persona"].strip()
    assert bot.services.documents.get("slack_drafts/V0LONG") is None


def test_the_first_view_takes_a_brand_block_and_prefills_every_input() -> None:
    picker = {"type": "input", "block_id": "brand", "label": {}, "element": {}}
    prefill = {
        **ESSENTIALS,
        "landing_url": "https://glowdrop.example",
        "variations": 4,
        "proof": ["4.8 stars"],
    }
    view = modal.new_campaign_view("C1", "U1", brand_block=picker, prefill=prefill)
    assert view["blocks"][0] is picker
    initial = {b["block_id"]: b["element"] for b in view["blocks"][1:]}
    assert initial["product"]["initial_value"] == ESSENTIALS["product"]
    assert initial["landing_url"]["initial_value"] == "https://glowdrop.example"
    assert initial["funnel_focus"]["initial_option"]["value"] == "conversion"
    assert [o["value"] for o in initial["languages"]["initial_options"]] == ["en"]
    assert initial["variations"]["initial_value"] == "4"
    carried = modal.read_metadata(view["private_metadata"])["prefill"]
    more = modal.more_view("{}", carried)
    assert more["blocks"][0]["element"]["initial_value"] == "4.8 stars"


def test_a_download_never_sends_the_token_off_slacks_file_host() -> None:
    with FakeSlackAPI() as slack:
        upload = slack.add_user_file("bottle.png", _png(), "image/png")
        elsewhere = {**upload, "url_private_download": "https://attacker.example/x.png"}
        with pytest.raises(BadInput, match="no download address on"):
            download(
                upload["id"],
                elsewhere,
                token="xoxb-secret",
                origin="https://files.slack.com",
                max_bytes=1000,
                timeout_s=2,
            )
        # Without the bot token Slack answers its sign-in page, which is refused by name.
        with pytest.raises(BadInput, match="files:read"):
            download(upload["id"], upload, token="", origin=slack.url, max_bytes=10**6, timeout_s=2)
        assert (
            httpx.get(upload["url_private_download"])
            .headers["content-type"]
            .startswith("text/html")
        )
