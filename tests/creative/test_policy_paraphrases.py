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


# More of both, in the voice of real direct-response ads: flagged under some blocking rule...
MORE_VIOLATIONS = [
    ("en", "Feeling anxious all the time? This app was built for you."),
    ("en", "Struggling to make rent this month? Get cash today."),
    ("en", "Newly diagnosed with cancer? Join our trial."),
    ("en", "Bald at 30? Our serum regrows hair in weeks."),
    ("en", "Christian singles near you are waiting."),
    ("en", "Our gummies cure insomnia in one night."),
    ("en", "Say goodbye to eczema forever."),
    ("en", "No more insulin shots with our natural formula."),
    ("en", "Boosts your immune system so you never get sick."),
    ("en", "Lose 20 lbs without lifting a finger."),
    ("en", "Get a flat stomach in 7 days."),
    ("en", "Tired of your flabby arms? Fix them fast."),
    ("en", "Make $500 a day working from home."),
    ("en", "Turn $100 into $10,000 with our trading signals."),
    ("en", "Zero-risk investment with guaranteed 20% annual returns."),
    ("en", "Then vs now: 40 lbs down with our app."),
    ("en", "Her skin after just 14 days. Swipe to compare."),
    ("en", "100% guaranteed to clear your acne."),
    ("en", "This cream works on everyone, no matter what."),
    ("en", "Act fast: only 5 spots remaining!"),
    ("en", "Timer is running: 00:14:59 left to claim your bonus."),
    ("en", "Buy cheap cigarettes online, no ID needed."),
    ("en", "Cannabis gummies delivered to your door."),
    ("en", "Bet on tonight's match: guaranteed winnings."),
    ("en", "Shocking footage: what really happens in fast food kitchens."),
    ("en", "You won't believe what this mom did with baking soda."),
    ("es", "¿Tienes ansiedad todo el día? Esta app es para ti."),
    ("es", "¿No llegas a pagar el alquiler este mes? Dinero hoy."),
    ("es", "¿Calvo a los 30? Nuestro sérum hace que el pelo vuelva a crecer."),
    ("es", "Nuestras gominolas curan el insomnio en una noche."),
    ("es", "Despídete del eccema para siempre."),
    ("es", "Pierde 10 kilos sin mover un dedo."),
    ("es", "Gana 500 € al día trabajando desde casa."),
    ("es", "Inversión sin riesgo con un 20 % de rentabilidad garantizada."),
    ("es", "Antes y ahora: 15 kilos menos con nuestra app."),
    ("es", "Funciona en todo el mundo, sin excepción."),
    ("es", "¡Date prisa! Solo quedan 5 plazas."),
    ("es", "Compra tabaco barato online sin control de edad."),
    ("es", "Apuesta en el partido de hoy: ganancias garantizadas."),
    ("es", "Imágenes impactantes: lo que pasa en las cocinas de comida rápida."),
    ("es", "No vas a creer lo que hizo esta madre con bicarbonato."),
]
# ...and ordinary marketing copy on the same topics, flagged under none.
MORE_CLEAN = [
    ("en", "Feel your best every day with our multivitamin."),
    ("en", "Our lightest running shoe yet."),
    ("en", "Save up to 50% this weekend only."),
    ("en", "Join 10,000 happy customers."),
    ("en", "Get paid faster with instant invoicing."),
    ("en", "Make money management simple."),
    ("en", "Our app helps you stick to a budget and pay off debt faster."),
    ("en", "Diabetes-friendly recipes, ready in 20 minutes."),
    ("en", "Wrinkle cream that hydrates overnight."),
    ("en", "Results may vary."),
    ("en", "Guaranteed fit or free exchanges."),
    ("en", "Lowest price guaranteed."),
    ("en", "Hurry, sale ends tonight!"),
    ("en", "Last chance to save 30%."),
    ("en", "Only 100 made. Each one numbered."),
    ("en", "Only 2 days left to enter."),
    ("en", "Shop the latest trends."),
    ("en", "Our biggest sale of the year."),
    ("en", "Voted best coffee in Austin by Austin Monthly 2024."),
    ("en", "Quit sugar for 30 days with our guided challenge."),
    ("en", "Track your weight, sleep and steps in one place."),
    ("en", "Protein shakes to support your training goals."),
    ("en", "A gentle cleanser for acne-prone skin."),
    ("en", "Talk to a licensed therapist online this week."),
    ("en", "Your first month free, then $9.99/month. Cancel anytime."),
    ("en", "Borrow up to $5,000 with fixed monthly payments. APR 9.9%-24.9%."),
    ("en", "Kids love our sugar-free gummies."),
    ("en", "Craft beer tasting for adults 21+ this Saturday."),
    ("en", "Sleep better tonight with our weighted blanket."),
    ("en", "Hair loss shampoo with biotin and caffeine."),
    ("en", "Get glowing skin in 4 weeks with daily use."),
    ("en", "Never miss a delivery again with live tracking."),
    ("es", "Nuestra mayor rebaja del año."),
    ("es", "Envío gratis en pedidos superiores a 30 €."),
    ("es", "Resultados visibles en 4 semanas."),
    ("es", "Piel más luminosa desde la primera aplicación."),
    ("es", "¿Buscas piso? Te ayudamos."),
    ("es", "¿Cansado de pagar de más en tu factura de la luz?"),
    ("es", "Sin permanencia. Sin letra pequeña."),
    ("es", "Las plazas son limitadas."),
    ("es", "Oferta válida hasta el domingo."),
    ("es", "Recetas aptas para personas con diabetes."),
    ("es", "Habla con un psicólogo colegiado esta semana."),
    ("es", "Tu primer mes gratis y después 9,99 € al mes. Cancela cuando quieras."),
    ("es", "Batidos de proteína para tus entrenamientos."),
    ("es", "Champú anticaída con biotina."),
    ("es", "Cerveza artesana para mayores de 18."),
    ("es", "Nunca más te quedarás sin café: suscripción mensual."),
    ("es", "Aprende inglés en 3 meses con clases diarias."),
    ("es", "El gimnasio que se adapta a tu horario."),
]


@pytest.mark.parametrize(("language", "text"), MORE_VIOLATIONS)
def test_direct_response_violations_are_blocked(language: str, text: str) -> None:
    assert {f.rule for f in check(text, language)} & BLOCKING


@pytest.mark.parametrize(("language", "text"), MORE_CLEAN)
def test_ordinary_marketing_copy_passes(language: str, text: str) -> None:
    assert check(text, language) == []


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


def test_a_long_text_of_repeated_near_matches_is_checked_in_linear_time() -> None:
    # Each "debt ... you" is a question rule's candidate and each "guaranteed" an exception
    # rule's: looked up per match, not by scanning the text again (quadratic took minutes).
    text = "debt you guaranteed delivery " * 10_000
    assert check(text, "en") == []
    asked = "¿Tienes deudas? " * 5_000
    assert len(check(asked, "es")) == 5_000
