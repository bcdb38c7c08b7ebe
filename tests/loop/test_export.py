"""Export: each platform's bulk sheet, the right video per aspect, a tracking code in every ad
name and landing URL, and nothing written when a creative breaks a platform limit."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from shared.errors import BadInput
from shared.loop.export import export_command
from shared.platforms.tracking import parse_code
from shared.services import Services
from tests.loop.conftest import LoopSettings, seed_campaign


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def campaign(services: Services) -> None:
    seed_campaign(
        services,
        "c1",
        [
            {"label": "A", "tag": "Approved", "video_id": "V1"},
            {
                "label": "B",
                "tag": "Winner",
                "video_id": "V4",
                "headline": "Glow",
                "hook": "POV: glow",
            },
            {"label": "C", "tag": "Draft", "video_id": "V1"},
            {
                "label": "B01",
                "tag": "Approved",
                "hook": "Still dull?",
                "voiceover": "Still dull? One drop.",
            },
        ],
    )
    for vid, aspects in (("V1", ("9x16", "4x5", "16x9")), ("V4", ("9x16",))):
        assets = {}
        for aspect in aspects:
            blob = f"campaigns/c1/render/{vid}/out/{vid}_{aspect}.mp4"
            services.blobs.put(blob, f"{vid}-{aspect}".encode())
            assets[aspect] = {"video": blob, "poster": "p", "sheet": "s"}
        services.documents.set(
            f"campaigns/c1/videos/{vid}",
            {"id": vid, "funnel_stage": "Awareness", "prompt": "x", "assets": assets},
        )


def test_meta_sheet_has_one_ad_per_placement_with_that_aspects_video(
    services: Services, settings: LoopSettings, campaign: None, tmp_path: Path
) -> None:
    settings.meta_page_id = "1234567890"
    files = export_command(services, "c1", "meta", tmp_path)
    rows = _rows(tmp_path / "meta-ads-import.csv")
    # C is a draft; B01 has no rendered video, so it is left out and the notes say so.
    assert {parse_code(r["Ad Name"]) for r in rows} == {("c1", "A"), ("c1", "B")}
    a = {r["Ad Name"].split()[1]: r for r in rows if parse_code(r["Ad Name"]) == ("c1", "A")}
    assert a["feed"]["Video File Name"] == "adl.c1.A.4x5.mp4"
    assert a["stories"]["Video File Name"] == "adl.c1.A.9x16.mp4"
    assert (tmp_path / "videos" / "adl.c1.A.4x5.mp4").read_bytes() == b"V1-4x5"
    for r in rows:
        tags = parse_qs(r["URL Tags"])
        assert tags["utm_content"] == [r["Ad Name"].split()[0]]
        assert parse_qs(urlsplit(r["Link"]).query) == {"ref": ["ads"]}  # the brief's own
    notes = (tmp_path / "meta-ads-import-notes.txt").read_text()
    assert tmp_path / "meta-ads-import-notes.txt" in files and "B01: no rendered video" in notes


def test_the_tiktok_sheet_carries_the_code_and_fits_the_limits(
    services: Services, campaign: None, tmp_path: Path
) -> None:
    export_command(services, "c1", "tiktok", tmp_path)
    tiktok = {r["Ad Name"]: r for r in _rows(tmp_path / "tiktok-bulk-ads.csv")}
    assert tiktok["adl.c1.A"]["Video Name"] == "adl.c1.A.9x16.mp4"
    assert "utm_content=adl.c1.B" in tiktok["adl.c1.B"]["Web URL"]
    # Google's sheet has its own tests: tests/loop/test_google_export.py.


def test_a_creative_over_a_limit_stops_the_export_and_writes_nothing(
    services: Services, tmp_path: Path
) -> None:
    seed_campaign(
        services,
        "c2",
        [{"label": "A", "tag": "Approved", "hook": "x" * 120, "headline": "y" * 120}],
    )
    with pytest.raises(BadInput, match="ad text is 120 characters"):
        export_command(services, "c2", "tiktok", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_nothing_approved_or_no_landing_url_is_a_clear_error(
    services: Services, tmp_path: Path
) -> None:
    seed_campaign(services, "c3", [{"label": "A"}])
    with pytest.raises(BadInput, match="no Approved or Winner"):
        export_command(services, "c3", "meta", tmp_path)
    seed_campaign(services, "c4", [{"label": "A", "tag": "Approved"}], landing_url=None)
    with pytest.raises(BadInput, match="landing_url"):
        export_command(services, "c4", "meta", tmp_path)


@pytest.mark.parametrize("platform", ["meta", "tiktok"])
def test_copy_a_spreadsheet_would_run_as_a_formula_is_refused_and_nothing_written(
    services: Services, settings: LoopSettings, campaign: None, tmp_path: Path, platform: str
) -> None:
    settings.meta_page_id = "100000000000001"
    hostile = '=HYPERLINK("https://evil.example","Claim")'
    for label, text in (("A", hostile), ("B", "@SUM(1+1)*cmd|' /C calc'!A0")):
        path = f"campaigns/c1/creatives/{label}"
        doc = services.documents.get(path) or {}
        services.documents.set(path, {**doc, "primary_text": text, "hook": text})
    with pytest.raises(BadInput) as caught:
        export_command(services, "c1", platform, tmp_path / "out")
    said = str(caught.value)
    assert "starts with '='" in said and "starts with '@'" in said and "formula" in said
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text", ["-2+3+cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-20% today. One drop a day."]
)
def test_a_sign_at_the_start_is_refused_even_before_a_number(
    services: Services, settings: LoopSettings, campaign: None, tmp_path: Path, text: str
) -> None:
    """Excel runs "-2+3+cmd|..." as a formula: a leading sign is refused whatever follows."""
    settings.meta_page_id = "100000000000001"
    path = "campaigns/c1/creatives/A"
    doc = services.documents.get(path) or {}
    services.documents.set(path, {**doc, "primary_text": text})
    with pytest.raises(BadInput, match=re.escape(f"starts with '{text[0]}'")):
        export_command(services, "c1", "meta", tmp_path / "out")
    assert not (tmp_path / "out").exists()
