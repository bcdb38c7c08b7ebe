"""Policy rules, round 13: what the seventeenth and eighteenth Spanish batches' dev lines taught
(the reader's attribute told by a practice, a treatment or a concession; results told by clothes
that fit again, a mirror made peace with, sizes by month; alcohol as social success; quick
payback and doubled pay; cures by organ, by dropped medicine, by no one falling ill), as this
test's own sentences."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
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
]

CLEAN = [
    # the same words for everyone, for a thing, or as a fact
    ("es", "Horario de misas de Navidad en la parroquia San José: 18:00 y 20:00."),
    ("es", "Clínica de diálisis en Quito con 40 puestos y transporte para pacientes."),
    ("es", "POV: tu vecino pasa por tu puesto renovado y no lo reconoce. Toldos a medida."),
    ("es", "Purificador de aire que quita el olor a cigarro del auto. Filtro HEPA."),
    ("es", "Ron añejo de 7 años. Disfrútalo con responsabilidad. Venta solo a mayores de 18."),
    ("es", "Repartidores: recibes el 100 % de las propinas y la tarifa por kilómetro."),
    ("es", "Taller de P2P: nadie te promete ganancias, te enseñamos a evitar estafas."),
    ("es", "Seguro médico con cobertura de cirugía y hospitalización. Cotiza en línea."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_each_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language)}, text


@pytest.mark.parametrize(("language", "text"), CLEAN)
def test_clean_look_alikes_pass(language: str, text: str) -> None:
    # the rules' verdict: the learned check's readings move with each refit, and the benchmark
    # measures them on the corpus
    assert check(text, language) == [], text
