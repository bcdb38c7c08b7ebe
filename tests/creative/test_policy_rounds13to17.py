"""Policy rules, rounds 13 to 17: what the es17 to es22 and en6 batches' dev lines and the
eleventh outside attack taught, as this test's own sentences (one list per kind, each round's
sentences under its heading).

- round 13: the reader's faith by a practice, a treatment on their calendar, a concession, a
  pregnancy by months; clothes that fit again, sizes by month, a mirror made peace with; alcohol
  as the end of shyness; quick payback and doubled pay; cures by organ and dropped medicine.
- round 14: results by a remark then and now, a slider, side by side, start and end, two ages;
  Rx drugs by brand or slang, covert trackers, fixed matches; earnings by "cobra" and local
  currencies.
- round 15 (the eleventh attack): a symptom, treatment or letter asked about; no doctor needed,
  not one cold; fixed returns; sizes by season; vapes, pouches, party drugs and steroids.
- round 16: the reader's disability by the aid they use; owners' weekly take, a pass promised,
  a free course with a fee; chemo sessions, a fixed monthly percentage, chats read unseen.
- round 17: a divorce, a lone parent, a DUI, an age or a faith put on the reader; a cold that
  keeps away, a detox patch, a cure for vitiligo; half a face done, "así era yo... así soy ahora",
  a colleague asking what you had done, a face ten years younger on the way out.
"""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    # --- round 13
    # faith by practice, a treatment on the reader's calendar, a concession that names the record
    ("es", "personal_attributes", "Como tú no faltas a misa, abrimos la tienda después de las 12."),
    ("es", "personal_attributes", "Cojín térmico para tus jueves de quimio, lavable a máquina."),
    ("es", "personal_attributes", "Préstamo personal aunque estés en buró, aprobación en 1 hora."),
    ("es", "personal_attributes", "¿Con la jubilación encima y sin saber usar la app del banco?"),
    ("es", "personal_attributes", "Con tu pancita de 8 meses, mejor que te lo llevemos a casa."),
    # clothes that fit again, sizes by month, a mirror made peace with, a crowd that didn't know you
    ("es", "before_after", "El vestido de la graduación me vuelve a cerrar, gracias a FitMamá."),
    ("es", "before_after", "Talla 44 en enero, 38 en julio. Batidos Ligera y a caminar."),
    ("es", "before_after", "Mi espejo y yo hicimos las paces: cuatro sesiones de peeling."),
    ("es", "before_after", "En la fiesta de exalumnos nadie me reconoció. Plan Delgada 120 días."),
    (
        "es",
        "before_after",
        "Ahora parezco más joven que mi hermana menor, desde que uso Rosa Mosqueta Pura.",
    ),
    # alcohol as the way to stop being shy; a pill that makes you last all night
    (
        "es",
        "restricted_category",
        "Tequila Agave Real: al segundo tequilita dejas de ser el tímido de la oficina.",
    ),
    ("es", "restricted_category", "Una pastillita antes y aguantas toda la noche, envío discreto."),
    ("es", "restricted_category", "Pronósticos de la Liga MX con 92 % de acierto: apuesta y gana."),
    # quick payback, doubled pay, money back multiplied, a salary like someone else's
    (
        "es",
        "income_claim",
        "Pon tu máquina de café en la oficina y en 2 meses recuperas lo invertido.",
    ),
    (
        "es",
        "income_claim",
        "Con nuestro curso de inglés técnico vas a cobrar el triple por proyecto.",
    ),
    ("es", "income_claim", "Metes 1,000 en la tanda y te regresan 3,000 en tres semanas."),
    ("es", "income_claim", "Duplica tu aguinaldo en 30 días con nuestro club de inversión."),
    # cures by organ, by the medicine dropped, by no one falling ill, by the surgeon who gave up
    ("es", "health_claim", "Esta infusión desinflama la próstata sin pastillas."),
    ("es", "health_claim", "Con el jarabe de ajo en casa ya nadie se enferma en invierno."),
    ("es", "health_claim", "Mi papá dejó el losartán a los tres meses de tomar el té."),
    ("es", "health_claim", "Nunca más gastritis: cápsulas de sábila para toda la familia."),
    ("es", "health_claim", "El cirujano canceló la operación después de mis gotas de propóleo."),
    ("es", "health_claim", "Se me quitó la neuropatía con las plantillas de imanes."),
    # --- round 14
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
    # --- round 15
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
    # --- round 16
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
    # --- round 17
    ("es", "personal_attributes", "Sabemos que después del divorcio te toca mudarte rápido."),
    ("es", "personal_attributes", "Como eres mamá sola, te cuidamos a los niños hasta las 7."),
    ("es", "personal_attributes", "Vinos kosher para tu Shabat, entrega el viernes temprano."),
    ("es", "health_claim", "Con miel y jengibre el resfrío ni se acerca a tu casa."),
    ("es", "health_claim", "Crema natural que cura el vitíligo en semanas."),
    ("es", "before_after", "Así era yo en la piscina, siempre tapada. Así soy ahora, en bikini."),
    ("es", "before_after", "En el trabajo me preguntaron qué me hice en la cara. Peeling Lumi."),
    ("es", "before_after", "Entran con 55 y salen con cara de 40: hilos tensores en Lima."),
]

CLEAN = [
    # --- round 13
    # the same words for everyone, for a thing, or as a fact
    ("es", "Horario de misas de Navidad en la parroquia San José: 18:00 y 20:00."),
    ("es", "Clínica de diálisis en Quito con 40 puestos y transporte para pacientes."),
    ("es", "POV: tu vecino pasa por tu puesto renovado y no lo reconoce. Toldos a medida."),
    ("es", "Purificador de aire que quita el olor a cigarro del auto. Filtro HEPA."),
    ("es", "Ron añejo de 7 años. Disfrútalo con responsabilidad. Venta solo a mayores de 18."),
    ("es", "Repartidores: recibes el 100 % de las propinas y la tarifa por kilómetro."),
    ("es", "Taller de P2P: nadie te promete ganancias, te enseñamos a evitar estafas."),
    ("es", "Seguro médico con cobertura de cirugía y hospitalización. Cotiza en línea."),
    # --- round 14
    # a price per month, a job with a contract, points doubled, a tracker on your own car
    ("es", "Crea tu web con dominio incluido: $49 al mes, sin permanencia."),
    ("es", "Empleo de atención al cliente desde casa: $9,000 a $11,000 al mes, con contrato."),
    ("es", "Duplica tus puntos: paga con tu tarjeta el fin de semana y gana el doble."),
    ("es", "Filtros de agua para el hogar con cambio de cartucho cada 12 meses."),
    ("es", "Reto de 30 días de inglés: mi pronunciación del primer día y la de hoy."),
    # --- round 15
    ("en", "Shocking pink is back: our lipstick shade returns Friday."),
    ("en", "Free stop-smoking clinic on Tuesdays. Nicotine patches available."),
    ("en", "Lost Mary's Bakery: sourdough and scones every Friday."),
    ("es", "Rosa impactante: el nuevo esmalte llega el viernes."),
    ("es", "Ofertas de escándalo en bicicletas este puente."),
    # --- round 16
    ("en", "Same mirror, whole new bathroom: retiled by our crew in 3 days."),
    ("en", "Live scores and fixtures for your team. No betting, no odds, just football."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_each_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language)}, text


@pytest.mark.parametrize(("language", "text"), CLEAN)
def test_clean_look_alikes_pass(language: str, text: str) -> None:
    # the rules' verdict: the learned check's readings move with each refit, and the benchmark
    # measures them on the corpus
    assert check(text, language) == [], text


def test_a_denied_trigger_triggers_nothing() -> None:
    from shared.creative.policy import structure

    rules = {rule for rule, _, _ in structure.triggered("No betting, just football.", "en")}
    assert "restricted_category" not in rules
    rules = {rule for rule, _, _ in structure.triggered("Betting tips for the weekend.", "en")}
    assert "restricted_category" in rules
