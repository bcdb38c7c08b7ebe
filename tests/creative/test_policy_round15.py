"""Policy rules, round 15: what the eleventh outside attack taught (a symptom, a treatment or a
letter asked about; no doctor needed, not one cold, airways opened for good; fixed returns and
protected capital, a salary outearned, members' averages; sizes by season, a belt's notch; vapes,
pouches, party drugs and steroids by brand or slang; a loan repaid on payday; unbeatable
prices), as this test's own sentences."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    (
        "en",
        "personal_attributes",
        "Still checking your blood sugar after lunch? Try our snack box.",
    ),
    ("en", "personal_attributes", "Missed another payment? We refinance even with a 540 score."),
    ("en", "health_claim", "Our honey tonic: nobody in our family catches a cold anymore."),
    ("en", "health_claim", "UTI again? Our capsules flush it out in 24 hours."),
    ("en", "health_claim", "Breathing sessions that clear your airways for good."),
    ("en", "income_claim", "Our students average $3,000 a month from home."),
    ("en", "income_claim", "Now he earns more from his van than he did at the factory."),
    ("en", "before_after", "From XL to S in one summer with our meal plans."),
    ("en", "restricted_category", "Geek Bar and Elf Bar 600s restocked, next-day delivery."),
    ("en", "restricted_category", "Tren and dbol cycles shipped discreetly nationwide."),
    ("en", "unsubstantiated_superlative", "Unbeatable prices on mattresses this month."),
    ("es", "personal_attributes", "¿Otra noche dando vueltas en la cama? Prueba nuestro té."),
    ("es", "personal_attributes", "¿Te inyectas la insulina en el trabajo? Estuche térmico."),
    ("es", "health_claim", "No hace falta ir al médico por una gastritis: nuestro jarabe basta."),
    ("es", "health_claim", "Ni un resfriado este invierno con nuestra miel de eucalipto."),
    ("es", "income_claim", "Rentabilidad fija del 10 % anual, sin sorpresas."),
    ("es", "before_after", "De talla XL a S en una temporada con nuestro plan."),
    ("es", "restricted_category", "Farlopa y cripy para el finde, te lo llevamos."),
    ("es", "restricted_category", "500 pesos al instante, pagas cuando cobres."),
    ("es", "unsubstantiated_superlative", "Precios imbatibles en colchones todo el mes."),
]

CLEAN = [
    ("en", "Shocking pink is back: our lipstick shade returns Friday."),
    ("en", "Free stop-smoking clinic on Tuesdays. Nicotine patches available."),
    ("en", "Lost Mary's Bakery: sourdough and scones every Friday."),
    ("es", "Rosa impactante: el nuevo esmalte llega el viernes."),
    ("es", "Ofertas de escándalo en bicicletas este puente."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_each_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language)}, text


@pytest.mark.parametrize(("language", "text"), CLEAN)
def test_clean_look_alikes_pass(language: str, text: str) -> None:
    # the rules' verdict (the learned check's readings move with each refit)
    assert check(text, language) == [], text
