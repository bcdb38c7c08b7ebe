"""The review gallery shows, per creative and per variation, a collapsed "Claims and sources":
each claim, its kind and the brief's words that support it (or why nothing does)."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from infra.briefs import load_brief
from infra.gallery import render_gallery, write_gallery
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.pipeline.campaigns import campaign_view, start_campaign
from shared.settings import Settings
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = Settings(home=tmp_path_factory.mktemp("home"), render=False, log_level="WARNING")
    with LocalRuntime(settings) as rt:
        loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml", variations=2)
        started = start_campaign(rt.services, loaded.brief, images=loaded.images)
        assert wait_for_campaign(rt.services, started.id, timeout_s=120)["status"] == "complete"
        found = campaign_view(rt.services, started.id)
        write_gallery(rt.services, found, tmp_path_factory.mktemp("gallery"))
        return found


def _page(view: dict[str, Any]) -> Any:
    html = render_gallery(view, audit=[], bar=0.75, threshold=85, videos={})
    return lxml.html.fromstring(html)


def test_each_creative_has_its_claims_and_sources_collapsed(view: dict[str, Any]) -> None:
    page = _page(view)
    for creative in view["creatives"]:
        [card] = page.xpath(f'//article[@data-label="{creative["label"]}"]')
        sections = card.xpath('.//details[@class="claims"]')
        if not creative["claims"]:
            assert sections == []
            continue
        [section] = sections
        assert section.get("open") is None, "collapsed until a reviewer opens it"
        summary = section.xpath("./summary")[0].text_content()
        assert summary == f"Claims and sources ({len(creative['claims'])})"
        items = [li.text_content() for li in section.xpath(".//li")]
        for claim, item in zip(creative["claims"], items, strict=True):
            assert f"“{claim['span']}”" in item and claim["kind"] in item
            assert f"{claim['source']}: “{claim['source_text']}”" in item
    offered = [c for c in view["creatives"] if any(t["span"] == "20% off" for t in c["claims"])]
    assert offered, "the offer's discount is a claim the gallery traces to the offer"
    blueprint_sections = page.xpath('//table[@id="blueprints"]//details[@class="claims"]')
    assert len(blueprint_sections) == sum(1 for b in view["blueprints"] if b["claims"])


def test_an_unsupported_claim_says_why_and_copy_is_escaped(view: dict[str, Any]) -> None:
    first = view["creatives"][0]
    planted = {
        "kind": "duration",
        "span": "<b>in 7 days</b>",
        "supported": False,
        "source": None,
        "source_text": None,
        "reason": "no part of the brief or brand kit states 'in 7 days'",
    }
    page = _page({**view, "creatives": [{**first, "claims": [planted]}, *view["creatives"][1:]]})

    [item] = page.xpath(f'//article[@data-label="{first["label"]}"]//details[@class="claims"]//li')
    assert item.get("class") == "unsupported"
    assert item.xpath(".//b") == [], "copy is text, never markup"
    text = item.text_content()
    assert "“<b>in 7 days</b>”" in text and "not in the brief: no part of the brief" in text
