"""Brand consistency: voice markers, pillar coverage and the avoid list, explained."""

from __future__ import annotations

from shared.creative.brand_score import AVOID_PENALTY, BAR, BrandScore, score, stem
from shared.models.brand import BrandProfile


def _brand(**overrides: object) -> BrandProfile:
    fields: dict[str, object] = {
        "id": "glowdrop",
        "name": "GlowDrop",
        "voice": ["playful"],
        "positioning": "vitamin C serum for busy people",
        "pillars": ["clean ingredients", "visible results in 7 days", "dermatologist developed"],
        "avoid": ["cheap", "miracle", "anti-aging"],
    }
    fields.update(overrides)
    return BrandProfile.model_validate(fields)


ON_BRAND_EN = "Glow up! Your skin, brighter in 7 days. Clean ingredients, visible results."
ON_BRAND_ES = "¡Brilla! Tu piel, más luminosa en 7 días. Ingredientes limpios, resultados visibles."


def test_on_brand_copy_passes_the_bar_in_both_languages() -> None:
    for text in (ON_BRAND_EN, ON_BRAND_ES):
        result = score(text, _brand())
        assert isinstance(result, BrandScore)
        assert result.score >= BAR and result.passed, result.reasons
        assert result.avoid_hits == []


def test_off_voice_off_message_copy_fails() -> None:
    text = "This product contains ascorbic acid in a stable formulation for dermal application."
    result = score(text, _brand())
    assert result.score < BAR
    assert any("pillars: 0/3" in reason for reason in result.reasons)


def test_a_single_avoid_hit_fails_otherwise_perfect_copy() -> None:
    clean = score(ON_BRAND_EN, _brand())
    dirty = score(ON_BRAND_EN + " Cheap, just MIRACLE.", _brand())
    assert dirty.avoid_hits == ["Cheap", "MIRACLE"]
    assert dirty.score == round(max(0.0, clean.score - 2 * AVOID_PENALTY), 3)
    assert not dirty.passed
    assert "'Cheap' is on the brand's avoid list (-0.30)" in dirty.reasons


def test_a_paraphrase_of_an_avoid_entry_fails_the_bar_and_says_which_entry() -> None:
    clean = score(ON_BRAND_EN, _brand())
    assert clean.passed
    dirty = score(ON_BRAND_EN + " Age-defying too!", _brand())
    assert dirty.avoid_hits == ["Age-defying"]
    assert dirty.score == round(clean.score - AVOID_PENALTY, 3) < BAR
    assert "'Age-defying' paraphrases avoid-list 'anti-aging' (-0.30)" in dirty.reasons


def test_a_spanish_paraphrase_fails_the_bar_and_a_denial_does_not() -> None:
    clean = score(ON_BRAND_ES, _brand(), "es")
    assert clean.passed
    dirty = score(ON_BRAND_ES + " ¡Una crema milagrosa!", _brand(), "es")
    assert dirty.avoid_hits == ["crema milagrosa"] and not dirty.passed
    assert "'crema milagrosa' paraphrases avoid-list 'miracle' (-0.30)" in dirty.reasons
    denied = score(ON_BRAND_ES + " No es magia: es vitamina C.", _brand(), "es")
    assert denied.avoid_hits == [] and denied.score == clean.score


def test_avoid_hits_without_a_language_try_both() -> None:
    assert score("Crema antiedad", _brand()).avoid_hits == ["antiedad"]
    assert score("Look years younger", _brand()).avoid_hits == ["Look years younger"]


def test_avoid_hits_are_whole_words_and_accent_insensitive() -> None:
    brand = _brand(avoid=["barato"])
    assert score("Un sérum BARÁTO", brand).avoid_hits == ["BARÁTO"]
    assert score("Abaratamos el envío", brand).avoid_hits == []


def test_voice_reasons_name_present_and_missing_markers() -> None:
    result = score("Your skin will thank you.", _brand(voice=["playful"], pillars=[]))
    [reason] = result.reasons
    assert reason == "voice 'playful': 2/3 markers; missing exclamation"
    assert result.score == round(2 / 3, 3)


def test_clinical_voice_rewards_numbers_and_calm() -> None:
    brand = _brand(voice=["clinical"], pillars=[])
    specific = score("15% vitamin C, 0.5% ferulic acid. Visible change in 14 days.", brand)
    hype = score("Glow like never before!!! ✨", brand)
    assert specific.score == 1.0
    assert hype.score < 0.5


def test_unknown_voice_adjective_is_named_not_scored() -> None:
    result = score(ON_BRAND_EN, _brand(voice=["quirky"]))
    assert "voice 'quirky': no lexical markers known, not scored" in result.reasons


def test_two_pillars_are_full_marks() -> None:
    result = score("Clean ingredients. Visible results in 7 days.", _brand(voice=[]))
    assert result.score == 1.0
    one = score("Clean ingredients only.", _brand(voice=[]))
    assert one.score == 0.5


def test_pillars_match_across_inflections() -> None:
    brand = _brand(voice=[], pillars=["visible result"])
    assert score("Results you can see.", brand).score == 1.0  # half the pillar's words
    assert score("You can see it.", brand).reasons[0].startswith("pillars: 0/1")
    assert (
        score("Resultados visibles", _brand(voice=[], pillars=["resultado visible"])).score == 1.0
    )


def test_nothing_to_measure_is_neutral_and_said_so() -> None:
    result = score("Anything at all", _brand(voice=[], pillars=[], avoid=[]))
    assert result.score == 1.0
    assert "nothing to measure" in result.reasons[0]


def test_deterministic() -> None:
    assert score(ON_BRAND_ES, _brand()) == score(ON_BRAND_ES, _brand())


def test_light_stemming() -> None:
    assert stem("ingredients") == stem("ingredientes") == "ingredient"
    assert stem("resultados") == stem("resultado") == "resultad"
    assert stem("días") == "dia"
