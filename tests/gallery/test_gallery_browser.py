"""The review gallery in a real headless Chromium (Debian's): it loads, shows the seven
creatives, and a video plays. The screenshot is kept in test-artifacts/ for people to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from infra.briefs import load_brief
from infra.gallery import write_gallery
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.pipeline.campaigns import campaign_view, start_campaign
from shared.settings import Settings
from tests.conftest import EXAMPLES, REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    out = tmp_path_factory.mktemp("gallery")
    settings = Settings(home=home, render=True, render_targets=["9:16"], log_level="WARNING")
    loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml", variations=3)
    with LocalRuntime(settings) as rt:
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        doc = wait_for_campaign(rt.services, campaign.id, timeout_s=300)
        assert doc["status"] == "complete", doc.get("error")
        return write_gallery(rt.services, campaign_view(rt.services, campaign.id), out)


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (scripts/install-system-deps.sh installs it)",
)
def test_gallery_loads_shows_seven_creatives_and_a_video_plays(gallery: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(gallery.as_uri())
            cards = page.locator("article.creative")
            assert cards.count() == 7
            assert [cards.nth(i).get_attribute("data-label") for i in range(7)] == list("ABCDEFG")
            assert page.locator("#blueprints tr").count() == 1 + 3
            assert "written by the offline engine" in page.inner_text("header")
            video = page.locator("article.creative video").first
            video.wait_for()
            played = page.evaluate(
                """async () => {
                    const v = document.querySelector('article.creative video');
                    v.muted = true;
                    await v.play();
                    await new Promise(r => setTimeout(r, 1200));
                    return {time: v.currentTime, width: v.videoWidth, height: v.videoHeight, error: v.error && v.error.code};
                }"""
            )
            assert played["error"] is None
            assert played["time"] > 0.3, "the video advanced while playing"
            assert (played["width"], played["height"]) == (1080, 1920)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "gallery.png"), full_page=False)
        finally:
            browser.close()
