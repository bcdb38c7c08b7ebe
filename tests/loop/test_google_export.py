"""The Google Ads Editor export: a paused Performance Max campaign in Editor's own column names,
one asset group per creative meeting Performance Max's minimums, and its images rendered from
the brief's product image and the creative's video at Google's sizes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from shared.errors import BadInput
from shared.loop.export import export_command
from shared.platforms.google import PLATFORM, business_name, google_sheet
from shared.platforms.sheets import Ad, ExportJob
from shared.services import Services
from tests.loop.conftest import seed_campaign

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/platforms/google/editor_pmax_header.json"
SPEC = json.loads(FIXTURE.read_text(encoding="utf-8"))
MINS = SPEC["pmax_minimums"]
SHEET = "google-ads-editor-pmax.csv"


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _mp4(tmp: Path, size: str) -> bytes:
    path = tmp / f"clip-{size}.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=5:d=1",
         "-pix_fmt", "yuv420p", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path.read_bytes()


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _seed(services: Services, tmp: Path, *, product_image: bool = True) -> None:
    seed_campaign(
        services,
        "g1",
        [
            {"label": "A", "tag": "Approved", "video_id": "V1"},
            {"label": "B", "tag": "Winner", "headline": "Glow", "hook": "POV: glow"},
        ],
    )
    doc = services.documents.get("campaigns/g1") or {}
    if product_image:
        services.blobs.put("campaigns/g1/brief/bottle.png", _png((800, 1000)))
        doc["product_images"] = ["campaigns/g1/brief/bottle.png"]
    services.documents.set("campaigns/g1", doc)
    assets = {}
    for aspect, size in (("16x9", "320x180"), ("9x16", "180x320")):
        blob = f"campaigns/g1/render/V1/out/V1_{aspect}.mp4"
        services.blobs.put(blob, _mp4(tmp, size))
        assets[aspect] = {"video": blob, "poster": "p", "sheet": "s"}
    services.documents.set(
        "campaigns/g1/videos/V1",
        {"id": "V1", "funnel_stage": "Awareness", "prompt": "x", "assets": assets},
    )


needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture
def exported(services: Services, tmp_path: Path) -> Path:
    _seed(services, tmp_path)
    out = tmp_path / "out"
    export_command(services, "g1", "google", out)
    return out


@needs_ffmpeg
def test_the_header_is_editors_own_performance_max_columns(exported: Path) -> None:
    with (exported / SHEET).open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == SPEC["header"]
    columns = SPEC["editor_pmax_export_columns"]
    positions = [columns.index(h) for h in header]  # every name is one Editor exports...
    assert positions == sorted(positions)  # ...and in Editor's order


@needs_ffmpeg
def test_a_paused_performance_max_campaign_with_its_budget_languages_and_locations(
    exported: Path,
) -> None:
    rows = _rows(exported / SHEET)
    campaign = [r for r in rows if r["Campaign Type"]]
    assert len(campaign) == 1
    for column in ("Campaign Type", "Budget type", "Bid Strategy Type", "Campaign Status"):
        assert campaign[0][column] == SPEC["values"][column]
    assert float(campaign[0]["Budget"]) > 0
    assert campaign[0]["Languages"] == "en;es"  # the brief's languages
    date.fromisoformat(campaign[0]["Start Date"])
    assert [r["Location"] for r in rows if r["Location"]] == ["United States"]
    assert all(r["Campaign"] == "adloop g1" for r in rows)


@needs_ffmpeg
def test_every_asset_group_meets_performance_max_minimums(exported: Path) -> None:
    groups = {r["Asset Group"]: r for r in _rows(exported / SHEET) if r["Asset Group"]}
    assert set(groups) == {"adl.g1.A", "adl.g1.B"}
    for code, row in groups.items():
        for kind, cols, limit_key in (
            ("headline", [f"Headline {i}" for i in range(1, 16)], "headline"),
            ("long_headline", [f"Long headline {i}" for i in range(1, 6)], "long_headline"),
            ("description", [f"Description {i}" for i in range(1, 6)], "description"),
        ):
            texts = [row[c] for c in cols if row[c]]
            spec = MINS[limit_key]
            assert len(texts) >= spec["min"], (code, kind, texts)
            assert all(PLATFORM.length(t) <= spec["max_chars"] for t in texts), (code, kind)
            if "one_at_most" in spec:
                assert any(PLATFORM.length(t) <= spec["one_at_most"] for t in texts), (code, kind)
        assert 0 < PLATFORM.length(row["Business name"]) <= MINS["business_name"]["max_chars"]
        assert f"utm_content={code}" in row["Final URL"]
        assert row["Asset Group Status"] == "Enabled"
        assert not any(row[f"Video ID {i}"] for i in range(1, 6))  # YouTube ids: a person's step


@needs_ffmpeg
def test_images_are_rendered_at_googles_sizes_from_the_product_and_the_video(
    exported: Path,
) -> None:
    sizes = {p.name: _size(p) for p in (exported / "images").iterdir()}
    want = {k: tuple(v["recommended"]) for k, v in MINS["images"].items() if k != "max_file_kb"}
    assert sizes["product1.landscape.jpg"] == want["MARKETING_IMAGE"]
    assert sizes["product1.square.jpg"] == want["SQUARE_MARKETING_IMAGE"]
    assert sizes["product1.portrait.jpg"] == want["PORTRAIT_MARKETING_IMAGE"]
    assert sizes["logo.logo.png"] == want["LOGO"]
    assert sizes["logo.landscape_logo.png"] == want["LANDSCAPE_LOGO"]
    # Only A has a video: its frames are its own; B takes the product image's cuts.
    assert sizes["adl.g1.A.landscape.jpg"] == want["MARKETING_IMAGE"]
    assert sizes["adl.g1.A.square.jpg"] == want["SQUARE_MARKETING_IMAGE"]
    assert not any(name.startswith("adl.g1.B") for name in sizes)
    for path in (exported / "images").iterdir():
        assert path.stat().st_size <= MINS["images"]["max_file_kb"] * 1024
    # The video frame is the test pattern, not the flat product colour.
    with Image.open(exported / "images/adl.g1.A.landscape.jpg") as frame:
        assert len(frame.convert("RGB").getcolors(maxcolors=1 << 24) or []) > 50
    notes = (exported / "google-ads-editor-pmax-notes.txt").read_text(encoding="utf-8")
    assert "wordmark" in notes and "YouTube" in notes and "no image columns" in notes
    assert (exported / "videos/adl.g1.A.16x9.mp4").exists()


@needs_ffmpeg
def test_no_product_image_and_no_video_frame_is_refused_with_what_to_do(
    services: Services, tmp_path: Path
) -> None:
    _seed(services, tmp_path, product_image=False)
    with pytest.raises(BadInput, match="add product_images to the brief") as e:
        export_command(services, "g1", "google", tmp_path / "out")
    assert "B:" in str(e.value) and "A:" not in str(e.value)  # A has a video to take frames from
    assert not (tmp_path / "out").exists()


def _ad(**kw: Any) -> Ad:
    base: dict[str, Any] = dict(
        campaign_id="g2", label="A", stage="Conversion", language="en", angle="x",
        headline="Glow in 7 days", primary_text="Dull skin? One drop a day. 20% off.",
        cta="Shop Now", hook="Tired of dull skin?", videos={},
    )  # fmt: skip
    return Ad(**{**base, **kw})


def _job(**kw: Any) -> ExportJob:
    base: dict[str, Any] = dict(
        campaign_id="g2", landing_url="https://shop.example/", business_name="GlowDrop",
        countries=("US", "MX"), languages=("en", "es"), start=date(2026, 3, 2),
        daily_budget=20.0, product_images=("p.png",), read_blob=lambda _: _png((600, 600)),
        product="GlowDrop serum", offer="20% off",
    )  # fmt: skip
    return ExportJob(**{**base, **kw})


def test_texts_are_the_creatives_own_or_the_briefs_facts_never_invented() -> None:
    ad, job = _ad(), _job()
    sheet = google_sheet([ad], job)
    assert not sheet.problems
    allowed = {ad.headline, ad.hook, ad.cta, ad.primary_text, job.product, job.offer}
    allowed |= {"Dull skin?", "One drop a day.", "20% off.", job.business_name}
    [group] = [r for r in sheet.rows if r["Asset Group"]]
    texts = [v for k, v in group.items() if k.startswith(("Headline", "Long", "Description")) and v]
    assert texts and set(texts) <= allowed
    assert [r["Location"] for r in sheet.rows if r["Location"]] == ["United States", "Mexico"]
    assert sheet.rows[0]["Languages"] == "en;es"


def test_copy_too_long_for_the_minimums_is_a_problem_naming_the_creative() -> None:
    long = "word " * 20
    ad = _ad(headline=long, hook=long, cta=long, primary_text=long)
    sheet = google_sheet([ad], _job(product=long, offer=long, business_name="GlowDrop Labs"))
    assert any(p.startswith("A: Performance Max needs 3 headline") for p in sheet.problems)
    assert any("description" in p for p in sheet.problems)


def test_a_long_business_name_is_cut_after_a_whole_word_or_refused() -> None:
    problems: list[str] = []
    notes: list[str] = []
    assert business_name("The Very Long Skincare Company Of Texas", problems, notes) == (
        "The Very Long Skincare"
    )
    assert notes and not problems
    assert business_name("GlowDrop Skin, Hair & Body Company", problems, notes) == (
        "GlowDrop Skin, Hair"  # never "GlowDrop Skin, Hair &"
    )
    assert business_name("GlowDrop Skincare Lab, Inc. of Austin", problems, notes) == (
        "GlowDrop Skincare Lab"  # never "GlowDrop Skincare Lab,"
    )
    assert business_name("Supercalifragilisticexpialidocious", problems, notes) == ""
    assert "brand_name" in problems[0]
