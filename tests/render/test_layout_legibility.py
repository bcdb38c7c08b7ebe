"""Designed scenes stay legible and varied on hostile briefs (issue 18, an outside attack):
long names, near-identical brand colours, sparse briefs, missing glyphs. Layers are drawn
(Pillow), no video is rendered."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from PIL import Image

from gpu_jobs.captions import CaptionLook, build_ass, legible_highlight, text_zones
from gpu_jobs.layouts import draw, glyphs
from gpu_jobs.layouts.build import areas, drawable
from gpu_jobs.layouts.contrast import BLACK, WHITE, choose_ink, visible_fill
from gpu_jobs.layouts.design import Canvas, compose, end_backdrop
from gpu_jobs.layouts.draw import font_file
from gpu_jobs.layouts.planner import Layout, Slot, plan, sequence
from gpu_jobs.targets import TARGETS, Target, safe_rect
from gpu_jobs.voice import WordTiming
from shared.errors import BadInput
from shared.models.render import AdFacts, RenderSpec, SceneSpec

SPARSE_SCENES = [
    SceneSpec(kind="generated", prompt="Close-up", text="Tired of dull skin?", role="hook"),
    SceneSpec(kind="generated", prompt="Serum in use", text="One drop a day", role="product"),
    SceneSpec(kind="generated", prompt="End card", text="Free shipping today", role="offer"),
]


def test_a_sparse_brief_still_gives_five_different_videos_and_no_layout_twice_in_a_row() -> None:
    # the attack's bare brief: no proof, no quote, no benefits, only an offer
    facts = AdFacts(cta="Shop now", domain="acme.example", offer="free shipping")
    plans = [
        plan(SPARSE_SCENES, [3.5, 7.0, 5.2], facts, v, has_product=True, end_card_s=2.5)
        for v in range(5)
    ]
    assert len({sequence(p) for p in plans}) == 5
    for slots in plans:
        seq = sequence(slots)
        assert all(a != b for a, b in zip(seq, seq[1:], strict=False)), seq
        assert seq[-1] == "end_card" and "product_hero" in seq


LONG_BRAND = "The Extraordinarily Long Named Skincare Company of Greater Metropolitan Springfield"
LONG_DOMAIN = "shop.extraordinarily-long-named-skincare-company-springfield.example"


def _canvas(target: Target, colors: list[str], work: Path) -> Canvas:
    look = CaptionLook("word_pop", "DejaVu Sans", "#ffffff", "#ffd400")
    text, hero = areas(target, 0, text_zones(target.width, target.height, look)[1].y)
    return Canvas(target.width, target.height, text, hero, FONT, colors, work, target.slug)


FONT = font_file("DejaVu Sans")


def test_a_name_too_long_for_its_lines_is_shortened_at_a_word_boundary_with_an_ellipsis() -> None:
    size, lines = draw.fit(LONG_BRAND, FONT, 700, 400, 2, 120, 48)
    assert size == 48 and len(lines) == 2
    assert lines[-1].endswith(draw.ELLIPSIS)
    shown = " ".join(lines).removesuffix(draw.ELLIPSIS).split()
    assert shown == LONG_BRAND.split()[: len(shown)]  # whole words, in order, none cut
    assert all(draw.line_width(line, FONT, size) <= 700 for line in lines)


def test_a_domain_wraps_after_its_dots_and_hyphens_and_is_never_shortened() -> None:
    size, lines = draw.fit(LONG_DOMAIN, FONT, 800, 400, 3, 80, 40, domain=True)
    assert "".join(lines) == LONG_DOMAIN and len(lines) > 1
    assert all(line[-1] in ".-" for line in lines[:-1])
    assert size >= 40


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_end_card_fits_brand_cta_domain_and_offer_in_the_safe_area_of_every_aspect(
    name: str, tmp_path: Path
) -> None:
    target = TARGETS[name]
    facts = AdFacts(
        brand=LONG_BRAND[:59] + draw.ELLIPSIS,
        cta="Shop the Springfield collection",
        domain=LONG_DOMAIN,
        offer="20% off your first order when you subscribe today",
    )
    canvas = _canvas(target, ["#f2a65a", "#7a3e12"], tmp_path)
    ground = end_backdrop(target.width, target.height, canvas.colors)
    drawn = compose(Slot(Layout.END, -1, 0.0, 2.5), 0.0, ground, canvas, facts, None, None, 0)
    texts = [b.text for b in drawn.boxes]
    assert texts == [facts.brand, facts.cta, facts.domain, facts.offer]
    a = canvas.area
    for layer in drawn.layers:
        assert a.x <= layer.x and layer.x + layer.w <= a.right + 1
        assert a.y <= layer.y and layer.y + layer.h <= a.bottom + 1
    for b in drawn.boxes:
        assert b.contrast >= 4.5
        assert b.rect.h >= 36  # one line of text at the smallest size OCR reads


def test_a_button_on_a_backdrop_of_nearly_its_own_colour_gets_another_fill() -> None:
    navy = np.full((60, 60, 3), (58, 26, 10), np.uint8)  # #0a1a3a as BGR
    assert visible_fill("#0b1c3d", navy, ["#0b1c3d", "#0a1a3a"]) == WHITE
    assert visible_fill("#0b1c3d", navy, ["#0b1c3d", "#f5b700"]) == "#f5b700"
    light = np.full((60, 60, 3), 244, np.uint8)
    assert visible_fill("#fafafa", light, ["#ffffff", "#f4f4f4"]) == BLACK


def test_a_bright_spot_behind_white_text_sends_it_to_a_plate_though_the_mean_is_dark() -> None:
    ground = np.full((100, 100, 3), 30, np.uint8)
    ground[:1, :] = 250  # 1 % of the pixels: a bokeh highlight, not grain
    assert float(ground.mean()) < 40
    ink = choose_ink(ground, [WHITE])
    assert ink.plate is not None and ink.ratio >= 4.5


def test_plated_headline_lines_never_cover_the_line_above(tmp_path: Path) -> None:
    target = TARGETS["9:16"]
    canvas = _canvas(target, ["#1a2a6c", "#f5b700"], tmp_path)
    rng = np.random.default_rng(1)
    busy = rng.integers(0, 256, (target.height, target.width, 3), dtype=np.uint8)
    text = "Tired of putting up with dull, grey skin every morning?"
    slot = Slot(Layout.HOOK, 0, 0.0, 3.0, text)
    drawn = compose(slot, 0.0, busy, canvas, AdFacts(), None, None, 0)
    boxes = sorted(drawn.boxes, key=lambda b: b.rect.y)
    assert len(boxes) >= 2 and all(b.plate for b in boxes)
    assert all(a.rect.bottom <= b.rect.y for a, b in zip(boxes, boxes[1:], strict=False))


def test_characters_no_installed_font_draws_are_left_out_and_reported() -> None:
    lost = "\U0010fffd"  # a private-use code point: no font has it
    assert glyphs.drawable(f"Acme {lost} Serum", FONT) == "Acme Serum"
    spec = RenderSpec.model_validate(
        {
            "video_id": "V1",
            "duration_s": 6,
            "scenes": [{"kind": "generated", "prompt": "p", "text": f"Hi {lost}", "duration_s": 6}],
            "design": {"variant": 0, "facts": {"brand": lost, "offer": "10% off"}},
        }
    )
    cleaned, warnings = drawable(spec, FONT)
    assert cleaned.design is not None and cleaned.design.facts.brand is None
    assert cleaned.scenes[0].text == "Hi" and cleaned.design.facts.offer == "10% off"
    assert len(warnings) == 2 and all("no installed font" in w for w in warnings)


def test_a_character_the_brand_font_lacks_is_drawn_in_an_installed_font_that_has_it() -> None:
    other = next(
        (
            f
            for f in ("DejaVuSansMono-Bold.ttf", "DejaVuMathTeXGyre.ttf")
            if (Path(FONT).parent / f).exists()
        ),
        None,
    )
    if other is None:
        pytest.skip("no second DejaVu face installed")
    extra = [
        chr(c)
        for first, last in glyphs.charset(str(Path(FONT).parent / other))
        for c in range(first, min(last, first + 200) + 1)
        if chr(c).isprintable() and not glyphs.covers(FONT, chr(c))
    ]
    assert extra, "the second face has nothing the first lacks"
    pieces = glyphs.runs(f"A{extra[0]}B", FONT)
    assert [p for _, p in pieces] == ["A", extra[0], "B"]
    assert pieces[1][0] != FONT


def test_captions_read_at_4_5_on_their_box_and_stay_inside_the_safe_zone() -> None:
    assert legible_highlight("#3050ff") == "#ffd400"  # a saturated blue is too dark on the box
    assert legible_highlight("#f5b700") == "#f5b700"
    for target in TARGETS.values():
        look = CaptionLook("word_pop", "DejaVu Sans", "#ffffff", "#ffd400")
        zone = text_zones(target.width, target.height, look)[1]
        assert zone.bottom <= safe_rect(target.width, target.height).bottom
    ass = build_ass(
        [WordTiming("Hello", 0.0, 0.4), WordTiming("\U0010fffd", 0.4, 0.8)],
        1080,
        1080,
        CaptionLook("word_pop", "DejaVu Sans", "#ffffff", "#ffd400"),
        drawable=lambda t: glyphs.drawable(t, FONT),
    )
    subs = pysubs2.SSAFile.from_string(ass)
    assert subs.styles["CaptionBox"].borderstyle == 3
    assert [e.style for e in subs.events] == ["CaptionBox", "Caption"]


# An outside attack: a 40-character CTA was drawn as "Get 20% off your first…" in 9:16.
LONG_CTA = "Get 20% off your first order, shop today"


@pytest.mark.parametrize("name", ["9:16", "4:5"])
def test_a_long_cta_is_drawn_whole_on_its_button_and_reads_back(name: str, tmp_path: Path) -> None:
    target = TARGETS[name]
    facts = AdFacts(cta=LONG_CTA, domain="glowdrop.example", offer="20% off your first order")
    canvas = _canvas(target, ["#1a2a6c", "#f5b700"], tmp_path)
    ground = end_backdrop(target.width, target.height, canvas.colors)
    drawn = compose(Slot(Layout.END, -1, 0.0, 2.5), 0.0, ground, canvas, facts, None, None, 0)
    box = next(b for b in drawn.boxes if b.text == LONG_CTA)
    layer = next(x for x in drawn.layers if (x.x, x.y) == (box.rect.x, box.rect.y))
    a = canvas.area
    assert a.x <= layer.x and layer.x + layer.w <= a.right + 1
    # the button on a plain ground, as the bench reads a crop of its box
    page = Image.new("RGBA", (layer.w + 24, layer.h + 24), "white")
    page.alpha_composite(Image.open(layer.path), (12, 12))
    page.convert("RGB").save(tmp_path / "button.png")
    read = subprocess.run(
        ["tesseract", str(tmp_path / "button.png"), "-", "--psm", "6"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert " ".join(read.split()) == LONG_CTA, read


def test_a_cta_too_long_for_the_button_even_small_is_refused_with_what_fits() -> None:
    target = TARGETS["9:16"]
    facts = AdFacts(cta="Unbelievablysuperextraordinarydealsnow!!")
    with pytest.raises(BadInput) as e:
        canvas = _canvas(target, ["#1a2a6c", "#f5b700"], Path("/nonexistent"))
        ground = end_backdrop(target.width, target.height, canvas.colors)
        compose(Slot(Layout.END, -1, 0.0, 2.5), 0.0, ground, canvas, facts, None, None, 0)
    message = str(e.value)
    assert "design.facts.cta" in message and "9:16" in message
    holds = int(message.split("about ")[1].split()[0])
    assert 10 <= holds < len(facts.cta or "")


@pytest.mark.parametrize("field", ["cta", "domain"])
def test_a_cta_or_domain_no_installed_font_draws_is_refused_not_drawn_without_its_letters(
    field: str,
) -> None:
    lost = "\U0010fffd"  # a private-use code point: no font has it (as CJK without Noto CJK)
    text = f"shop{lost}.example" if field == "domain" else f"Shop {lost} now"
    spec = RenderSpec.model_validate(
        {
            "video_id": "V1",
            "duration_s": 6,
            "scenes": [{"kind": "generated", "prompt": "p", "duration_s": 6}],
            "design": {"variant": 0, "facts": {"brand": "Acme", field: text}},
        }
    )
    with pytest.raises(BadInput) as e:
        drawable(spec, FONT)
    message = str(e.value)
    assert f"design.facts.{field}" in message and repr(text) in message and repr(lost) in message
    assert "fonts-noto-cjk" in message


def test_a_too_long_cta_is_refused_in_characters() -> None:
    from shared.models.render import parse_spec

    data = {
        "video_id": "V1",
        "duration_s": 6,
        "scenes": [{"kind": "generated", "prompt": "p", "duration_s": 6}],
        "design": {"variant": 0, "facts": {"cta": "x" * 41}},
    }
    with pytest.raises(BadInput, match="at most 40 characters, not 41"):
        parse_spec(json.dumps(data))
