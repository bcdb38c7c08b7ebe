"""A short designed render checked the way bench/render_quality.py checks a campaign: the end
card reads back by OCR, the hero product is large, every text box and the captions are legible
and safe."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from gpu_jobs.encoder import Encoder
from gpu_jobs.render import render
from shared.models.brief import Brief
from shared.render_design import facts_from_brief, spec_from_blueprint
from tests.conftest import load_script
from tests.render.conftest import EXAMPLES, offline

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINT = [
    {"duration_s": 1.6, "visual": "Close-up: tired skin", "on_screen_text": "Tired skin?"},
    {"duration_s": 2.6, "visual": "GlowDrop in use", "on_screen_text": "One step"},
    {"duration_s": 2.4, "visual": "End card with the offer", "on_screen_text": "20% off"},
]


@pytest.fixture(scope="module")
def quality() -> Any:
    return load_script(ROOT / "bench" / "render_quality.py")


@pytest.fixture(scope="module")
def designed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Any, Any]:
    root = tmp_path_factory.mktemp("designed")
    raw = yaml.safe_load((ROOT / "examples" / "glowdrop-serum.yaml").read_text())
    raw.pop("product_images")
    shutil.copy(ROOT / "examples" / "assets" / "glowdrop-bottle.png", root / "product.png")
    shutil.copy(EXAMPLES / "logo.png", root / "logo.png")
    brief = Brief.model_validate(raw)
    facts = facts_from_brief(brief, cta="Shop Now")
    spec = spec_from_blueprint(
        video_id="V1",
        variant=0,
        scenes=BLUEPRINT,
        # a long unbreakable word: a caption line of it alone ran off the frame
        voiceover="Tired skin? One step. Visit glowdropserumofficialstore.example today.",
        facts=facts,
        language="en",
        brand_colors=list(brief.brand_colors),
        product_images=["product.png"],
        targets=["9:16"],
        logo="logo.png",
    )
    manifest = render(spec, root, root / "out", **offline(), encoder=Encoder("libx264"))
    return root, {**manifest["outputs"][0], "words": manifest["words"]}, facts, spec


def test_designed_video_ends_on_a_readable_end_card_with_a_large_hero(
    designed: tuple[Path, dict[str, Any], Any, Any], quality: Any
) -> None:
    root, output, facts, spec = designed
    video = root / "out" / output["video"]
    m = quality.measure(
        video, output, root / "product.png", facts.cta, facts.domain, spec, output["words"]
    )
    assert m["layouts"][0] == "hook_card" and m["layouts"][-1] == "end_card"
    assert "product_hero" in m["layouts"]
    assert m["end_card_cta"] and m["end_card_domain"], quality.ocr(
        quality.frame_at(video, output["design"]["slots"][-1]["end_s"] - 0.15)
    )
    assert m["hero_area"] >= 0.15
    # what the frames show agrees with what the design declared, the product clear of the
    # platform bands, and the captions moved beside the tall bottle while it shows
    assert m["hero_presentation"] == "alpha"
    assert m["hero_verified"] and m["hero_cover"] >= 0.15
    d, safe = output["design"], quality.safe_rect(output["width"], output["height"])
    assert d["hero"]["y"] >= safe.y
    assert d["captions_aside"]["x"] + d["captions_aside"]["w"] < d["hero"]["x"]
    assert m["min_contrast"] >= 4.5
    assert m["in_safe_zone"]
    # the captions too, found where libass really draws them (an outside attack: light-grey
    # brands' captions read only through a thin outline, and dipped into the feeds' bottom band)
    assert m["caption_contrast"] >= 4.5
    assert m["captions_in_safe_zone"]
