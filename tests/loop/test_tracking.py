"""Tracking parameters: adloop's added to the landing URL, the rest left as the brief wrote it."""

from __future__ import annotations

from pathlib import Path

from shared.loop.export import export_command
from shared.platforms.tracking import parse_code, replaced_params, with_utm, without_utm
from shared.services import Services
from tests.loop.conftest import seed_campaign

URL = "https://shop.example/p?ref=ads&flag&a=%2F&utm_source=news&utm_campaign=spring#top"


def test_the_briefs_own_parameters_stay_exactly_as_written() -> None:
    url = with_utm(URL, "adl.c1.A", source="tiktok")
    assert url == (
        "https://shop.example/p?ref=ads&flag&a=%2F&utm_campaign=spring"
        "&utm_source=tiktok&utm_medium=paid_social&utm_content=adl.c1.A#top"
    )
    assert parse_code(url) == ("c1", "A")
    assert without_utm(url) == "https://shop.example/p?ref=ads&flag&a=%2F&utm_campaign=spring#top"
    assert replaced_params(URL) == ["utm_source"]


def test_an_export_says_when_the_briefs_tracking_parameters_gave_way(
    services: Services, tmp_path: Path
) -> None:
    seed_campaign(
        services, "c1", [{"label": "A", "tag": "Approved", "video_id": "V1"}], landing_url=URL
    )
    services.blobs.put("campaigns/c1/render/V1/out/V1_9x16.mp4", b"mp4")
    services.documents.set(
        "campaigns/c1/videos/V1",
        {"id": "V1", "assets": {"9x16": {"video": "campaigns/c1/render/V1/out/V1_9x16.mp4"}}},
    )
    files = export_command(services, "c1", "tiktok", tmp_path, include_all=True)
    notes = next(f for f in files if f.name.endswith("-notes.txt")).read_text(encoding="utf-8")
    assert "landing URL's own utm_source gave way to adloop's tracking parameters" in notes
