"""A brand's logo, set once in the `/adloop brand NAME` form: the uploaded file is fetched from
Slack and checked like a product image, kept under the kit as a new version, and the brand's next
campaign puts it in its videos' render spec; a file that is no image is refused under Logo.

A file_input's state is ``{"type": "file_input", "files": [file object, ...]}`` (slackapi/bolt-js
src/types/view/index.ts @9a45c3c9, ``ViewStateValue.files``); the fake Slack serves the files by
files.info and their bytes at url_private_download (tests/fakes/slack_api.py add_user_file)."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from PIL import Image

from bot import brand_form
from shared import brands
from shared.models.creative import VideoPrompt
from shared.pipeline import store
from shared.pipeline.runner import StepContext
from shared.pipeline.steps.render import build_spec
from tests.bot.conftest import Bot
from tests.bot.test_brands import (
    TEAM,
    _complete,
    _first_campaign,
    _start,
    _submission,
    _text,
    eye_cream_from,
)

BRAND_ID = f"{TEAM}:glowdrop"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (120, 40), (242, 166, 90, 255)).save(out, "PNG")
    return out.getvalue()


def _logo(*files: dict[str, Any]) -> dict[str, Any]:
    return {"logo": {"value": {"type": "file_input", "files": list(files)}}}


def _brand_form(bot: Bot) -> dict[str, Any]:
    bot.command("brand GlowDrop")
    view = bot.slack.views[-1]
    assert view["callback_id"] == brand_form.CALLBACK_ID
    return view


def test_an_uploaded_logo_is_kept_and_goes_into_the_next_campaigns_videos(bot: Bot) -> None:
    _first_campaign(bot)
    before = brands.get_kit(bot.services.documents, BRAND_ID)
    assert before is not None and before.logo is None
    view = _brand_form(bot)
    (block,) = [b for b in view["blocks"] if b["block_id"] == "logo"]
    assert block["element"]["type"] == "file_input" and block["element"]["max_files"] == 1
    assert block["element"]["filetypes"] == ["png", "jpg", "jpeg", "webp"]

    png = _png()
    upload = bot.slack.add_user_file("glowdrop-logo.png", png, "image/png")
    values = {"voice": _text("warm, honest"), **_logo(upload)}
    assert bot.interaction(_submission(view, "V0LOGO", values)).text == ""

    kit = brands.get_kit(bot.services.documents, BRAND_ID)
    assert kit is not None and kit.version == before.version + 1
    sha8 = hashlib.sha256(png).hexdigest()[:8]
    assert kit.logo == f"brands/{BRAND_ID}/logo-{sha8}.png"
    assert bot.services.blobs.get(kit.logo) == png
    (info,) = bot.slack.calls("files.info")
    assert info.args["file"] == upload["id"]
    assert bot.slack.downloads[-1].headers["authorization"] == "Bearer xoxb-test-token"

    # The form shows the logo it has; saved again without a file, the kit keeps it.
    view = _brand_form(bot)
    (block,) = [b for b in view["blocks"] if b["block_id"] == "logo"]
    assert f"logo-{sha8}.png" in block["hint"]["text"]
    values = {"voice": _text("warm, honest, bold"), **_logo()}
    assert bot.interaction(_submission(view, "V0AGAIN", values)).text == ""
    kept = brands.get_kit(bot.services.documents, BRAND_ID)
    assert kept is not None and kept.version == kit.version + 1 and kept.logo == kit.logo

    # The brand's next campaign: its videos' render spec names the logo, copied beside it.
    bot.command("new")
    new_view = bot.slack.views[-1]
    chosen = new_view["blocks"][0]["element"]["options"][1]
    assert chosen["value"] == BRAND_ID
    second = eye_cream_from(chosen)
    _start(bot, new_view, "V0NEXT", second)
    made = next(c for c in _complete(bot) if c["brief"]["product"] == "GlowDrop Eye Cream")
    docs = bot.services.documents
    campaign = store.load_campaign(docs, made["id"])
    assert campaign is not None and campaign.brand_version is not None
    assert campaign.brand_version >= kept.version
    video = VideoPrompt.model_validate(store.video_docs(docs, campaign.id)[0])
    prefix = f"campaigns/{campaign.id}/render/{video.id}"
    spec = build_spec(StepContext(bot.services, campaign), video, prefix)
    assert spec["brand"]["logo"] == "logo.png"
    assert bot.services.blobs.get(f"{prefix}/logo.png") == png


def test_a_file_that_is_no_image_is_refused_under_logo_and_nothing_is_saved(bot: Bot) -> None:
    _first_campaign(bot)
    view = _brand_form(bot)

    notes = bot.slack.add_user_file("notes.txt", b"just some notes", "text/plain")
    body = bot.interaction(_submission(view, "V0NOTES", _logo(notes))).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"logo"}
    assert body["errors"]["logo"] == "notes.txt is text/plain; a logo is PNG, JPEG or WebP"
    assert bot.slack.downloads == []  # refused on what Slack says, before any download

    fake = bot.slack.add_user_file("logo.png", b"<html>not an image</html>", "image/png")
    body = bot.interaction(_submission(view, "V0FAKE", _logo(fake))).json()
    assert set(body["errors"]) == {"logo"}
    assert "logo.png: not a PNG, JPEG or WebP image" in body["errors"]["logo"]

    # A bad colour and a bad logo in one submission: both said, each under its field.
    png = bot.slack.add_user_file("a.png", _png(), "image/png")
    two = bot.slack.add_user_file("b.png", _png(), "image/png")
    values = {"colors": _text("red"), **_logo(png, two)}
    body = bot.interaction(_submission(view, "V0TWO", values)).json()
    assert set(body["errors"]) == {"colors", "logo"}
    assert body["errors"]["logo"] == "2 files; a brand has one logo"

    kit = brands.get_kit(bot.services.documents, BRAND_ID)
    assert kit is not None and kit.version == 1 and kit.logo is None
    assert bot.services.blobs.list("brands/") == []
