"""Meta's Ads Manager import sheet creates the campaign, its ad sets and ads it names: its header
is the fixture taken from Ads Manager's own export (tests/fixtures/platforms/meta/SOURCES.md),
every column an import needs is filled on every row, and the tracking parameters appear once."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from shared.errors import BadInput
from shared.loop.export import export_command
from shared.platforms.meta_import import REQUIRED
from shared.services import Services
from tests.loop.conftest import LoopSettings, seed_campaign

FIXTURES = Path(__file__).parents[1] / "fixtures" / "platforms" / "meta"


def _fixture(name: str) -> dict[str, list[str]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _export(services: Services, tmp_path: Path) -> tuple[list[str], list[dict[str, str]]]:
    export_command(services, "c1", "meta", tmp_path)
    with (tmp_path / "meta-ads-import.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture
def campaign(services: Services, settings: LoopSettings) -> None:
    """Two approved creatives with videos, in a brief whose market is Mexico and Colombia."""
    seed_campaign(
        services,
        "c1",
        [
            {"label": "A", "tag": "Approved", "video_id": "V1"},
            {"label": "B", "tag": "Winner", "video_id": "V4", "language": "es"},
        ],
        landing_url="https://shop.example/serum?ref=ads&utm_content=stale",
    )
    doc = services.documents.get("campaigns/c1") or {}
    services.documents.set(
        "campaigns/c1", {**doc, "brief": {**doc["brief"], "market": "Mexico y Colombia"}}
    )
    for vid, aspects in (("V1", ("9x16", "4x5")), ("V4", ("9x16",))):
        assets = {}
        for aspect in aspects:
            blob = f"campaigns/c1/render/{vid}/out/{vid}_{aspect}.mp4"
            services.blobs.put(blob, f"{vid}-{aspect}".encode())
            assets[aspect] = {"video": blob, "poster": "p", "sheet": "s"}
        services.documents.set(f"campaigns/c1/videos/{vid}", {"id": vid, "assets": assets})
    settings.meta_page_id = "104857600123"
    settings.export_daily_budget = 35.5


def test_the_header_is_ads_managers_own(services: Services, campaign: None, tmp_path: Path) -> None:
    header, _ = _export(services, tmp_path)
    assert header == _fixture("import_header.json")["header"]
    seen = _fixture("ads_manager_columns.json")
    known = set(seen["export_2025_campaign_ad_set_ad"]) | set(seen["export_full_excerpt"])
    assert [h for h in header if h not in known] == []


def test_every_row_can_create_its_campaign_ad_set_and_ad(
    services: Services, campaign: None, tmp_path: Path
) -> None:
    _, rows = _export(services, tmp_path)
    assert len(rows) == 3  # A: feed and stories; B: stories only (it has only a 9:16 video)
    for row in rows:
        assert [c for c in REQUIRED if not row[c].strip()] == [], row["Ad Name"]
    a_feed = next(r for r in rows if r["Ad Name"].startswith("adl.c1.A feed"))
    assert {k: a_feed[k] for k in ("Campaign Status", "Campaign Objective", "Buying Type")} == {
        "Campaign Status": "PAUSED",
        "Campaign Objective": "Outcome Traffic",
        "Buying Type": "AUCTION",
    }
    assert a_feed["Campaign Daily Budget"] == "35.50"
    assert a_feed["Link Object ID"] == "o:104857600123"
    assert a_feed["Countries"] == "MX, CO"  # from the brief's market
    assert a_feed["Ad Set Time Start"].endswith(" 12:00:00 am")
    assert (a_feed["Facebook Positions"], a_feed["Video File Name"]) == ("feed", "adl.c1.A.4x5.mp4")
    b = next(r for r in rows if r["Ad Name"].startswith("adl.c1.B"))
    assert b["Ad Set Name"] == "c1 Conversion es stories"
    assert b["Instagram Positions"] == "story, reels"
    assert len({r["Campaign Name"] for r in rows}) == 1  # one new campaign


def test_utm_content_appears_once_in_the_url_meta_serves(
    services: Services, campaign: None, tmp_path: Path
) -> None:
    _, rows = _export(services, tmp_path)
    for row in rows:
        # Meta appends URL Tags to Link: the URL a click lands on is the two joined.
        served = f"{row['Link']}&{row['URL Tags']}"
        query = parse_qs(urlsplit(served).query)
        assert query["utm_content"] == [row["Ad Name"].split()[0]], served
        assert query["utm_source"] == ["meta"] and query["ref"] == ["ads"]


def test_without_a_page_the_export_says_which_setting_to_fill(
    services: Services, settings: LoopSettings, campaign: None, tmp_path: Path
) -> None:
    settings.meta_page_id = None
    with pytest.raises(BadInput, match="ADLOOP_META_PAGE_ID"):
        export_command(services, "c1", "meta", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    settings.meta_page_id = "https://facebook.com/glowdrop"
    with pytest.raises(BadInput, match="numeric ID"):
        export_command(services, "c1", "meta", tmp_path / "out")


def test_the_notes_name_only_what_a_person_must_do(
    services: Services, settings: LoopSettings, campaign: None, tmp_path: Path
) -> None:
    settings.meta_instagram_account_id = "17841400000000001"
    _, rows = _export(services, tmp_path)
    assert {r["Instagram Account ID"] for r in rows} == {"17841400000000001"}
    notes = (tmp_path / "meta-ads-import-notes.txt").read_text().splitlines()
    assert len(notes) == 3
    assert "videos/" in notes[0] and "paused" in notes[1]
    # The brief's link carried a utm_content of its own: the marketer hears it was replaced.
    assert "landing URL's own utm_content gave way" in notes[2]
