"""Policy rules, round 3: what an outside attack (issue 17, round 3: 351 cases it wrote without
seeing the rules) found missed or wrongly flagged, written here as sentences of this test's own
in the same forms; and the style rules' evasions (spaced, digit-spelt and alternating capitals,
emoji marks) beside the acronyms and single marks that stay clean."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    ("es", "personal_attributes", "¿Te corrieron de la chamba y no te alcanza? Te prestamos."),
    ("es", "personal_attributes", "¿Sigues soltera a los 38? Conoce gente en tu zona."),
    ("es", "personal_attributes", "A tus 50 y con la presión alta, cuídate con este té."),
    ("es", "personal_attributes", "Para ti que vives con ansiedad: terapia en línea desde casa."),
    ("es", "health_claim", "Las ojeras se borran de un día para otro con este sérum."),
    ("es", "health_claim", "Con este jarabe los niños no vuelven a tener otitis."),
    ("es", "income_claim", "Plata segura cada mes, solo compartes tu enlace."),
    ("es", "before_after", "Compara: a la izquierda su cara en enero, a la derecha hoy."),
    (
        "es",
        "before_after",
        "Hace un año tenía la piel llena de granitos y hoy salgo sin maquillaje.",
    ),
    ("es", "guaranteed_results", "Funciona en todo tipo de piel, a todas les funciona."),
    ("es", "misleading_urgency", "Reloj GRATIS, solo pagas 14,99 € de gastos de gestión."),
    ("es", "misleading_urgency", "Solo para los primeros 50 pedidos, ya van 46."),
    ("es", "sensational_language", "Le salieron gusanos vivos de la piel por usar esa crema."),
    ("en", "health_claim", "Dark spots gone by morning with our night cream."),
    ("en", "health_claim", "Permanent hair removal, book your laser session."),
    ("es", "excessive_caps", "S U P E R rebajas en toda la tienda"),
    ("en", "excessive_caps", "F R E E delivery this weekend"),
    ("es", "excessive_caps", "Envío GR4TIS y DESCU3NTO hoy"),
    ("es", "excessive_caps", "OfErTa De VeRaNo en toda la tienda"),
    (
        "es",
        "excessive_caps",
        "ENVÍO GRATIS A TODO EL PAÍS este fin de semana, pide por la web y recíbelo en casa.",
    ),
    ("es", "excessive_punctuation", "Rebajas de hasta el 40 % ❗❗"),
    ("es", "excessive_punctuation", "Nuevo sabor ‼️ pruébalo en tienda"),
    ("es", "excessive_punctuation", "Menú del día ✔️✔️✔️ con postre incluido"),
]

CLEAN = [
    (
        "es",
        "misleading_urgency",
        "Ya van 5 ediciones de nuestra feria del libro. Inscríbete hasta el 30 de junio.",
    ),
    (
        "es",
        "unsubstantiated_superlative",
        "Premio a la Mejor Cafetería de Lima 2024 (Guía Gastronómica Somos).",
    ),
    (
        "es",
        "unsubstantiated_superlative",
        "Los mejores momentos se viven en familia. Reserva tu mesa.",
    ),
    ("es", "guaranteed_results", "Tu pedido va asegurado y con número de seguimiento."),
    (
        "es",
        "restricted_category",
        "Escapada a Granada: Alhambra y tapas, tres noches con desayuno.",
    ),
    ("es", "before_after", "Frutillas en cajas de 2 kilos a $8.990, despacho al día siguiente."),
    ("es", "before_after", "Hace un año abrimos la tienda y hoy enviamos a todo el país."),
    (
        "es",
        "personal_attributes",
        "Si sigues solo las instrucciones, el mueble se arma en diez minutos.",
    ),
    ("es", "excessive_caps", "Facturamos con CFDI y aceptamos pagos por SPEI y OXXO."),
    ("es", "excessive_caps", "Plan B, vitamina D y el ABC del ahorro."),
    ("en", "excessive_caps", "Shop the new iPhone case on YouTube and eBay."),
    ("en", "excessive_caps", "4K TV with USB-C and HDMI, COVID19 kits, B2B orders welcome."),
    ("es", "excessive_punctuation", "Cada plato lleva ✔️ pan casero y ✔️ postre."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_violation_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    rules = [f.rule for f in check(text, language)]
    assert rule in rules, rules


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language) == [], rule


@pytest.mark.parametrize(
    "text", ["Envío a todo el país.", "Envío express a toda la Argentina, pagas al recibir."]
)
def test_the_learned_check_names_no_restricted_category_where_no_product_is_named(
    text: str,
) -> None:
    # A second outside attack: plain shipping lines read as "restricted_category" (p=0.86)
    # to the learned check, which had seen "envío discreto a todo el país" in vape copy.
    assert "restricted_category" not in [f.rule for f in check(text, "es", learned=True)]
