"""Ad-policy compliance in English and Spanish: each rule fires on a realistic example, stays
quiet on a near miss, and points at the exact words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.creative import policy
from shared.creative.policy import BLOCKING, RULES, check
from shared.models.creative import Finding


def _spans(text: str, language: str, rule: str, avoid: tuple[str, ...] = ()) -> list[str]:
    findings = check(text, language, avoid)
    for finding in findings:
        assert finding.span in text, f"{finding.span!r} is not a substring of {text!r}"
        assert finding.reason
    return [f.span for f in findings if f.rule == rule]


FIRES = [
    # (language, rule, text, the span a reviewer should see)
    ("en", "personal_attributes", "Are you overweight? Try GlowFit.", "Are you overweight"),
    ("en", "personal_attributes", "You have diabetes? Our app helps.", "You have diabetes"),
    ("en", "personal_attributes", "Perfect if you're over 50.", "you're over 50"),
    ("en", "personal_attributes", "Fix your bad credit in minutes.", "your bad credit"),
    ("en", "personal_attributes", "Meet singles who share your religion", "your religion"),
    ("es", "personal_attributes", "¿Tienes sobrepeso? Prueba GlowFit.", "¿Tienes sobrepeso"),
    ("es", "personal_attributes", "¿Eres mayor de 50? Esto es para ti.", "¿Eres mayor de 50"),
    ("es", "personal_attributes", "¿Sufres de ansiedad por las noches?", "¿Sufres de ansiedad"),
    ("es", "personal_attributes", "Controla tu diabetes con una app.", "tu diabetes"),
    ("en", "health_claim", "Our tea cures diabetes naturally.", "cures diabetes"),
    ("en", "health_claim", "Lose 10 lbs in 2 weeks with SlimTea", "Lose 10 lbs in 2 weeks"),
    ("en", "health_claim", "Clinically proven to brighten skin.", "Clinically proven"),
    ("es", "health_claim", "Nuestro té cura la diabetes.", "cura la diabetes"),
    ("es", "health_claim", "Pierde 5 kilos en 2 semanas.", "Pierde 5 kilos en 2 semanas"),
    ("es", "health_claim", "Clínicamente probado en la piel.", "Clínicamente probado"),
    ("en", "income_claim", "Earn $5,000 a month from home.", "Earn $5,000 a month"),
    ("en", "income_claim", "Build passive income with our course.", "passive income"),
    ("en", "income_claim", "The fastest way to get rich.", "get rich"),
    ("es", "income_claim", "Gana $5000 al mes desde casa.", "Gana $5000 al mes"),
    ("es", "income_claim", "Genera ingresos pasivos hoy.", "ingresos pasivos"),
    ("en", "guaranteed_results", "Guaranteed results in 7 days.", "Guaranteed results"),
    ("en", "guaranteed_results", "Results guaranteed or keep trying.", "Results guaranteed"),
    ("es", "guaranteed_results", "Resultados garantizados.", "Resultados garantizados"),
    ("es", "guaranteed_results", "Brillo garantizado en una semana.", "garantizado"),
    ("en", "before_after", "See the before and after photos.", "before and after"),
    ("en", "before_after", "Our before/after gallery", "before/after"),
    ("es", "before_after", "Mira el antes y después.", "antes y después"),
    ("en", "unsubstantiated_superlative", "The best serum for dry skin.", "The best"),
    ("en", "unsubstantiated_superlative", "America's #1 vitamin C serum.", "#1"),
    ("en", "unsubstantiated_superlative", "From the world's leading lab.", "world's leading"),
    ("en", "unsubstantiated_superlative", "Best serum ever made.", "Best"),
    ("es", "unsubstantiated_superlative", "El mejor sérum del mercado.", "El mejor"),
    ("es", "unsubstantiated_superlative", "Número uno en España.", "Número uno"),
    ("en", "excessive_punctuation", "Wow!! This works", "!!"),
    ("en", "excessive_punctuation", "Really?! Yes.", "?!"),
    ("en", "excessive_punctuation", "Save $$$ today", "$$$"),
    ("es", "excessive_punctuation", "¡¡Oferta!! Solo hoy", "¡¡"),
    ("es", "excessive_punctuation", "¿¿En serio?? Sí.", "??"),
]


@pytest.mark.parametrize(("language", "rule", "text", "span"), FIRES)
def test_rule_fires_on_the_exact_words(language: str, rule: str, text: str, span: str) -> None:
    assert span in _spans(text, language, rule)


NEAR_MISSES = [
    ("en", "personal_attributes", "You deserve better skin."),
    ("en", "personal_attributes", "Made for every age and every skin type."),
    ("en", "personal_attributes", "Diabetes-friendly snacks, delivered."),
    ("en", "personal_attributes", "Are you ready for brighter skin?"),
    ("es", "personal_attributes", "Mereces una piel más luminosa."),
    ("es", "personal_attributes", "¿Tienes cinco minutos? Tu piel te lo agradecerá."),
    ("en", "health_claim", "Sweet treats for the whole family."),
    ("en", "health_claim", "Helps skin look brighter in 7 days."),
    ("en", "health_claim", "Clinically proven to brighten skin.* *Study of 40 women, 2024."),
    ("es", "health_claim", "Trata tu piel con cariño."),
    ("es", "health_claim", "Clínicamente probado, según un estudio con 40 mujeres."),
    ("en", "income_claim", "Save $20 on your first order."),
    ("en", "income_claim", "Earn 2x points on every purchase."),
    ("es", "income_claim", "Gana tiempo cada mañana."),
    ("es", "income_claim", "Ahorra $20 en tu primer pedido."),
    ("en", "guaranteed_results", "Satisfaction guaranteed. 30-day money-back guarantee."),
    ("en", "guaranteed_results", "Guaranteed delivery by Friday."),
    ("es", "guaranteed_results", "Envío garantizado en 24 horas."),
    ("en", "before_after", "Order before Friday and enjoy after-hours support."),
    ("es", "before_after", "Antes de salir, aplica una gota. Después, brilla."),
    ("en", "unsubstantiated_superlative", "The best part? It's free."),
    ("en", "unsubstantiated_superlative", "Look your best this summer."),
    ("en", "unsubstantiated_superlative", "Best of all, it ships free."),
    ("en", "unsubstantiated_superlative", "America's #1 serum* *Nielsen 2024 sales data."),
    ("es", "unsubstantiated_superlative", "La mejor parte: es gratis."),
    ("es", "unsubstantiated_superlative", "Tu mejor versión empieza hoy."),
    ("es", "unsubstantiated_superlative", "El más vendido según Nielsen 2024."),
    ("en", "excessive_punctuation", "Wait... there's more!"),
    ("es", "excessive_punctuation", "¿Piel apagada? ¡Brilla hoy!"),
]


@pytest.mark.parametrize(("language", "rule", "text"), NEAR_MISSES)
def test_rule_stays_quiet_on_a_near_miss(language: str, rule: str, text: str) -> None:
    assert _spans(text, language, rule) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Dull skin? GlowDrop's 15% vitamin C serum brightens in 7 days. Shop now."),
        ("en", "FREE shipping on every order. Try GlowDrop today."),
        ("es", "¿Piel apagada? El sérum GlowDrop ilumina en 7 días. ¡Compra hoy!"),
        ("es", "Envío GRATIS en todos los pedidos."),
    ],
)
def test_clean_copy_passes(language: str, text: str) -> None:
    assert check(text, language) == []


def test_shouting_beyond_the_allowance_flags_each_shouted_word() -> None:
    text = "STOP SCROLLING and BUY this TODAY"
    # "BUY" is a word, not an acronym: three capitals shout as loud as four
    assert _spans(text, "en", "excessive_caps") == ["STOP", "SCROLLING", "BUY", "TODAY"]


def test_short_words_in_capitals_shout_but_acronyms_do_not() -> None:
    assert _spans("SAVE BIG on home insurance", "en", "excessive_caps") == ["SAVE", "BIG"]
    assert _spans("These earrings are SO CUTE", "en", "excessive_caps") == ["SO", "CUTE"]
    assert _spans("FREE UK delivery on SPF 30 and USB-C", "en", "excessive_caps") == []


def test_one_capitalised_word_and_short_acronyms_are_fine() -> None:
    assert _spans("FREE shipping, SPF 50 and UV care from the USA", "en", "excessive_caps") == []


def test_caps_allowance_grows_with_longer_copy() -> None:
    words = " ".join(["glow"] * 18)
    assert _spans(f"SALE {words} FREE", "en", "excessive_caps") == []  # 20 words, 2 allowed
    assert _spans(f"SALE {words} FREE GIFT", "en", "excessive_caps") == ["SALE", "FREE", "GIFT"]


def test_spanish_shouting() -> None:
    assert _spans("OFERTA ÚNICA: ENVÍO gratis", "es", "excessive_caps") == [
        "OFERTA",
        "ÚNICA",
        "ENVÍO",
    ]


def test_avoid_list_is_case_and_accent_insensitive_whole_words() -> None:
    text = "Not Cheap. Un sérum Barato? Únicamente para ti, y UNICO."
    spans = _spans(text, "es", "brand_avoid", avoid=("cheap", "barato", "único"))
    assert spans == ["Cheap", "Barato", "UNICO"]  # "Únicamente" is a different word


def test_avoid_list_matches_multi_word_phrases_across_spaces() -> None:
    spans = _spans("No more  anti aging creams", "en", "brand_avoid", avoid=("anti aging",))
    assert spans == ["anti aging"]


def test_avoid_list_span_keeps_decomposed_accents() -> None:
    text = "Un precio bara\u0301to hoy"  # "baráto" with a combining accent
    assert _spans(text, "es", "brand_avoid", avoid=("barato",)) == ["bara\u0301to"]


def test_findings_come_in_text_order_with_reasons() -> None:
    findings = check("Guaranteed results!! Are you overweight?", "en")
    assert [f.rule for f in findings] == [
        "guaranteed_results",
        "excessive_punctuation",
        "personal_attributes",
    ]
    assert all(isinstance(f, Finding) and f.reason for f in findings)


def test_unknown_language_is_checked_against_both_tables() -> None:
    rules = {f.rule for f in check("Guaranteed results. Resultados garantizados.", "pt")}
    assert rules == {"guaranteed_results"}
    assert len(check("Guaranteed results. Antes y después.", "pt")) == 2


def test_rules_are_data_for_both_languages() -> None:
    assert set(RULES) == {"en", "es"}
    for language, table in RULES.items():
        ids = {rule.id for rule in table}
        assert {"personal_attributes", "health_claim", "income_claim"} <= ids, language
        assert all(rule.patterns and rule.reason for rule in table)
    assert "brand_avoid" in BLOCKING and "excessive_caps" not in BLOCKING


def _dedupe_by_comparing_every_pair(
    found: list[tuple[int, Finding]],
) -> list[tuple[int, Finding]]:
    """The rule as first written (quadratic): keep a finding unless a kept one of its rule
    covers its start."""
    kept: list[tuple[int, Finding]] = []
    for start, finding in sorted(found, key=lambda item: (item[0], -len(item[1].span))):
        if any(f.rule == finding.rule and s <= start < s + len(f.span) for s, f in kept):
            continue
        kept.append((start, finding))
    return kept


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.sampled_from(["a", "b"]), st.integers(1, 8)),
        max_size=30,
    )
)
def test_dedupe_keeps_what_comparing_every_pair_keeps(spans: list[tuple[int, str, int]]) -> None:
    found = [(s, Finding(rule=r, span="x" * n, reason="r")) for s, r, n in spans]
    assert policy._dedupe(found) == _dedupe_by_comparing_every_pair(found)
