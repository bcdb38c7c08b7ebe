"""Policy rules, round 16: what the en6 and es22 batches' dev lines taught, as this test's
own sentences (the reader's disability by the aid they use, a record or a fast asked about;
owners' weekly take, a pass promised in Pidgin, a free course with a fee at checkout, sure
odds; a thing made over is no body, a denied trigger names nothing)."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    ("en", "personal_attributes", "Your wheelchair deserves better tyres: puncture-proof sets."),
    ("en", "personal_attributes", "Pardon application still pending? Our warehouse hires anyway."),
    ("en", "income_claim", "Our franchise owners clear $2k a week from the first month."),
    ("en", "guaranteed_results", "Use our WAEC prep app and your A1 is sure for you."),
    (
        "en",
        "misleading_urgency",
        "Free guitar lessons online! Just a $49 registration fee at checkout.",
    ),
    ("en", "restricted_category", "Sure odds every Saturday, stake small and cash out big."),
    ("es", "personal_attributes", "Te acompañamos en taxi a tus sesiones de diálisis en Quito."),
    ("es", "income_claim", "Préstamos entre particulares al 4 % mensual garantizado."),
    ("es", "income_claim", "Invierte una vez y tu dinero trabaja solo."),
    ("es", "restricted_category", "Lee los chats de tu pareja desde tu celular sin que se entere."),
    ("es", "sensational_language", "El error escandaloso que los bancos no quieren que sepas."),
    ("es", "unsubstantiated_superlative", "El instituto con mayor prestigio de Ecuador."),
    ("es", "restricted_category", "Con el segundo mojito ya no eres el callado de la oficina."),
]

CLEAN = [
    ("en", "Same mirror, whole new bathroom: retiled by our crew in 3 days."),
    ("en", "Live scores and fixtures for your team. No betting, no odds, just football."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_each_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language)}, text


@pytest.mark.parametrize(("language", "text"), CLEAN)
def test_clean_look_alikes_pass(language: str, text: str) -> None:
    # the rules' verdict (the learned check's readings move with each refit)
    assert check(text, language) == [], text


def test_a_denied_trigger_triggers_nothing() -> None:
    from shared.creative.policy import structure

    rules = {rule for rule, _, _ in structure.triggered("No betting, just football.", "en")}
    assert "restricted_category" not in rules
    rules = {rule for rule, _, _ in structure.triggered("Betting tips for the weekend.", "en")}
    assert "restricted_category" in rules
