"""Policy rules, round 4: what the fifth Spanish batch (before/after of things, adult and
dating slang, drinks in the diminutive) and an outside attack's look-alikes (advice that names
"the best time", a choice "for you") taught, as this test's own sentences."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    ("es", "restricted_category", "Solteras de tu barrio buscan encuentros casuales hoy."),
    ("es", "restricted_category", "Juguetes para adultos con envío en caja sin logo."),
    ("es", "restricted_category", "Un tequilita y hasta la más tímida sale a la pista."),
    ("es", "before_after", "Antes y después de su rostro tras 6 sesiones de láser."),
    ("es", "excessive_caps", "GRAN LIQUIDACIÓN de abrigos de lana en todas las tallas y colores."),
    ("en", "excessive_caps", "HUGE SAVINGS on wool coats in every size and colour this week."),
    ("en", "unsubstantiated_superlative", "The best serum for dark spots, try it today."),
    ("es", "unsubstantiated_superlative", "El mejor sérum para las manchas, pruébalo hoy."),
    # the fourth outside attack's misses, said in other words
    ("es", "personal_attributes", "Con antecedentes penales igual puedes abrir tu cuenta."),
    ("es", "personal_attributes", "Para los que somos tipo 1: helado sin azúcar añadido."),
    ("es", "weight_loss", "Baja de peso comiendo tacos cada noche."),
    ("es", "restricted_category", "Misoprostol con envío discreto a todo el país."),
    ("es", "restricted_category", "Pods sabor sandía para tu equipo, 50 mg."),
    ("es", "misleading_urgency", "La oportunidad de tu vida: este precio no se repite."),
    ("es", "misleading_urgency", "Este cupón se autodestruye a medianoche."),
    ("es", "excessive_caps", "BARATOOO el segundo par en tienda."),
    ("es", "excessive_punctuation", "Regalos x ti y 4 ti en diciembre."),
    ("en", "personal_attributes", "Rebuilding after your divorce? Our coaches can help."),
]

CLEAN = [
    ("es", "before_after", "Nuestra cocina antes y después: alacenas nuevas y luz cálida."),
    ("es", "before_after", "Foto 1: el terreno vacío. Foto 2: la casa terminada por nuestra obra."),
    ("es", "unsubstantiated_superlative", "El mejor momento para podar rosales es el invierno."),
    ("es", "unsubstantiated_superlative", "Encuentra el mejor plan para tu familia."),
    ("en", "unsubstantiated_superlative", "Best time to sow carrots is early spring."),
    ("en", "unsubstantiated_superlative", "Choose the best plan for your team, cancel anytime."),
    ("en", "excessive_caps", "Our NASA and USB-C kits ship from Ohio this week."),
    ("es", "personal_attributes", "Tengo antecedentes de cocinero en tres restaurantes."),
    ("en", "personal_attributes", "Divorce lawyers in Austin, free first consultation."),
    ("es", "excessive_caps", "Capítulo III de la serie, ya en la app."),
    ("es", "sensational_language", "Todo lo que debes saber antes de adoptar un gato."),
    ("en", "sensational_language", "Everything you need to know before your first marathon."),
    ("es", "sensational_language", "Cervezas de Quito. Prohibida su venta a menores de 18 años."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_violation_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language, learned=True)}, text


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language, learned=True) == [], text
