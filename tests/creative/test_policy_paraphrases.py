"""Policy rules catch paraphrases, not only the phrases they were written from: for every content
rule, in English and Spanish, reworded violations are flagged under their rule and reworded
clean look-alikes (same topic, same words, compliant) are not flagged at all. Negation, the
brief's category and exact spans are checked on the way."""

from __future__ import annotations

import pytest

from shared.creative.policy import BLOCKING, check

VIOLATIONS = [
    # (language, rule, text)
    ("en", "personal_attributes", "Still struggling with anxiety? Our breathing app can help."),
    ("en", "personal_attributes", "Drowning in credit card debt? Talk to a counsellor today."),
    ("en", "personal_attributes", "You're divorced and lonely. Meet someone new this week."),
    ("en", "personal_attributes", "Fellow diabetics swear by these sugar-free cookies."),
    ("en", "personal_attributes", "Months behind on your rent? We can pause the eviction."),
    ("es", "personal_attributes", "¿Luchas contra la depresión? Nuestra app te acompaña."),
    ("es", "personal_attributes", "¿Estás endeudado hasta el cuello? Te ayudamos a salir."),
    ("es", "personal_attributes", "¿Sigues soltero a los 45? Conoce gente hoy."),
    ("es", "personal_attributes", "Otras madres solteras ya ahorran con nuestra tarjeta."),
    ("en", "health_claim", "These drops reverse type 2 diabetes in weeks."),
    ("en", "health_claim", "Wipe out migraines for good with one daily capsule."),
    ("en", "health_claim", "You'll never catch a cold again with our zinc spray."),
    ("en", "health_claim", "Dark spots vanish overnight. Wake up to new skin."),
    ("en", "health_claim", "Ditch your blood pressure meds with this herbal blend."),
    ("es", "health_claim", "Este té acaba con la artritis de forma natural."),
    ("es", "health_claim", "Nunca más volverás a enfermarte este invierno."),
    ("es", "health_claim", "Las arrugas desaparecen para siempre con una sola aplicación."),
    ("en", "weight_loss", "Melt belly fat while you sleep with our night tea."),
    ("en", "weight_loss", "Drop 15 pounds in 3 weeks, no gym required."),
    ("en", "weight_loss", "Shed kilos quickly without giving up pizza."),
    ("es", "weight_loss", "Quema grasa abdominal sin hacer ejercicio."),
    ("es", "weight_loss", "Baja 8 kilos en 20 días con nuestro batido."),
    ("en", "income_claim", "Our members pull in $3,000 a week from their laptops."),
    ("en", "income_claim", "Risk-free investing: returns of 12% per month, guaranteed."),
    ("en", "income_claim", "Triple your savings in 90 days with our crypto bot."),
    ("es", "income_claim", "Rendimientos asegurados del 10 % al mes sin riesgo."),
    ("es", "income_claim", "Hazte millonario con nuestro curso de trading."),
    ("en", "before_after", "Week 1 vs week 12: the difference is unreal."),
    ("en", "before_after", "What 90 days of our serum did to my skin."),
    ("es", "before_after", "Semana 1 frente a semana 10: mira el cambio."),
    ("es", "before_after", "Lo que 60 días de este champú hicieron por mi pelo."),
    ("en", "guaranteed_results", "Clear skin is guaranteed, or we keep working until it is."),
    ("en", "guaranteed_results", "It works for everybody, no matter your skin type."),
    ("en", "guaranteed_results", "We promise you'll lose the weight this time."),
    ("es", "guaranteed_results", "Funciona siempre, en todo tipo de piel."),
    ("es", "guaranteed_results", "Te garantizamos que vas a ver resultados."),
    ("en", "misleading_urgency", "Only 3 left at this price! Grab yours before they're gone."),
    ("en", "misleading_urgency", "This deal expires in 9 minutes. Don't miss it."),
    ("es", "misleading_urgency", "¡Solo quedan 4 plazas! La oferta expira en 15 minutos."),
    ("es", "misleading_urgency", "Esta oferta desaparece para siempre a medianoche."),
    ("en", "restricted_category", "Disposable vapes, 6000 puffs, shipped discreetly."),
    ("en", "restricted_category", "Get Xanax delivered, no prescription required."),
    ("en", "restricted_category", "Spy on your partner's texts with our hidden app."),
    ("es", "restricted_category", "Compra Ozempic sin receta con envío en 24 h."),
    ("es", "restricted_category", "Réplicas de bolsos de lujo a mitad de precio."),
    ("en", "sensational_language", "Dentists hate this one weird trick for whiter teeth."),
    ("en", "sensational_language", "What we found in your pillow will horrify you."),
    ("es", "sensational_language", "Lo que encontramos en tu grifo te va a impactar."),
    ("es", "sensational_language", "Los dermatólogos odian este truco casero."),
]

CLEAN = [
    ("en", "personal_attributes", "Support groups for people living with anxiety, every Tuesday."),
    ("en", "personal_attributes", "Debt advice from qualified counsellors, free and confidential."),
    ("en", "personal_attributes", "Meet singles near you who love hiking."),
    ("es", "personal_attributes", "Grupos de apoyo para personas que viven con depresión."),
    ("es", "personal_attributes", "Asesoría gratuita sobre deudas con expertos certificados."),
    (
        "en",
        "health_claim",
        "This product is not intended to diagnose, treat, cure or prevent any disease.",
    ),
    ("en", "health_claim", "Soothes dry, itchy skin with colloidal oatmeal."),
    ("en", "health_claim", "Not a substitute for your medication. Ask your doctor first."),
    ("es", "health_claim", "Hidrata la piel seca y calma la sensación de tirantez."),
    ("es", "health_claim", "No sustituye a tu medicación; consulta a tu médico."),
    ("en", "weight_loss", "High-protein snacks for your training days."),
    ("en", "weight_loss", "You won't lose weight overnight, but you'll feel stronger."),
    ("es", "weight_loss", "Snacks altos en proteína para tus días de entrenamiento."),
    ("en", "income_claim", "Track your income and expenses in one app."),
    ("en", "income_claim", "No guarantees of returns: investing involves risk."),
    ("en", "income_claim", "Savings account, 4.1% APY, FDIC insured."),
    ("es", "income_claim", "La rentabilidad no está garantizada; toda inversión implica riesgo."),
    ("es", "income_claim", "Controla tus ingresos y gastos en una sola app."),
    ("en", "before_after", "Before you buy, read the label."),
    ("es", "before_after", "Antes de comprar, lee la etiqueta."),
    ("en", "guaranteed_results", "30-day money-back guarantee on every order."),
    ("en", "guaranteed_results", "Free returns, guaranteed delivery by Friday."),
    ("es", "guaranteed_results", "Devolución garantizada durante 30 días."),
    ("en", "misleading_urgency", "Sale ends Sunday. Limited edition colours."),
    ("es", "misleading_urgency", "Las rebajas terminan el domingo."),
    ("en", "restricted_category", "Smoke-free home fragrance with cedar and vanilla."),
    ("en", "restricted_category", "Drug-free formula for restful nights."),
    ("en", "restricted_category", "Non-alcoholic sparkling tea for your next dinner party."),
    ("en", "restricted_category", "Massage gun for sore muscles after your run."),
    ("es", "restricted_category", "Ambientador sin humo con aroma a lavanda."),
    ("es", "restricted_category", "Cerveza sin alcohol para tus comidas de verano."),
    ("en", "sensational_language", "The science behind our formula, explained."),
    ("es", "sensational_language", "La ciencia detrás de nuestra fórmula, explicada."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_paraphrased_violation_is_flagged_under_its_rule(
    language: str, rule: str, text: str
) -> None:
    findings = check(text, language)
    assert rule in {f.rule for f in findings}, findings
    assert rule in BLOCKING
    for f in findings:
        assert f.span and f.span in text, f"{f.span!r} is not a substring of {text!r}"


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_is_not_flagged(language: str, rule: str, text: str) -> None:
    assert check(text, language) == []


@pytest.mark.parametrize(
    ("language", "denied", "asserted"),
    [
        ("en", "Returns are not guaranteed.", "Returns are guaranteed."),
        ("en", "We never promise you'll lose weight.", "We promise you'll lose weight."),
        ("es", "La rentabilidad no está garantizada.", "La rentabilidad está garantizada."),
        (
            "en",
            "Alcohol-free spirits for the life of the party.",
            "Vodka for the life of the party.",
        ),
    ],
)
def test_a_denied_claim_is_not_the_claim(language: str, denied: str, asserted: str) -> None:
    assert [f for f in check(denied, language) if f.rule in BLOCKING] == []
    assert [f for f in check(asserted, language) if f.rule in BLOCKING] != []


def test_sin_receta_is_the_restriction_not_its_denial() -> None:
    rules = {f.rule for f in check("Viagra sin receta, envío discreto.", "es")}
    assert "restricted_category" in rules


def test_the_briefs_category_decides_what_the_words_leave_open() -> None:
    text = "Cool mint and berry ice pods just dropped."
    assert check(text, "en") == []
    assert check(text, "en", category="coffee") == []
    [finding] = check(text, "en", category="vape")
    assert finding.rule == "restricted_category" and finding.span == text


def test_a_restricted_category_bars_its_claims_only() -> None:
    assert check("A crisp lager for long summer evenings.", "en", category="alcohol") == []
    flagged = check("One round and you're the life of the party.", "en", category="alcohol")
    assert [f.rule for f in flagged] == ["restricted_category"]
    assert flagged[0].span in "One round and you're the life of the party."
    casino = check(
        "Deposita 10 y juega con 100: hoy la suerte está de tu lado.",
        "es",
        category="Online casino",
    )
    assert casino and {f.rule for f in casino} == {"restricted_category"}


def test_spans_stay_substrings_with_odd_spacing_and_accents() -> None:
    text = "¿Estás  deprimida?\nNuestro té   cura la  depresión."
    findings = check(text, "es")
    assert {f.rule for f in findings} >= {"personal_attributes", "health_claim"}
    assert all(f.span in text for f in findings)
