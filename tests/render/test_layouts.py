"""Designed scenes, checked without rendering: the planner, the facts, contrast, the cut-out and
the motion in the argv."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from gpu_jobs.cutout import cut_out, trim
from gpu_jobs.encoder import Encoder
from gpu_jobs.filtergraph import (
    Layer,
    MasteredAudio,
    RenderPlan,
    SceneInput,
    TargetPlan,
    build_argv,
)
from gpu_jobs.layouts.contrast import (
    BLACK,
    WHITE,
    choose_ink,
    luminance,
    luminance_rgb,
    on_plate,
    ratio,
)
from gpu_jobs.layouts.planner import Layout, plan, sequence
from gpu_jobs.targets import TARGETS, UI_OVERLAYS, safe_rect
from shared.models.brief import Brief
from shared.models.render import AdFacts, SceneSpec
from shared.render_design import facts_from_brief

ROOT = Path(__file__).resolve().parents[2]


def brief(name: str) -> Brief:
    raw = yaml.safe_load((ROOT / "examples" / name).read_text())
    raw.pop("product_images", None)
    return Brief.model_validate(raw)


SCENES = [
    SceneSpec(kind="generated", prompt="Close-up: dull skin", text="Tired skin?", role="hook"),
    SceneSpec(kind="generated", prompt="GlowDrop in use", text="One step", role="product"),
    SceneSpec(kind="generated", prompt="End card with the offer", text="20% off", role="offer"),
]
DURATIONS = [2.5, 5.0, 6.0]


def test_wcag_contrast_matches_the_published_reference_values() -> None:
    assert ratio(luminance(WHITE), luminance(BLACK)) == pytest.approx(21.0)
    assert ratio(luminance("#767676"), luminance(WHITE)) == pytest.approx(4.54, abs=0.01)
    assert ratio(luminance("#777777"), luminance(WHITE)) < 4.5


def test_the_luminance_of_8_bit_pixels_is_the_wcag_formula_for_every_level() -> None:
    # 8-bit pixels take a table look-up; every level and a sample of colours must give the
    # numbers the WCAG formula gives for the same values as floats
    levels = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
    colours = np.random.default_rng(0).integers(0, 256, (2000, 3), dtype=np.uint8)
    for pixels in (levels, colours, colours.reshape(40, 50, 3)[:, ::2, ::-1]):
        assert np.array_equal(luminance_rgb(pixels), luminance_rgb(pixels.astype(np.float64)))
    assert luminance_rgb(np.array([255, 255, 255], np.uint8)) == pytest.approx(1.0)


def test_text_colour_is_chosen_against_the_pixels_behind_it() -> None:
    dark = np.full((40, 40, 3), 20, np.uint8)
    assert choose_ink(dark, [WHITE, BLACK]).text == WHITE
    light = np.full((40, 40, 3), 235, np.uint8)
    assert choose_ink(light, [WHITE, BLACK]).text == BLACK
    # half black, half white: no colour reads over both, so the text gets a plate
    split = np.zeros((40, 40, 3), np.uint8)
    split[:, 20:] = 255
    ink = choose_ink(split, [WHITE, BLACK, "#f2a65a"], ["#f2a65a"])
    assert ink.plate == "#f2a65a" and ink.ratio >= 4.5
    for plate in ("#777777", "#f5b700", "#1a2a6c", "#ff0000"):
        assert on_plate([plate]).ratio >= 4.5


def test_facts_come_from_the_brief_in_its_words_and_missing_ones_stay_empty() -> None:
    glow = facts_from_brief(brief("glowdrop-serum.yaml"), cta="Shop Now")
    assert (glow.offer_figure, glow.rating, glow.reviews) == ("20% OFF", 4.8, "2,300")
    assert glow.domain == "glowdrop.example" and glow.quote
    source = yaml.safe_dump(yaml.safe_load((ROOT / "examples/glowdrop-serum.yaml").read_text()))
    assert glow.quote in source and (glow.proof or "") in source
    assert all(b.lower() in source.lower() for b in glow.benefits)
    ledger = facts_from_brief(brief("ledgerly-bookkeeping.json"), cta="Start Free")
    assert ledger.rating is None and ledger.quote is None and ledger.offer_figure is None
    assert ledger.proof == "used by 40,000 freelancers"  # a figure, shown as written


def _facts(proof: str = "", offer: str = "20% off") -> AdFacts:
    raw = {"product": "Acme Serum", "offer": offer, "persona": "busy parents", "market": "US"}
    return facts_from_brief(
        Brief.model_validate({**raw, "proof": [proof] if proof else []}), cta=None
    )


@pytest.mark.parametrize(
    ("proof", "rating"),
    [
        ("4.8 stars from 2,300 reviews", 4.8),
        ("Rated 4,6/5 by 900 customers", 4.6),
        ("Rated 4.8 out of 5", 4.8),
        # an outside attack drew five full stars for each of these
        ("Over 2,300 5-star reviews", None),  # a count of five-star reviews, not a rating
        ("Not 5 stars yet, but 3.1 stars from 12 reviews", None),  # two figures, one denied
        ("Only 2 of 5 stars on Amazon, 40 reviews", None),
        ("1 in 5 stars from 3 reviews", None),
        # the second outside attack: asked, aimed at, or bounded, a rating is not stated
        ("Would you believe 5 stars?", None),
        ("4.8 out of 5 is what we aim for", None),
        ("Hasta 4,9 estrellas según la temporada", None),
        ("Up to 4.9 stars on our best sellers", None),
        ("4.7 stars from over 1,200 reviews", 4.7),  # "over" bounds the count
    ],
)
def test_stars_are_drawn_only_for_a_rating_the_proof_states_plainly(
    proof: str, rating: float | None
) -> None:
    facts = _facts(proof=proof)
    assert facts.rating == rating
    assert facts.proof == proof  # shown as written either way


@pytest.mark.parametrize(
    ("offer", "figure"),
    [
        ("20% off your first order", "20% OFF"),
        ("$24 for your first jar, free shipping", "$24"),
        # an outside attack: the badge stated another offer than the brief's
        ("Was $50, now $40", None),
        ("Spend $100, save 15%", None),
        ("$10 off orders over $50", None),
        ("Free trial, then $29.99/mo", None),
        ("Up to 70% off select items", None),
        ("BOGO 50% off", None),
        ("Precios desde 9,99 €", None),
        # the second outside attack: a minimum spend read as a price
        ("Free gift with orders over $40", None),
        ("Regalo en compras superiores a 30 €", None),
        ("Envío gratis en pedidos de más de $50", None),
    ],
)
def test_an_offer_badge_shows_a_figure_only_where_it_alone_is_the_offer(
    offer: str, figure: str | None
) -> None:
    facts = _facts(offer=offer)
    assert facts.offer_figure == figure
    assert facts.offer == offer  # the offer's words are on screen whole


def test_on_screen_text_is_one_line_without_control_or_bidi_characters() -> None:
    # An outside attack: a YAML block scalar's newline failed every render of the campaign in
    # the text shaper; U+202E drew "evil" as "live".
    facts = AdFacts(brand="GlowDrop\n", cta="Shop\nnow", offer="20%\toff \u202elive\u202c")
    assert (facts.brand, facts.cta, facts.offer) == ("GlowDrop", "Shop now", "20% off live")
    assert SceneSpec(kind="generated", prompt="p", text="👨\u200d👩\u200d👧 x").text == (
        "👨\u200d👩\u200d👧 x"
    )


def test_five_variants_follow_at_least_four_layout_sequences_ending_on_an_end_card() -> None:
    facts = facts_from_brief(brief("glowdrop-serum.yaml"), cta="Shop Now")
    plans = [plan(SCENES, DURATIONS, facts, v, has_product=True, end_card_s=2.5) for v in range(5)]
    assert len({sequence(p) for p in plans}) >= 4
    for slots in plans:
        assert slots[-1].layout is Layout.END
        assert Layout.HERO in [s.layout for s in slots]
        ends = [s.start_s + s.duration_s for s in slots]
        assert ends[-1] == pytest.approx(sum(DURATIONS))
        assert all(
            b.start_s >= a.start_s + a.duration_s - 1e-6
            for a, b in zip(slots, slots[1:], strict=False)
        )


def test_a_layout_whose_fact_the_brief_lacks_is_never_used() -> None:
    bare = AdFacts(cta="Shop", domain="x.example", offer=None, benefits=["Fast", "Light"])
    for v in range(5):
        used = {
            s.layout for s in plan(SCENES, DURATIONS, bare, v, has_product=False, end_card_s=2.5)
        }
        assert not used & {Layout.TESTIMONIAL, Layout.PROOF, Layout.OFFER, Layout.HERO}


def test_the_safe_zone_numbers_carry_their_sources_and_fit_every_aspect() -> None:
    assert all(o.source.startswith("https://") for o in UI_OVERLAYS)
    for t in TARGETS.values():
        s = safe_rect(t.width, t.height)
        assert s.x > 0 and s.right < t.width and s.y > 0 and s.bottom < t.height


def test_a_product_photographed_on_white_is_cut_out_close_to_its_true_shape() -> None:
    original = cv2.imread(str(ROOT / "examples/render/product.png"), cv2.IMREAD_UNCHANGED)
    a = original[:, :, 3:] / 255.0
    flat = (original[:, :, :3] * a + 255 * (1 - a)).astype(np.uint8)
    opaque = np.dstack([flat, np.full(flat.shape[:2], 255, np.uint8)])
    cut = cut_out(opaque)
    truth = trim(original)[:, :, 3] > 128
    assert abs(cut.shape[0] - truth.shape[0]) <= 6 and abs(cut.shape[1] - truth.shape[1]) <= 6
    h, w = min(cut.shape[0], truth.shape[0]), min(cut.shape[1], truth.shape[1])
    got = cut[:h, :w, 3] > 128
    iou = (got & truth[:h, :w]).sum() / (got | truth[:h, :w]).sum()
    assert iou > 0.9, iou


def _designed_plan(transition_s: float) -> RenderPlan:
    t = TARGETS["9:16"]
    layer = Layer(Path("/w/l.png"), 100, 400, 500, 120, 0.2, 1.8, "rise")
    hero = Layer(Path("/w/h.png"), 300, 300, 400, 900, 0.0, 2.0, "pop")
    end = Layer(Path("/w/e.png"), 200, 500, 600, 200, 0.0, 1.0, "pop", leaves=False)
    scenes = [
        SceneInput("still", Path("/w/s0.y4m"), 2.0, layers=(layer,)),
        SceneInput("still", Path("/w/s1.y4m"), 2.0, layers=(hero,)),
        SceneInput("still", Path("/w/end.y4m"), 1.0, layers=(end,)),
    ]
    tp = TargetPlan(
        t,
        scenes,
        None,
        Path("/o/v.mp4"),
        Path("/o/p.png"),
        Path("/o/s.png"),
        transition_s=transition_s,
        transition_offset=1,
    )
    return RenderPlan(5.0, 30, [tp], MasteredAudio(Path("/w/a.wav")), Encoder("libx264"))


def test_layers_enter_eased_and_scenes_cross_with_xfade_at_the_scene_boundaries() -> None:
    graph = build_argv(_designed_plan(0.4))
    graph_text = graph[graph.index("-filter_complex") + 1]
    # the headline rises in with a cubic ease-out and fades on its alpha, in and out
    assert "overlay=x='100':y='400+54*pow(1-clip((t-0.200)/0.450,0,1),3)'" in graph_text
    assert "fade=t=in:st=0.200:d=0.450:alpha=1" in graph_text
    assert "fade=t=out:st=1.550:d=0.250:alpha=1" in graph_text
    # the hero scales up from 60 % on a fixed canvas; the end card never fades out
    assert "pad=w=400:h=900" in graph_text and graph_text.count("fade=t=out") == 2
    # transitions at the scene boundaries (2 s, 4 s), each scene running on 12 frames: only
    # those frames are crossed (the end of one scene, the head of the next), the rest is cut
    assert "trim=end_frame=72" in graph_text and "trim=end_frame=30," in graph_text
    assert "[t0q0e]trim=start_frame=60:end_frame=72" in graph_text
    assert "[t0q1h]trim=start_frame=0:end_frame=12" in graph_text
    assert "[t0e0][t0h1]xfade=transition=slideleft:duration=0.4000:offset=0[t0x1]" in graph_text
    assert "[t0e1][t0h2]xfade=transition=smoothup:duration=0.4000:offset=0[t0x2]" in graph_text
    assert "[t0b0][t0x1][t0b1][t0x2][t0b2]concat=n=5" in graph_text


def test_without_transitions_scenes_are_cut_together_as_before() -> None:
    graph = build_argv(_designed_plan(0.0))
    text = graph[graph.index("-filter_complex") + 1]
    assert "concat=n=3" in text and "xfade" not in text
