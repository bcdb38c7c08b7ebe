"""Policy rules, round 9: what the seventh to tenth Spanish corpus batches and the eighth outside
attack taught, as this test's own sentences."""

from __future__ import annotations

import pytest

from shared.creative import nlp
from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    # "5%" written without a space is a number and a percent sign (spaCy's Spanish kept it whole)
    ("es", "income_claim", "Rendimiento fijo del 4% mensual en tu cuenta, capital protegido."),
    # a person past recognition; the second photo said as "así salí"
    ("es", "before_after", "En el trabajo no me reconocen: 2 meses de gua sha y otra mandíbula."),
    (
        "es",
        "before_after",
        "Así tenía el cabello al llegar, así salí tras dos sesiones de keratina.",
    ),
    ("es", "before_after", "Mi piel antes del sérum: opaca. Mi piel ahora: luminosa."),
    ("es", "before_after", "Antes 😔 después 😍 con nuestra crema de noche."),
    # a loan told by its terms, a presale by its signs, a chain of recruits
    (
        "es",
        "restricted_category",
        "Te damos 1.500 hoy y nos devuelves 1.800 el día de tu quincena.",
    ),
    (
        "es",
        "restricted_category",
        "Abre la lista blanca de nuestra moneda: compra antes de que cotice.",
    ),
    ("es", "income_claim", "Entra con 50 USDT y cada uno suma a 2 amigos más."),
    ("es", "income_claim", "Únete a mi equipo y en un año te jubilas de la oficina."),
    # vapes by the draw, cigarettes by the carton, documents not earned, drink with no ID check
    ("es", "restricted_category", "Desechables de 6 mil jaladas sabor mango, envío hoy."),
    ("es", "restricted_category", "Cartón de rubio a mitad de precio, traído de la frontera."),
    ("es", "restricted_category", "Licencias de conducir en 3 días y sin examen."),
    ("es", "restricted_category", "Caguamas a domicilio toda la noche y sin pedir INE."),
    ("es", "restricted_category", "Tenis calidad 1.1 con caja, nadie nota que no son originales."),
    # a condition told by its treatment or its kin; never ill again
    (
        "es",
        "personal_attributes",
        "A ti, que vas por la segunda quimio: pañuelos suaves de algodón.",
    ),
    ("es", "personal_attributes", "Tu hijo autista merece un campamento que lo entienda."),
    ("es", "health_claim", "Para que no te vuelva a dar gripa este invierno: vitamina C."),
    # English: a group named with its condition, presales and loans by their signs and terms,
    # cigarettes by the carton, race as the reader's attribute, fear of a symptom ignored
    (
        "en",
        "personal_attributes",
        "Fellow nurses living with anxiety: a journal made by one of you.",
    ),
    (
        "en",
        "restricted_category",
        "Whitelist closes tonight: get $MOON before the exchange listing.",
    ),
    ("en", "restricted_category", "Borrow $400 now and pay it back on payday."),
    ("en", "restricted_category", "Cartons of Marlboros at tax-free prices, shipped today."),
    ("en", "personal_attributes", "As a Black woman, you deserve a foundation that matches."),
    ("en", "sensational_language", "Dermatologists are begging people to stop using this soap."),
    (
        "en",
        "sensational_language",
        "He ignored one warning sign. Two weeks later he was in the ICU.",
    ),
    # round 10 (the eleventh batch): labels, life stages, habits, retargeting, photos made alike
    ("es", "personal_attributes", "Para las gorditas q nunca encuentran jeans: tallas 16 a 28."),
    ("es", "personal_attributes", "¿Ya llegaste a los 50 y te duelen las rodillas? Plantillas."),
    ("es", "personal_attributes", "Camisetas para chicos trans como tú, envío discreto."),
    ("es", "personal_attributes", "Deja la botella de una vez: grupo de apoyo los martes."),
    (
        "es",
        "personal_attributes",
        "Vimos que buscaste tiras reactivas: envío gratis en glucómetros.",
    ),
    ("es", "personal_attributes", "¿Estás en el buró y nadie te presta? Te asesoramos."),
    ("es", "before_after", "Mi coronilla en enero y ayer: misma luz, mismo ángulo. Juzga tú."),
    ("es", "before_after", "De espalda con granitos a espalda lisa en 8 sesiones de peeling."),
    ("es", "before_after", "Cejas de marzo vs cejas de julio con el sérum de ricino."),
    ("es", "unsubstantiated_superlative", "La academia de cocina más reconocida de Sudamérica."),
    # a medical test is no cited study: the superlative still needs its source
    (
        "es",
        "unsubstantiated_superlative",
        "Somos la clínica número uno del país. Estudios de retina.",
    ),
]

CLEAN = [
    # a timeline of a skill, a garden or a house is progress, not a body's before/after
    (
        "es",
        "before_after",
        "Curso de guitarra para adultos: de tocar 3 acordes a 10 canciones en 6 semanas.",
    ),
    ("es", "before_after", "Semana 1 y semana 10 del huerto en la azotea: de semillas a lechugas."),
    ("es", "before_after", "Mi pronunciación de francés el día 10 vs el día 50, grabada en clase."),
    # a charge is not earnings; a count per day is not money; opening hours are no countdown
    ("es", "income_claim", "Al terminar la prueba se cobran $9.99 al mes; cancela cuando quieras."),
    ("es", "income_claim", "De 40 a 70 pedidos por día en la tienda online con las fotos nuevas."),
    ("es", "misleading_urgency", "Vacunación: atendemos de 8:00 a 18:00 sin cita para mayores."),
    # tools, colours and cessation aids named with a restricted word
    ("es", "restricted_category", "Encendedor tipo pistola para la parrilla y la estufa."),
    (
        "es",
        "restricted_category",
        "Parches de nicotina en farmacias: pregunta cómo dejar de fumar.",
    ),
    ("es", "restricted_category", "Bolso de cuero color tabaco, cosido a mano en León."),
    ("es", "restricted_category", "Paciente operado: venga en ayunas y con un acompañante."),
    ("es", "restricted_category", "Préstamo de nómina a 36 meses, tasa fija anual 24 %, CAT 35 %."),
    ("es", "sensational_language", "Impactante vista al mar desde cada habitación del hotel."),
    ("es", "restricted_category", "Silenciador de escape homologado para motos de 150 cc."),
    ("es", "restricted_category", "Fumé una cajetilla diaria por 10 años; este taller me ayudó."),
    ("es", "before_after", "Mismo ángulo, misma luz: la cocina antes de la obra y ahora."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_violation_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language, learned=True)}, text


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language, learned=True) == [], text


def test_a_spanish_percentage_is_a_number_and_its_sign() -> None:
    assert [t.text for t in nlp.doc("Hasta 40% menos", "es")] == ["Hasta", "40", "%", "menos"]
