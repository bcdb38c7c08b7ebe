"""Issue 16's first done-when, through Bolt: a campaign started from the `/adloop new` form with
an uploaded product image and a landing page renders that product into its video and exports to
every ad platform.

Payloads as Slack sends them (view_submission state with a file_input's ``files``: slackapi/
bolt-js src/types/view/index.ts @9a45c3c9); the image comes back from the fake Slack by
files.info and its url_private_download, with the bot token."""

from __future__ import annotations

import json
from pathlib import Path

from bot.modal import ACTION
from shared.loop.export import export_command
from shared.pipeline.campaigns import get_campaign
from shared.pipeline.runner import StepContext
from shared.pipeline.steps.render import render as render_step
from shared.platforms.registry import PLATFORMS
from shared.ports.queue import Task
from tests.bot.conftest import Bot, wait_until
from tests.bot.test_modal import _start, _state
from tests.conftest import EXAMPLES

BOTTLE = EXAMPLES / "assets" / "glowdrop-bottle.png"
LANDING = "https://glowdrop.example/serum?ref=slack&utm_campaign=spring"


def test_a_form_started_campaign_renders_its_uploaded_product_and_exports_everywhere(
    bot: Bot, tmp_path: Path
) -> None:
    upload = bot.slack.add_user_file("bottle.png", BOTTLE.read_bytes(), "image/png")
    bot.command("new")
    values = _state(
        product="GlowDrop Vitamin C Serum",
        offer="20% off your first order",
        persona="busy moms in their 30s",
        market="US",
        funnel_focus="conversion",
        languages=["en"],
        brand_name="GlowDrop",
    )
    values["landing_url"] = {"value": {"type": "url_text_input", "value": LANDING}}
    values["product_images"] = {ACTION: {"type": "file_input", "files": [upload]}}
    assert _start(bot, "V0DONEWHEN", values).json() == {"response_action": "clear"}

    (doc,) = bot.services.documents.query("campaigns")
    cid = doc.id
    wait_until(
        lambda: (bot.services.documents.get(f"campaigns/{cid}") or {}).get("status") == "complete",
        what="the campaign",
    )
    # The render step for the video of ad A, with the real render job (bot tests run with
    # rendering off); its writes committed as the runner commits them.
    vid = bot.creative(cid, "A")["video_id"]
    ctx = StepContext(bot.services, get_campaign(bot.services, cid))
    for path, written in render_step(ctx, Task(cid, "render", vid)).writes.items():
        bot.services.documents.set(path, written)
    prefix = f"campaigns/{cid}/render/{vid}"
    spec = json.loads(bot.services.blobs.get(f"{prefix}/spec.json"))
    (product,) = spec["product_images"]
    assert bot.services.blobs.get(f"{prefix}/{product}") == BOTTLE.read_bytes()
    manifest = json.loads(bot.services.blobs.get(f"{prefix}/out/manifest.json"))
    assert bot.services.blobs.exists(f"{prefix}/out/{manifest['outputs'][0]['video']}")

    for platform in PLATFORMS:
        files = export_command(bot.services, cid, platform, tmp_path / platform, include_all=True)
        sheet = next(f for f in files if f.suffix == ".csv").read_text(encoding="utf-8")
        assert "glowdrop.example/serum?ref=slack&utm_campaign=spring" in sheet
        assert f"adl.{cid}." in sheet
        if platform != "google":  # Google's videos go to YouTube; its sheet names none
            assert any(f.parent.name == "videos" for f in files), platform
