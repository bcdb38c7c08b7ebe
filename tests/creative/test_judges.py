"""Offline heuristic judges and their seed-004-weighted ensemble."""

from __future__ import annotations

import math

import pytest

from shared.creative.judges import (
    APPROVAL_THRESHOLD,
    DEFAULT_WEIGHTS,
    JUDGES,
    CopyUnderJudgement,
    compliance,
    cta_strength,
    ensemble,
    hook,
    pattern_interrupt,
    readability,
    specificity,
)

STRONG_EN = CopyUnderJudgement(
    headline="Glow in 7 days",
    primary_text="Dull skin? GlowDrop's 15% vitamin C serum brightens in 7 days. "
    "Get 20% off your first order today.",
    cta="Shop now",
    language="en",
)
STRONG_ES = CopyUnderJudgement(
    headline="Brilla en 7 días",
    primary_text="¿Piel apagada? El sérum GlowDrop con 15% de vitamina C ilumina en 7 días. "
    "Hoy, 20% de descuento en tu primer pedido.",
    cta="Compra ahora",
    language="es",
)
WEAK_EN = CopyUnderJudgement(
    headline="Amazing quality skincare",
    primary_text="Our innovative solution is something you will love to put on your face "
    "because it will change everything about how you feel and look every single day.",
    cta="Click here if you want to know more about it",
    language="en",
)


def test_weights_mirror_seed_004_buckets() -> None:
    assert set(DEFAULT_WEIGHTS) == set(JUDGES)
    assert math.isclose(sum(DEFAULT_WEIGHTS.values()), 1.0)
    # reasoning 40 = specificity + compliance; persuasion + hook analysis 40; structure 20.
    assert math.isclose(DEFAULT_WEIGHTS["specificity"] + DEFAULT_WEIGHTS["compliance"], 0.40)
    assert math.isclose(DEFAULT_WEIGHTS["cta_strength"] + DEFAULT_WEIGHTS["readability"], 0.20)
    assert APPROVAL_THRESHOLD == 85


@pytest.mark.parametrize("copy", [STRONG_EN, STRONG_ES])
def test_strong_copy_is_approved_in_both_languages(copy: CopyUnderJudgement) -> None:
    result = ensemble(copy)
    assert result.approved, [(j.judge, j.score, j.reason) for j in result.judges]
    assert result.score >= APPROVAL_THRESHOLD
    assert [j.judge for j in result.judges] == list(DEFAULT_WEIGHTS)
    assert all(0 <= j.score <= 100 and j.reason for j in result.judges)


def test_weak_copy_is_rejected_with_reasons() -> None:
    result = ensemble(WEAK_EN)
    assert not result.approved
    assert result.score < 60
    by_name = {j.judge: j for j in result.judges}
    assert "vague" in by_name["specificity"].reason
    assert by_name["hook"].score < 50


def test_blocking_policy_finding_vetoes_approval_even_with_a_high_score() -> None:
    copy = CopyUnderJudgement(
        headline="Glow in 7 days",
        primary_text="Are you overweight? GlowFit burns fat in 7 days. Get 20% off today.",
        cta="Shop now",
    )
    only_craft = {"hook": 1.0, "cta_strength": 1.0}
    result = ensemble(copy, weights=only_craft)
    assert result.score >= APPROVAL_THRESHOLD
    assert not result.approved


def test_threshold_is_configurable() -> None:
    result = ensemble(STRONG_EN)
    assert ensemble(STRONG_EN, threshold=result.score + 0.1).approved is False
    assert ensemble(STRONG_EN, threshold=result.score).approved is True


def test_weights_are_normalised_and_validated() -> None:
    single = ensemble(STRONG_EN, weights={"readability": 3.0})
    assert single.score == readability(STRONG_EN).score
    with pytest.raises(ValueError, match="unknown judges"):
        ensemble(STRONG_EN, weights={"vibes": 1.0})
    with pytest.raises(ValueError, match="non-negative"):
        ensemble(STRONG_EN, weights={"hook": 0.0})


@pytest.mark.parametrize(
    ("opening", "expected"),
    [("Dull skin?", 100), ("Stop buying serums that never work.", 92), ("x " * 12, 60)],
)
def test_hook_rewards_eight_words_or_fewer(opening: str, expected: float) -> None:
    copy = CopyUnderJudgement(headline="h", primary_text="p", cta="c", hook=opening)
    assert hook(copy).score == expected


def test_hook_defaults_to_the_first_sentence() -> None:
    assert hook(STRONG_EN).reason == "hook is 2 words"


def test_pattern_interrupt_counts_question_number_contrast_surprise() -> None:
    flat = CopyUnderJudgement(headline="Nice serum", primary_text="It is a serum.", cta="Buy")
    rich = CopyUnderJudgement(
        headline="The secret nobody tells you",
        primary_text="3 drops, not 10? Yes.",
        cta="Buy",
    )
    assert pattern_interrupt(flat).score == 35
    assert pattern_interrupt(rich).score == 100
    assert "question" in pattern_interrupt(rich).reason


def test_specificity_prefers_numbers_over_vague_praise() -> None:
    assert specificity(STRONG_EN).score > 80
    assert specificity(WEAK_EN).score < 20


def test_cta_strength() -> None:
    assert cta_strength(STRONG_EN).score == 100
    assert cta_strength(STRONG_ES).score == 100
    weak = cta_strength(WEAK_EN)
    assert weak.score < 50 and "lacks imperative verb" in weak.reason
    empty = CopyUnderJudgement(headline="h", primary_text="p", cta="")
    assert cta_strength(empty).score == 0


def test_readability_uses_flesch_for_english_and_fernandez_huerta_for_spanish() -> None:
    assert readability(STRONG_EN).reason.startswith("Flesch ")
    assert readability(STRONG_ES).reason.startswith("Fernández-Huerta ")
    assert readability(STRONG_EN).score > readability(WEAK_EN).score


def test_readability_penalises_long_words_and_sentences_in_spanish() -> None:
    easy = CopyUnderJudgement(
        headline="Brilla hoy",
        primary_text="Tu piel, mejor. Pruébalo ya.",
        cta="Compra",
        language="es",
    )
    hard = CopyUnderJudgement(
        headline="Formulación dermatológicamente optimizada",
        primary_text="La concentración estabilizada de ácido ascórbico proporciona "
        "luminosidad extraordinaria mediante mecanismos antioxidantes complementarios "
        "científicamente caracterizados e internacionalmente reconocidos.",
        cta="Compra",
        language="es",
    )
    assert readability(easy).score == 100
    assert readability(hard).score < 20


def test_compliance_lists_findings() -> None:
    bad = CopyUnderJudgement(
        headline="Resultados garantizados",
        primary_text="¡¡Pierde 5 kilos!!",
        cta="Compra",
        language="es",
    )
    verdict = compliance(bad)
    assert verdict.score <= 10
    assert "guaranteed_results: 'Resultados garantizados'" in verdict.reason
    assert compliance(STRONG_ES).score == 100
