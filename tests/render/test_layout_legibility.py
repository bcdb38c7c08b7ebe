"""Designed scenes stay legible and varied on hostile briefs (issue 18, an outside attack):
long names, near-identical brand colours, sparse briefs. Pure functions only: no rendering."""

from __future__ import annotations

from gpu_jobs.layouts.planner import plan, sequence
from shared.models.render import AdFacts, SceneSpec

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
