"""Once the platforms report, the gallery links a performance page with its chart and table."""

from __future__ import annotations

from pathlib import Path

from infra.briefs import load_brief
from infra.gallery import write_gallery
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.loop.ingest import ingest_rows
from shared.models import PerformanceSnapshot
from shared.pipeline.campaigns import campaign_view, start_campaign
from shared.platforms.reports import Row
from shared.platforms.tracking import tracking_code
from shared.settings import Settings
from tests.conftest import EXAMPLES


def test_performance_page_appears_with_data(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", render=False, log_level="WARNING")
    with LocalRuntime(settings) as rt:
        loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml")
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        wait_for_campaign(rt.services, campaign.id)
        out = tmp_path / "gallery"
        write_gallery(rt.services, campaign_view(rt.services, campaign.id), out)
        assert not (out / "performance.html").exists(), "no data, no page"
        assert "performance.html" not in (out / "index.html").read_text()

        rows = [
            Row(
                PerformanceSnapshot(
                    platform="meta",
                    ad_id=f"a{label}",
                    day="2026-11-20",
                    impressions=5000,
                    clicks=40 + i * 10,
                    spend=25.0,
                    conversions=2 + i,
                    revenue=60.0 + 20 * i,
                ),
                f"GlowDrop {tracking_code(campaign.id, label)}",
            )
            for i, label in enumerate("ABCDEFG")
        ]
        ingest_rows(rt.services, rows, source="test")
        write_gallery(rt.services, campaign_view(rt.services, campaign.id), out)
    assert 'href="performance.html"' in (out / "index.html").read_text()
    page = (out / "performance.html").read_text()
    assert "performance.png" in page and "what is winning" in page
    assert (out / "performance.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
