"""Policy rules, round 11: what the twelfth Spanish corpus batch's dev lines taught, as this
test's own sentences."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    # heated tobacco by its brands; study pills by their trade names, the doctor skipped
    ("es", "restricted_category", "Heets y Terea por caja, te los llevamos a la oficina."),
    (
        "es",
        "restricted_category",
        "Concerta para la semana de exámenes, sin pasar por el psiquiatra.",
    ),
    # a countdown still counts down when something else is said after it
    (
        "es",
        "misleading_urgency",
        "La oferta se acaba en 20 minutos: después vuelve al precio normal.",
    ),
    # (the thirteenth batch) one person shown at two times; a log of three stages of hair
    ("es", "before_after", "Misma persona, seis meses de rutina: ahora la camisa le queda floja."),
    (
        "es",
        "before_after",
        "Semana 1: nada. Semana 4: menos caída. Semana 8: más densidad en la coronilla.",
    ),
    # a single replica (its lemma is the verb "replicar"), a hidden camera typed on a phone, a
    # pay-cheque advance, steroids by their trade names
    ("es", "restricted_category", "Réplica de reloj suizo, idéntica, con caja y envío discreto."),
    (
        "es",
        "restricted_category",
        "Camarita escondida en un reloj de pared, graba sin q nadie se de cuenta.",
    ),
    ("es", "restricted_category", "Adelanto de sueldo en 10 min, devuelves el día de pago."),
    ("es", "restricted_category", "Winstrol y Dianabol originales con envío a tu gimnasio."),
    # a place's leader, unsourced
    ("en", "unsubstantiated_superlative", "Alberta's leading roofing company. Free quotes."),
]

CLEAN = [
    # what ends is a task, not an offer
    (
        "es",
        "misleading_urgency",
        "La batería se llena en 40 minutos y el piloto se apaga cuando termina.",
    ),
    # a roulette that teaches the times tables is a toy
    ("es", "restricted_category", "Ruleta didáctica para repasar las tablas de multiplicar."),
    # a denied claim stays denied for every check, not only the lexicon's
    (
        "es",
        "health_claim",
        "Este champú no trata enfermedades del cuero cabelludo; consulta a tu dermatólogo.",
    ),
    # an award named with its year is the superlative's source
    (
        "es",
        "unsubstantiated_superlative",
        "Ganamos el premio a la mejor panadería del barrio en los Premios Vecinales 2023.",
    ),
    # a question about which part or size to buy asks nothing of the reader's life
    ("es", "personal_attributes", "¿No sabes qué repuesto pide tu licuadora? Escríbenos."),
    # a drawing of a face improving is a skill; a house rising week by week is a building
    (
        "es",
        "before_after",
        "Mi primer retrato de una cara, en febrero, no se parecía a nadie; el de hoy sí. "
        "Taller de dibujo los jueves.",
    ),
    (
        "es",
        "before_after",
        "Semana 1: cimientos. Semana 4: muros. Semana 9: techo listo. Así avanza la obra.",
    ),
    # a payroll advance with its term and its rates
    (
        "es",
        "restricted_category",
        "Adelanto de nómina a 12 meses con tasa fija anual del 18 % y CAT del 24 %.",
    ),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_violation_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language, learned=True)}, text


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language, learned=True) == [], text


def test_a_pharmacy_may_sell_cosmetics_without_a_prescription() -> None:
    text = "Dermocosmética y protector solar sin receta; los antibióticos, solo con receta."
    assert check(text, "es", category="pharmacy") == []
    sold = "Antibióticos sin receta, te los enviamos hoy."
    assert "restricted_category" in {f.rule for f in check(sold, "es", category="pharmacy")}
