"""Policy rules generalise past the corpus they were tuned on (round 2): for each widened
concept, sentences written for this test (not corpus lines), in English and Spanish (Spain and
Latin America, with and without accents), are flagged under their rule, and clean look-alikes
on the same topic (no reader-directed question, no promise) stay clean."""

from __future__ import annotations

import pytest

from shared.creative import nlp
from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    # personal attributes: a question or statement about the reader's condition or money
    ("en", "personal_attributes", "Struggling to keep up with your mortgage payments?"),
    ("en", "personal_attributes", "Can't afford the rent this month? We lend same day."),
    ("en", "personal_attributes", "Been feeling hopeless and depressed lately?"),
    ("en", "personal_attributes", "Have you been arrested before? Clear your record."),
    ("en", "personal_attributes", "Worried about your weight? Try our plan."),
    ("en", "personal_attributes", "Single mom working two jobs? This grant is for you."),
    ("en", "personal_attributes", "Maxed out your credit cards? Consolidate today."),
    ("en", "personal_attributes", "Your credit score took a hit? We still approve you."),
    ("es", "personal_attributes", "¿Te cuesta pagar el alquiler este mes?"),
    ("es", "personal_attributes", "¿Te acaban de despedir? Consigue dinero hoy."),
    ("es", "personal_attributes", "¿Te sientes sola desde el divorcio?"),
    ("es", "personal_attributes", "¿Tienes mal historial crediticio? Te damos la tarjeta."),
    ("es", "personal_attributes", "¿Atrasado con la renta? Te prestamos hoy."),
    ("es", "personal_attributes", "¿Te preocupa tu peso? Empieza hoy."),
    ("es", "personal_attributes", "¿Sufres de depresion? Habla con nosotros."),
    ("es", "personal_attributes", "¿Te quedaste sin chamba? Gana desde casa."),
    # health claims: a named condition cured, a biomarker lowered, senses restored, medicine
    # or glasses made unnecessary, relief made permanent
    ("en", "health_claim", "These capsules flush out kidney stones naturally."),
    ("en", "health_claim", "Gets rid of acid reflux for good."),
    ("en", "health_claim", "Wipes out nail fungus in 10 days."),
    ("en", "health_claim", "Bring down your blood pressure in weeks."),
    ("en", "health_claim", "Regain perfect eyesight without surgery."),
    ("en", "health_claim", "Toss your reading glasses after one month."),
    ("en", "health_claim", "Soothes sciatica permanently."),
    ("en", "health_claim", "Our oil reverses grey hair."),
    ("en", "health_claim", "Kiss psoriasis goodbye."),
    ("es", "health_claim", "Cura la gastritis en 7 dias."),
    ("es", "health_claim", "Sana tu hígado graso en dos semanas."),
    ("es", "health_claim", "Disuelve las piedras en el riñón sin operación."),
    ("es", "health_claim", "Regula tu azúcar en sangre sin pastillas."),
    ("es", "health_claim", "Recupera la vista de forma natural."),
    ("es", "health_claim", "La alternativa natural a la insulina."),
    ("es", "health_claim", "Alivia la ciática de forma definitiva."),
    ("es", "health_claim", "Con este jarabe ningún virus podrá contigo."),
    ("es", "health_claim", "Jamas volveras a enfermar."),
    # weight loss: effortless (on the couch, while you drink), fast, dated or figured loss
    ("en", "weight_loss", "This shake torches fat while you watch TV."),
    ("en", "weight_loss", "See the pounds melt away on their own."),
    ("en", "weight_loss", "Burn 800 calories a day without lifting a finger."),
    ("en", "weight_loss", "Zap away arm fat in minutes a day."),
    ("en", "weight_loss", "Kiss goodbye to your double chin in 10 days."),
    ("en", "weight_loss", "Drop 12 pounds before summer."),
    ("es", "weight_loss", "Baja de peso rapido con este té."),
    ("es", "weight_loss", "Los kilos se esfuman mientras duermes."),
    ("es", "weight_loss", "Quema 800 calorías al día sin mover un dedo."),
    ("es", "weight_loss", "Despídete de las cartucheras en 3 semanas."),
    ("es", "weight_loss", "Bajá de peso sin dejar el pan."),
    ("es", "weight_loss", "Pierde 6 kilos antes del verano."),
    # the realistic direct-response voice: convictions, a group called out, detox, immunity
    # made invincible, income while you sleep, month-vs-month, first-visit photos, absolute
    # promises, price jumps, ads that vanish, new product slang, covert cameras
    ("en", "personal_attributes", "Recruiters who don't care about convictions like yours."),
    ("en", "personal_attributes", "Got a DUI on your record? Our lawyers can help."),
    ("en", "personal_attributes", "To all the amputees reading this: our sleeves breathe."),
    ("en", "health_claim", "Our tea draws toxins out of your liver overnight."),
    ("en", "health_claim", "Make your immunity invincible this winter."),
    ("en", "health_claim", "Permanent relief from sciatica in one session."),
    ("en", "weight_loss", "Lost 3 dress sizes and still eat pizza on Fridays."),
    ("en", "weight_loss", "Belly fat gone within 14 days with this wrap."),
    ("en", "income_claim", "Let your savings grow around the clock and wake up to profits."),
    ("en", "income_claim", "Turn one evening a week into $900 a month."),
    ("en", "before_after", "March me vs August me, same bathroom mirror."),
    ("en", "before_after", "Her skin at her first session, then after the fourth."),
    ("en", "before_after", "His jawline pre-treatment and post-treatment."),
    ("en", "guaranteed_results", "Zero chance it fails, whatever your hair type."),
    ("en", "misleading_urgency", "Prices jump at midnight tonight, lock yours in."),
    ("en", "misleading_urgency", "Claim it before this ad disappears."),
    ("en", "restricted_category", "Watermelon puff bars, 20 in a box, shipped discreetly."),
    ("en", "restricted_category", "A phone charger that is secretly a camera, undetectable."),
    ("en", "sensational_language", "Plumbers hate this drain hack."),
    # Spanish of Spain and Latin America: voseo, usted, slang, unaccented
    ("es", "personal_attributes", "Si sufrís de migrañas, esta app es para vos."),
    ("es", "personal_attributes", "Usted que padece artrosis merece moverse sin miedo."),
    ("es", "personal_attributes", "¿Llevas semanas sintiéndote sin energía?"),
    ("es", "personal_attributes", "¿Tu situación migratoria no está resuelta? Te orientamos."),
    ("es", "personal_attributes", "¿Tres facturas de la luz sin pagar? Te ayudamos."),
    ("es", "health_claim", "Deja el omeprazol con este batido natural."),
    ("es", "health_claim", "Tu glucosa se estabiliza en dos semanas."),
    ("es", "health_claim", "Depura tu organismo en 48 horas."),
    ("es", "health_claim", "Las ojeras se van para no volver."),
    ("es", "weight_loss", "Chau rollitos en 3 semanas."),
    ("es", "income_claim", "El bot te deja 90 € limpios cada mañana."),
    ("es", "income_claim", "Nuestros alumnos superan su sueldo en 60 días."),
    ("es", "income_claim", "Pon 200 mil y en un mes tienes 400 mil."),
    ("es", "before_after", "Mis resultados tras 8 semanas con el reto."),
    ("es", "before_after", "Mi piel de marzo a septiembre con este sérum."),
    ("es", "before_after", "Antes: manchas. Ahora: piel uniforme."),
    ("es", "before_after", "Primera foto: el primer día. Segunda foto: hoy."),
    ("es", "guaranteed_results", "Elimina al 100 % de las cucarachas, siempre."),
    ("es", "misleading_urgency", "Quedan 00:09:59 para que se acabe."),
    ("es", "misleading_urgency", "Muestra gratis; si no cancelas en 7 días te cobramos 59 €."),
    ("es", "misleading_urgency", "Mañana el precio sube para siempre."),
    ("es", "restricted_category", "Crédito en 15 minutos sin buró."),
    ("es", "restricted_category", "Tadalafil sin fórmula médica, envío en 2 horas."),
    ("es", "sensational_language", "Lo que vino después nos dejó sin palabras."),
    ("es", "sensational_language", "La comisión que los bancos esconden."),
    ("en", "sensational_language", "This breakfast cereal is slowly poisoning your kids."),
    ("es", "sensational_language", "Este champú está arruinando tu pelo."),
    ("es", "sensational_language", "Los nutricionistas están atónitos con este hallazgo."),
    ("en", "income_claim", "A zero-risk way to boost your savings 25% a year."),
    ("es", "income_claim", "Jubílate en 10 años con esta inversión inmobiliaria."),
    ("es", "income_claim", "Gana lana desde tu celular sin experiencia."),
    ("en", "before_after", "Eight weeks between these photos. Same mirror."),
    ("es", "before_after", "Del antes al después en seis semanas."),
    ("es", "misleading_urgency", "Este precio no volverá jamás."),
]

CLEAN = [
    ("en", "personal_attributes", "Check your credit score for free."),
    ("en", "personal_attributes", "Mortgage advice for first-time buyers."),
    ("en", "personal_attributes", "Resources for single parents in your city."),
    ("en", "personal_attributes", "Can't make it to the store? We deliver."),
    ("en", "personal_attributes", "Worried about your deliveries? Track them live."),
    ("es", "personal_attributes", "Consulta tu historial crediticio gratis."),
    ("es", "personal_attributes", "Recursos para familias monoparentales."),
    ("es", "personal_attributes", "¿Te cuesta elegir regalo? Mira nuestra guía."),
    ("es", "personal_attributes", "¿Te preocupa el envío? Lo seguimos contigo."),
    ("en", "health_claim", "Supports healthy blood sugar levels as part of a balanced diet."),
    ("en", "health_claim", "Our opticians check your eyesight in 20 minutes."),
    ("en", "health_claim", "Kiss dry lips goodbye with our balm."),
    ("en", "health_claim", "Track your blood pressure readings in the app."),
    ("es", "health_claim", "Contribuye a mantener niveles normales de glucosa en sangre."),
    ("es", "health_claim", "Nuestros ópticos revisan tu vista en 20 minutos."),
    ("es", "health_claim", "Muestra gratis sin suscripción: rellena el formulario."),
    ("es", "health_claim", "Gafas graduadas con envío gratis."),
    ("en", "weight_loss", "Burn calories and have fun at our dance class."),
    ("en", "weight_loss", "Healthy recipes under 500 calories."),
    ("en", "weight_loss", "Fresh pasta that never sticks, ready in minutes."),
    ("es", "weight_loss", "Quema calorías y diviértete en nuestra clase de baile."),
    ("es", "weight_loss", "Recetas saludables de menos de 500 calorías."),
    ("es", "weight_loss", "Las ofertas vuelan: mira la colección."),
    ("en", "before_after", "Before and after school clubs, ages 4 to 11."),
    ("en", "before_after", "Left aisle: shampoos. Right aisle: conditioners."),
    ("en", "before_after", "How it started: one market stall. How it's going: three shops."),
    ("en", "sensational_language", "Smoke alarm with a ten-year battery."),
    ("en", "restricted_category", "Free quit-smoking helpline, call any weekday."),
    ("en", "restricted_category", "Doorbell camera with night vision and two-way audio."),
    ("en", "income_claim", "Open a savings account in 5 minutes."),
    ("en", "income_claim", "Invoicing software that gets freelancers paid faster."),
    ("es", "restricted_category", "Estantería fácil: se arma en 10 minutos."),
    ("es", "guaranteed_results", "Tarjeta de crédito asegurada para construir historial."),
    ("es", "health_claim", "Resultados de laboratorio en 24 horas."),
    ("es", "before_after", "Vaqueros de la talla 34 a la 48, pruébalos en tienda."),
    ("es", "before_after", "Rebajas de enero a marzo en toda la tienda."),
    ("es", "income_claim", "Suscripción de 10 € al mes, cancela cuando quieras."),
    ("es", "misleading_urgency", "Las rebajas terminan el domingo a medianoche."),
    ("en", "before_after", "Sessions are booked four to six weeks apart."),
    ("es", "before_after", "Dos dosis con seis meses de diferencia."),
    ("en", "sensational_language", "Is your router slowing down? Here is how to check."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_reworded_violation_is_flagged_under_its_rule(
    language: str, rule: str, text: str
) -> None:
    findings = check(text, language)
    assert rule in {f.rule for f in findings}, findings
    for f in findings:
        assert f.span and f.span in text


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language) == [], rule


@pytest.mark.parametrize(
    ("with_accents", "without"),
    [
        ("Adelgaza 5 kilos en 7 días sin dieta.", "Adelgaza 5 kilos en 7 dias sin dieta."),
        ("¿Sufres de depresión?", "¿Sufres de depresion?"),
        ("Pierde peso rápido sin ejercicio.", "Pierde peso rapido sin ejercicio."),
    ],
)
def test_spanish_written_without_accents_is_read_the_same(with_accents: str, without: str) -> None:
    assert {f.rule for f in check(with_accents, "es")} == {f.rule for f in check(without, "es")}
    assert {f.rule for f in check(without, "es")}


def test_the_matching_norm_folds_accents_and_keeps_the_enye() -> None:
    assert nlp.norm("días", "es") == nlp.norm("dias", "es") == "dia"
    assert nlp.norm("año", "es") != nlp.norm("ano", "es")
    assert nlp.lemma("días", "es") == "día"  # the lemma itself keeps its accent


@pytest.mark.parametrize(
    "text",
    [
        "Sale on now... everything must go... hurry...",
        "Roofers ★ Leeds ★ free quotes",
        "Van hire ~ from $40/day ~ book today",
        "Big deals $$ this weekend only",
        "Ofertas → → → solo online",
        "Clases de y0ga p@ra todos",
        "Pizza delivered 2 your door, call 4 a free side.",
    ],
)
def test_gimmicky_symbols_numbers_and_letters_are_flagged(text: str) -> None:
    assert "excessive_punctuation" in {f.rule for f in check(text, "en")}


@pytest.mark.parametrize(
    "text",
    [
        "Write to hola@tienda.es for a quote.",
        "Take 2 a day with food.",
        "Wait... it's back in stock.",
        "Ready in ~20 minutes.",
        "Buy 2, get 1 free.",
    ],
)
def test_ordinary_symbols_and_numbers_are_not_gimmicks(text: str) -> None:
    assert "excessive_punctuation" not in {f.rule for f in check(text, "en")}


# Found from outside (issue 17's second attack).


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Are you depre\u200bssed? Talk to someone today.", "en"),
        ("Are you depre\u2060ssed? Talk to someone today.", "en"),
        ("Are you ｄｅｐｒｅｓｓｅｄ? Talk to someone today.", "en"),
        ("¿Tienes depre\u00adsión? Te ayudamos hoy.", "es"),
    ],
)
def test_invisible_and_full_width_characters_hide_nothing(text: str, language: str) -> None:
    [finding] = [f for f in check(text, language) if f.rule == "personal_attributes"]
    assert finding.span in text


@pytest.mark.parametrize(
    "text",
    [
        "Prepara tu casa para el invierno.",
        "Renueva tu armario para el otoño.",
        "¿Listo para el verano?",
    ],
)
def test_spanish_function_words_are_not_read_as_verbs(text: str) -> None:
    """The lookup table reads "para" as parir and "casa" as casar: not a personal attribute."""
    assert check(text, "es") == []


@pytest.mark.parametrize("mark", ["$", "!", "🔥", "¿"])
def test_a_long_run_of_one_mark_is_read_in_linear_time(mark: str) -> None:
    """A 100,000-mark line took minutes (spaCy splits suffixes one at a time); spans still
    index the text as given."""
    text = "Sale " + mark * 100_000
    found = check(text, "en")
    assert all(f.span in text for f in found)
    assert "excessive_punctuation" in {f.rule for f in found}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The world's best running shoe (Runner's World, 2024 awards).", "en"),
        ("Rated #1 by Wirecutter, 2024.", "en"),
        ("Elegido nº 1 por la OCU, 2024.", "es"),
        ("La mejor zapatilla de running (premios Runner's World 2024).", "es"),
    ],
)
def test_a_superlative_with_its_named_and_dated_source_is_substantiated(
    text: str, language: str
) -> None:
    assert check(text, language, learned=True) == []
    assert check(text.split(" (")[0].split(" by ")[0].split(" por ")[0] + ".", language) != []
