"""Policy rules, round 14: what the nineteenth and twentieth Spanish batches' dev lines taught
(results told by reactions, sliders, side-by-side photos, start and end, a stage timeline; Rx
drugs by brand and slang with no prescription asked, covert trackers, fixed matches; earnings
by 'cobrar' and in local currencies), as this test's own sentences."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    # a reaction then and now, a slider, side by side, at the start and the end, ages compared
    (
        "es",
        "before_after",
        "A mi tía le decían que se veía cansada y ahora le preguntan qué crema usa.",
    ),
    ("es", "before_after", "Mueve el slider y mira la piel de nuestras pacientes con láser."),
    ("es", "before_after", "Compara la sonrisa de Lucía al empezar y al terminar los brackets."),
    ("es", "before_after", "Las fotos de Mateo a los 16 y a los 18: así se le fue el acné."),
    ("es", "before_after", "En el reencuentro nadie la reconoció. Balón gástrico en Lima."),
    (
        "es",
        "before_after",
        "Día 1: no me cerraba el pantalón. Día 90: dos tallas menos en la cintura.",
    ),
    # Rx drugs by brand or slang with no prescription asked; a tracker hidden from its target
    ("es", "restricted_category", "Rivotril en tira suelta, no pedimos receta, envío en moto."),
    ("es", "restricted_category", "Clona de 2 mg por blíster, entrega discreta en Medellín."),
    (
        "es",
        "restricted_category",
        "El rastreador se esconde en la cartera de quien quieras y lo ves todo sin que se entere.",
    ),
    ("es", "restricted_category", "Partidos arreglados para apostar este finde: 9 de cada 10."),
    # earnings by 'cobrar' and in a local currency; a salary compared
    ("es", "income_claim", "Cobra desde el celular: $40 diarios por ver videos."),
    ("es", "income_claim", "Con dos máquinas de café le entran Bs 6.000 al mes sin jefe."),
    ("es", "income_claim", "Compra casas sin dinero propio y vive de las rentas."),
    # a reader's learning difficulty, a record; a cure by 'quita'
    ("es", "personal_attributes", "¿Reprobaste el examen por tu dislexia? Clases adaptadas."),
    ("es", "health_claim", "Este collar quita la migraña en una semana."),
]

CLEAN = [
    # a price per month, a job with a contract, points doubled, a tracker on your own car
    ("es", "Crea tu web con dominio incluido: $49 al mes, sin permanencia."),
    ("es", "Empleo de atención al cliente desde casa: $9,000 a $11,000 al mes, con contrato."),
    ("es", "Duplica tus puntos: paga con tu tarjeta el fin de semana y gana el doble."),
    ("es", "Filtros de agua para el hogar con cambio de cartucho cada 12 meses."),
    ("es", "Reto de 30 días de inglés: mi pronunciación del primer día y la de hoy."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_each_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language)}, text


@pytest.mark.parametrize(("language", "text"), CLEAN)
def test_clean_look_alikes_pass(language: str, text: str) -> None:
    # the rules' verdict: the learned check's readings move with each refit, and the benchmark
    # measures them on the corpus
    assert check(text, language) == [], text
