"""Brands that are remembered, through the CLI: the first campaign of a brand makes its kit; a
second one, started with `--brand` and a brief of product and offer only, writes from the kit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.cli import main
from shared import brands
from shared.bootstrap import bootstrap
from shared.settings import Settings
from tests.conftest import EXAMPLES


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_second_campaign_with_brand_needs_only_product_and_offer(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, "campaign", "new", "--brief", str(EXAMPLES / "glowdrop-serum.yaml"), "--json"
    )
    first = json.loads(out)
    assert code == 0 and first["status"] == "complete"
    assert first["brand_id"] == "local:glowdrop" and first["brand_version"] == 1

    code, out, _ = _run(capsys, "brand", "list")
    assert code == 0 and out.startswith("GlowDrop  v1  glowdrop.example")

    second = tmp_path / "eye-cream.yaml"
    second.write_text("product: GlowDrop Eye Cream\noffer: buy one, get one half price\n")
    code, out, err = _run(
        capsys, "campaign", "new", "--brief", str(second), "--brand", "glowdrop", "--json"
    )
    assert code == 0, err
    made = json.loads(out)
    assert made["status"] == "complete"
    brief = made["brief"]
    assert brief["product"] == "GlowDrop Eye Cream"
    assert brief["brand_name"] == "GlowDrop"
    assert brief["avoid"] == ["miracle", "anti-aging", "flawless"]
    assert brief["proof"][:2] == ["4.8 stars from 2,300 reviews", "15% vitamin C with ferulic acid"]
    assert brief["brand_colors"] == ["#f2a65a", "#7a3e12", "#fff4e6"]
    assert brief["persona"] == "busy moms in their 30s who skip skincare"
    assert brief["market"] == "US and US Hispanic"
    assert brief["landing_url"] == "https://glowdrop.example/"
    assert "warm" in (brief["brand_voice"] or "")
    # Same kit, enriched by the second campaign; every creative says which version it used.
    assert made["brand_id"] == "local:glowdrop"
    used = made["brand_version"]
    assert used >= 1
    assert {(c["brand_id"], c["brand_version"]) for c in made["creatives"]} == {
        ("local:glowdrop", used)
    }
    docs = bootstrap(Settings()).documents
    assert [k.id for k in brands.list_kits(docs, brands.LOCAL)] == ["local:glowdrop"]
    assert brands.load_version(docs, "local:glowdrop", 1) is not None
    # A campaign for the same brand does not start it over: the first campaign's avoid list and
    # proof are still there.
    kit = brands.get_kit(docs, "local:glowdrop")
    assert kit is not None and {"miracle", "anti-aging", "flawless"} <= set(kit.avoid)


def test_an_unknown_brand_is_refused_with_the_saved_ones(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text("product: Thing\noffer: 10% off\n")
    code, _, err = _run(capsys, "campaign", "new", "--brief", str(brief), "--brand", "Nope")
    assert code == 2
    assert "no brand 'Nope'" in err and "none yet" in err
