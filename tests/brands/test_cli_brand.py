"""Brands that are remembered, through the CLI: the first campaign of a brand makes its kit; a
second one, started with `--brand` and a brief of product and offer only, writes from the kit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PIL import Image

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


def _saved_kit() -> None:
    """A local kit, as a first campaign of the brand leaves one (tested above)."""
    docs = bootstrap(Settings()).documents
    brands.edit(docs, "local:glowdrop", brands.LOCAL, {"name": "GlowDrop"}, by="t", request_id="1")


def test_brand_logo_keeps_the_image_under_the_kit_as_a_new_version(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _saved_kit()
    logo = tmp_path / "logo.webp"
    Image.new("RGB", (64, 64), (242, 166, 90)).save(logo, "WEBP")

    code, out, err = _run(capsys, "brand", "logo", "glowdrop", str(logo))

    assert code == 0, err
    sha8 = hashlib.sha256(logo.read_bytes()).hexdigest()[:8]
    path = f"brands/local:glowdrop/logo-{sha8}.webp"
    assert out.strip() == f"GlowDrop (version 2): logo {path}"
    services = bootstrap(Settings())
    kit = brands.get_kit(services.documents, "local:glowdrop")
    assert kit is not None and kit.version == 2 and kit.logo == path
    assert services.blobs.get(path) == logo.read_bytes()
    code, out, _ = _run(capsys, "brand", "show", "glowdrop")
    assert f"logo: {path}" in out
    # The same file again changes nothing: no new version.
    code, out, _ = _run(capsys, "brand", "logo", "GlowDrop", str(logo))
    assert code == 0 and "(version 2)" in out


def test_brand_logo_refuses_a_file_that_is_no_image_and_an_unknown_brand(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _saved_kit()
    notes = tmp_path / "logo.png"
    notes.write_text("just some notes")

    code, _, err = _run(capsys, "brand", "logo", "glowdrop", str(notes))
    assert code == 2 and "logo.png: not a PNG, JPEG or WebP image" in err
    code, _, err = _run(capsys, "brand", "logo", "glowdrop", str(tmp_path / "missing.png"))
    assert code == 2 and "cannot read the logo" in err
    code, _, err = _run(capsys, "brand", "logo", "Nope", str(notes))
    assert code == 2 and "no brand 'Nope'; saved brands: GlowDrop" in err

    kit = brands.get_kit(bootstrap(Settings()).documents, "local:glowdrop")
    assert kit is not None and kit.version == 1 and kit.logo is None
