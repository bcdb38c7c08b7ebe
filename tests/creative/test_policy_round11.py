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
    # (the fourteenth batch) a weight on the day one started and on a day since
    ("es", "before_after", "Pesaba 96 kilos cuando empecé con el plan; 81 esta mañana."),
    # a place's leader, unsourced
    ("en", "unsubstantiated_superlative", "Alberta's leading roofing company. Free quotes."),
    # (the ninth outside attack) the reader addressed by a religion; a condition gone overnight;
    # fat by its nicknames, lost in record time; a free phone with its charge made small; a
    # beer that draws the girls; "N°1" with a degree sign
    ("es", "personal_attributes", "Hermana cristiana, encuentra tu grupo de estudio cerca de ti."),
    ("es", "health_claim", "Amanece sin várices con nuestro gel nocturno."),
    ("es", "weight_loss", "Sácate de encima las lonjas en tiempo récord, sin pasar hambre."),
    ("es", "misleading_urgency", "Tablet gratis hoy: solo cubres un pequeño cargo de activación."),
    ("es", "restricted_category", "Destapa una Quilmes y vas a ver cómo se te acercan las chicas."),
    ("es", "unsubstantiated_superlative", "N°1 en ventas en Perú 🥇"),
    # English: a debt carried, a group then "like you", collections, a skin disease cleared,
    # a sure-win parlay, a loan to payday, "the leading", "no other ... comes close"
    ("en", "personal_attributes", "Still carrying that student loan debt? Refinance today."),
    ("en", "personal_attributes", "A book club for singles over 50 like you."),
    ("en", "personal_attributes", "Since you're already in collections, let us negotiate."),
    ("en", "health_claim", "Our balm clears psoriasis in a week."),
    ("en", "restricted_category", "Sure-win parlays every Saturday from our tipsters."),
    ("en", "restricted_category", "Short on rent? Get $300 now and repay on your next paycheck."),
    ("en", "unsubstantiated_superlative", "The leading payroll app for restaurants."),
    ("en", "unsubstantiated_superlative", "No other roofer in Ohio comes close."),
    # (the third English and fifteenth Spanish batches) vapes by brand and draw, a loan repaid
    # in days, a charger that films the nanny, an accumulator that can't lose; a lender at the
    # door, a charger nobody suspects, fixed lottery numbers
    ("en", "restricted_category", "Geek Bar 7000 puffs, two for $30, we ship discreet."),
    ("en", "restricted_category", "Up to $800 by tonight, no paperwork. Pay it back in 14 days."),
    (
        "en",
        "restricted_category",
        "This phone charger records HD video, perfect for keeping an eye on the nanny.",
    ),
    ("en", "restricted_category", "Our weekend acca can't lose. Join the tipster channel."),
    ("es", "restricted_category", "Le prestamos 500 mil y paga en cuotas diarias al cobrador."),
    ("es", "restricted_category", "Cámara en un cargador que nadie sospecha, graba con audio."),
    ("es", "restricted_category", "Números fijos pa la Loteka de hoy, gana seguro con nosotros."),
    # (the fourth English batch) a parole officer in the reader's phone, typed "ur"; a doctor's
    # treatment told to the reader; a gender transition; graduates' monthly earnings; a cure
    # that bins the statins; a free item whose fee "u just cover"; a creamier drink "anywhere"
    ("en", "personal_attributes", "probation officer saved in ur contacts? we hire, no questions"),
    ("en", "personal_attributes", "Doctor just mentioned metformin? Try our low-carb meal kits."),
    ("en", "personal_attributes", "Binders and packers for every stage of your transition."),
    ("en", "income_claim", "Most of our students are making $4,000 a month by month six."),
    ("en", "health_claim", "Our tea clears clogged arteries, so you can bin the statins."),
    ("en", "misleading_urgency", "FREE smartwatch today, u just cover a small processing fee"),
    ("en", "unsubstantiated_superlative", "You won't find a fluffier pancake anywhere in Texas."),
    # (the tenth outside attack) English: a symptom, job loss, arrears, a visa, coming out, a
    # debt, a diagnosis asked of or told to the reader; a cure by "gone"; never ill; trials
    # without the study; quitting by handing in notice; nobody recognises you; a size to a size;
    # every client gets the job; counterfeits, weed and cigarettes by slang; cider for a sixth
    # form; "Ireland's most trusted", "the only … dermatologists use", "nobody makes a better"
    ("en", "personal_attributes", "Panic attacks on the commute again? Try our breathing app."),
    ("en", "personal_attributes", "Just been laid off? Our bootcamp starts Monday."),
    ("en", "personal_attributes", "Behind on your rent this month? Talk to our advisers."),
    ("en", "personal_attributes", "Your work permit expiring soon? Our lawyers can help."),
    ("en", "personal_attributes", "Coming out to your family this year? Talk to our counsellors."),
    ("en", "personal_attributes", "That student debt won't clear itself. Book a call."),
    ("en", "personal_attributes", "Since the diagnosis, meals feel hard. Our dietitians can help."),
    ("en", "health_claim", "Eczema gone in a week with our oat balm."),
    ("en", "health_claim", "Keep the kids cold-free all term with our gummies."),
    ("en", "health_claim", "Proven in clinical trials to ease joint pain."),
    ("en", "income_claim", "Hand in your notice: our signals pay better than your job."),
    ("en", "before_after", "POV: nobody recognises you at the reunion 👀 10 weeks on our plan"),
    ("en", "before_after", "From a size 16 to a size 8: Dana's story with our coaching."),
    ("en", "guaranteed_results", "Every client we coach gets a job offer, full stop."),
    ("en", "restricted_category", "1:1 designer sneakers, same leather as the real thing."),
    ("en", "restricted_category", "Premium loud and pre-rolls delivered within the hour."),
    ("en", "restricted_category", "Cheap ciggies by the carton, delivered nationwide."),
    ("en", "restricted_category", "Cider for your sixth form leavers' party, 24 cans for £15."),
    ("en", "unsubstantiated_superlative", "Ohio's most trusted roofing company."),
    ("en", "unsubstantiated_superlative", "The only moisturiser dermatologists actually use."),
    ("en", "unsubstantiated_superlative", "Nobody makes a better pizza in Leeds."),
    # Spanish: a credit-bureau report asked; money in slang while you sleep; returns without
    # risk; a fixed sum a day for sharing links; shots for a school party; cigarettes by slang;
    # the secret pharmacies hide; "nadie hace … como nosotros"; "la crema que usan las dermatólogas"
    ("es", "personal_attributes", "¿Reportado en el buró? Igual te damos tu tarjeta."),
    ("es", "income_claim", "Haz plata mientras duermes con tu tienda automática."),
    ("es", "income_claim", "Rentabilidad del 12 % anual sin riesgo en nuestros pagarés."),
    ("es", "income_claim", "Cobra 40 dólares al día solo por ver anuncios."),
    ("es", "restricted_category", "Chupitos para la fiesta de 4º de ESO: pack de 20 por 15 €."),
    ("es", "restricted_category", "Puchos importados a precio de fábrica, te los llevo a casa."),
    ("es", "sensational_language", "El secreto que los bancos esconden desde hace años."),
    ("es", "unsubstantiated_superlative", "Nadie hace empanadas como nosotros en Salta."),
    ("es", "unsubstantiated_superlative", "El sérum que usan todas las dermatólogas."),
    # (the fifth English and sixteenth Spanish batches) shroom bars; a loan repaid on payday
    # with no credit check
    ("en", "restricted_category", "Shroom bars, 4g each, shipped discreetly to all 50 states."),
    ("es", "restricted_category", "Te prestamos hasta $300.000 y nos pagas en tu quincena."),
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
    # a price before and after a sale, boxes lighter by kilos, a kitchen and a bakery then and now
    ("es", "before_after", "Precio antes: $2,499. Ahora: $1,899. Solo en tienda en línea."),
    ("es", "weight_loss", "Quitamos 15 kilos a tu mudanza con cajas plegables ultraligeras."),
    ("en", "before_after", "The before and after of a 1970s kitchen remodel, in photos."),
    ("en", "before_after", "Our bakery then and now: forty years on the same corner."),
    # a route map beside a table, a battery's hours, a sale with its date, a year before its
    # report, trading bots explained, a race day, an awareness month
    (
        "en",
        "before_after",
        "Left: the 10K route map. Right: the water stations. Race day is Sunday 4 May.",
    ),
    ("en", "before_after", "Rechargeable lantern. 20 hours on a full charge, three modes."),
    (
        "en",
        "misleading_urgency",
        "The Diwali price ends at midnight on 12 November; then it is back to ₹2,499.",
    ),
    (
        "en",
        "unsubstantiated_superlative",
        "Rated the fastest broadband in Leeds in Ookla's 2024 speed test report.",
    ),
    ("en", "restricted_category", "Crypto trading bots explained: what they cost and the risks."),
    # a money workshop, shock absorbers, best wishes, the number one question, a valet's before
    # photos, a bakery's anniversary, loyalty points
    ("en", "income_claim", "Free money workshop at the library: budgeting basics for savers."),
    ("en", "sensational_language", "Shock absorbers fitted while you wait. From £89 a pair."),
    ("en", "unsubstantiated_superlative", "Best wishes from all of us at Green Lane Garage."),
    (
        "es",
        "unsubstantiated_superlative",
        "La pregunta número uno que nos hacen: ¿envían a provincias?",
    ),
    ("en", "before_after", "Our valeting team: muddy before photos, gleaming after ones."),
    ("en", "before_after", "Then and now: our bakery's 50th anniversary on Main Street."),
    ("es", "personal_attributes", "Gana puntos dobles en tus compras con tu tarjeta este mes."),
    # a woodworking jig; what regulators warn about a token presale
    ("en", "restricted_category", "Our jig kit cuts matching angles for end-grain cutting boards."),
    (
        "en",
        "restricted_category",
        "What is a token presale, and why do regulators warn about them? Read our guide.",
    ),
    # a bakery named like a vape
    ("en", "restricted_category", "Lost Mary's Bakery: sourdough loaves and scones on Saturdays."),
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


def test_the_leading_cause_of_something_is_a_statistic_not_a_superlative() -> None:
    rules = {f.rule for f in check("Falls are the leading cause of injury at home.", "en")}
    assert "unsubstantiated_superlative" not in rules


def test_a_transition_to_somewhere_is_no_gender_transition() -> None:
    rules = {f.rule for f in check("Your transition to remote work, with our desk kits.", "en")}
    assert "personal_attributes" not in rules


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_lexicon_names_each_concept_once(language: str) -> None:
    """YAML keeps the last of two keys of one name without a word: a concept defined twice
    silently loses its first list, and the rules written for it (the health rule's GONE was the
    death list of a sensational rule until round 12)."""
    from importlib.resources import files

    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(key) for key, _ in node.value]
        assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
        return loader.construct_mapping(node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    text = files("shared.creative.policy").joinpath("lexicons", f"{language}.yaml").read_text()
    yaml.load(text, Loader=Strict)  # noqa: S506 - a SafeLoader subclass
