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
    # the fifth outside attack's misses, said in other words
    ("es", "income_claim", "Tu dinero rinde un 4 % semanal en nuestro club de inversión."),
    ("es", "income_claim", "Rentabilidad del 12 % mensual en nuestro fondo."),
    ("es", "restricted_category", "Adelanto de nómina: hoy te depositamos, pagas con tu nómina."),
    ("es", "weight_loss", "Baja 2 tallas antes de tu boda sin dejar las tortillas."),
    ("es", "before_after", "Mi cuello antes del láser vs. después de 3 sesiones."),
    ("es", "before_after", "Antes 😔 después 😍 con nuestra crema de noche."),
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
    ("es", "guaranteed_results", "Reparación garantizada 6 meses en pantallas de portátiles."),
    ("es", "restricted_category", "Ibuprofeno sin receta en nuestra farmacia de guardia."),
    ("es", "unsubstantiated_superlative", "¿Quieres saber más? Escríbenos por WhatsApp."),
    ("es", "before_after", "Nuestra terraza antes vs. después de la obra."),
    ("es", "before_after", "Bolsas de 5 kilos a 4 euros en el mercado."),
    ("es", "before_after", "Así quedó el comedor de Ana tras la reforma."),
    ("es", "income_claim", "Desde $24.990 al mes, instalación incluida."),
]

# Brand boilerplate around a violation does not hide it from the learned check (an outside
# attack padded every violation the model caught with 300 characters and all of them passed).
PADDING = (
    " Somos una empresa familiar con veinte años de experiencia en el sector. Atendemos de"
    " lunes a viernes de nueve a seis en nuestras oficinas del centro. Envíos a todo el país"
    " con seguimiento en línea y atención por WhatsApp."
)


@pytest.mark.parametrize(
    "violation",
    [
        "Usted, que cobra la mínima y no le alcanza: créditos para jubilados.",
        "Si ya no te alcanza la pensión, te adelantamos dinero hoy mismo.",
    ],
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_boilerplate_around_a_violation_does_not_hide_it(violation: str, where: str) -> None:
    text = violation + PADDING if where == "before" else PADDING.strip() + " " + violation
    found = check(text, "es", learned=True)
    assert "personal_attributes" in {f.rule for f in found}, text
    assert all(violation.startswith(f.span) or f.span in violation for f in found)


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_violation_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language, learned=True)}, text


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language, learned=True) == [], text


def test_one_sentence_of_boilerplate_beside_an_english_violation_does_not_hide_it() -> None:
    text = (
        "Shred belly fat while you sleep, no gym needed. We're a family-run brand from Ohio."
        " Free shipping over $40 and easy returns."
    )
    assert "weight_loss" in {f.rule for f in check(text, "en", learned=True)}
