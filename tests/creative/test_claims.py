"""Claim grounding: what counts as a checkable claim, and which part of the brief backs it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from shared.creative import claims
from shared.models.brand import BrandProfile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def glowdrop() -> dict[str, object]:
    data = yaml.safe_load((EXAMPLES / "glowdrop-serum.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


_FILES = {
    "glowdrop": "glowdrop-serum.yaml",
    "driftwell": "driftwell-magnesium.yaml",
    "ledgerly": "ledgerly-bookkeeping.json",
}


def example(name: str) -> dict[str, object]:
    """An example brief's fields (YAML reads the JSON one too)."""
    data = yaml.safe_load((EXAMPLES / _FILES[name]).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def spans(text: str, language: str) -> list[tuple[str, str]]:
    return [(c.kind, c.span) for c in claims.extract(text, language)]


def traced(
    text: str, language: str, brief: dict[str, object]
) -> dict[str, tuple[bool, str | None]]:
    sources = claims.sources_from(brief, None, language)
    return {t.span: (t.supported, t.source) for t in claims.ground(text, language, sources)}


# -- extraction: every kind, exact spans, in English and Spanish --------------------------------

EXTRACTED = [
    ("en", "Rated 5/5 by moms", [("rating", "Rated 5/5")]),
    (
        "en",
        "4.8 stars from 2,300 reviews",
        [("rating", "4.8 stars"), ("review_count", "2,300 reviews")],
    ),
    ("en", "Loved by 10k customers", [("review_count", "10k customers")]),
    ("en", "15% vitamin C", [("percentage", "15%")]),
    ("en", "Get 20% off today", [("discount", "20% off")]),
    (
        "en",
        "Half price, free shipping and a 2x1",
        [("discount", "Half price"), ("discount", "free shipping"), ("discount", "2x1")],
    ),
    ("en", "Only $29", [("price", "$29")]),
    ("en", "See results in 7 days", [("duration", "in 7 days")]),
    ("en", "in one minute a day", [("duration", "in one minute a day")]),
    (
        "en",
        "Glow overnight, works instantly, done in minutes",
        [("timeframe", "overnight"), ("timeframe", "instantly"), ("timeframe", "in minutes")],
    ),
    ("en", "Better than retinol", [("comparative", "Better than retinol")]),
    ("en", "twice as bright", [("comparative", "twice as bright")]),
    ("en", "faster than ever", [("comparative", "faster than ever")]),
    (
        "en",
        "The best serum, #1 in the US, most effective",
        [("superlative", "The best"), ("superlative", "#1"), ("superlative", "most effective")],
    ),
    ("en", "Reduces fine lines", [("health", "Reduces fine lines")]),
    ("en", "Clinically proven", [("health", "Clinically proven")]),
    ("en", "Firms your skin", [("body", "Firms your skin")]),
    ("en", "Lose weight fast", [("body", "Lose weight")]),
    ("en", "Earn $500 a week", [("money", "Earn $500")]),
    (
        "en",
        "Money-back guarantee, risk-free",
        [("guarantee", "Money-back guarantee"), ("guarantee", "risk-free")],
    ),
    ("en", "One step", [("number", "One step")]),
    ("en", "bright even skin", [("body", "bright even skin")]),
    ("en", "Buy 2, get 1 free", [("discount", "Buy 2, get 1 free")]),
    ("en", "Twice the vitamin C", [("comparative", "Twice the vitamin C")]),
    ("en", "Trusted by dermatologists", [("health", "Trusted by dermatologists")]),
    ("en", "Join 1 million happy users", [("review_count", "1 million happy users")]),
    ("en", "Call 555-0100, open since 1998", [("number", "1998")]),
    (
        "es",
        "4,8 estrellas en 2.300 reseñas",
        [("rating", "4,8 estrellas"), ("review_count", "2.300 reseñas")],
    ),
    (
        "es",
        "20% de descuento y envío gratis",
        [("discount", "20% de descuento"), ("discount", "envío gratis")],
    ),
    ("es", "Llévate un 2x1, es gratis", [("discount", "2x1"), ("discount", "gratis")]),
    ("es", "Solo 29 €", [("price", "29 €")]),
    ("es", "15% de vitamina C", [("percentage", "15%")]),
    ("es", "Resultados en 7 días", [("duration", "en 7 días")]),
    ("es", "en un minuto al día", [("duration", "en un minuto al día")]),
    (
        "es",
        "Piel nueva de la noche a la mañana, al instante",
        [("timeframe", "de la noche a la mañana"), ("timeframe", "al instante")],
    ),
    ("es", "Hidrata más que una crema", [("comparative", "más que una crema")]),
    (
        "es",
        "El mejor sérum, número uno",
        [("superlative", "El mejor"), ("superlative", "número uno")],
    ),
    ("es", "Reduce las arrugas", [("health", "Reduce las arrugas")]),
    ("es", "Clínicamente probado", [("health", "Clínicamente probado")]),
    ("es", "Pierde peso sin dieta", [("body", "Pierde peso")]),
    ("es", "Gana $500 a la semana", [("money", "Gana $500")]),
    ("es", "Garantía de devolución del dinero", [("guarantee", "Garantía de devolución")]),
    ("es", "diez pasos", [("number", "diez pasos")]),
    ("es", "una piel luminosa", [("body", "piel luminosa")]),
    ("es", "Más de un millón de clientes", [("review_count", "un millón de clientes")]),
    ("es", "Compra 2 y llévate 1 gratis", [("discount", "Compra 2 y llévate 1 gratis")]),
]


@pytest.mark.parametrize(("language", "text", "expected"), EXTRACTED)
def test_extracts_each_kind_with_its_exact_words(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert spans(text, language) == expected
    for claim in claims.extract(text, language):
        assert text[claim.start : claim.end] == claim.span


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "No parabens, paraben-free and it won't sting"),
        ("en", "You'll love it. Feel free to ask."),
        ("en", "It does not cure acne"),
        ("es", "Sin parabenos, no cura el acné"),
        ("es", "Te va a encantar"),
        ("en", "Visit glowdrop.example/serum-24 or https://x.example/7days"),
    ],
)
def test_denials_puffery_and_addresses_are_not_claims(language: str, text: str) -> None:
    assert spans(text, language) == []


# -- grounding against examples/glowdrop-serum.yaml ---------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "span", "source"),
    [
        ("en", "4.8 stars from 2,300 reviews", "4.8 stars", "proof[0]"),
        ("en", "Join 2,300 reviews", "2,300 reviews", "proof[0]"),
        ("en", "Read 2.3k reviews", "2.3k reviews", "proof[0]"),
        ("en", "20% off your first serum", "20% off", "offer"),
        ("en", "15% vitamin C in every drop", "15%", "proof[1]"),
        ("en", "Glow in one minute a day", "in one minute a day", "desires[0]"),
        ("en", "Glow in 1 minute a day", "in 1 minute a day", "desires[0]"),
        ("en", "bright even skin for busy moms", "bright even skin", "desires[0]"),
        ("es", "4,8 estrellas", "4,8 estrellas", "proof[0]"),
        ("es", "2.300 reseñas lo dicen", "2.300 reseñas", "proof[0]"),
        ("es", "20 % de descuento", "20 % de descuento", "offer"),
        (
            "es",
            "Piel luminosa en un minuto al día",
            "piel luminosa".capitalize(),
            "localized.es.desires[0]",
        ),
    ],
)
def test_glowdrop_supports_what_its_brief_states(
    glowdrop: dict[str, object], language: str, text: str, span: str, source: str
) -> None:
    assert traced(text, language, glowdrop)[span] == (True, source)


@pytest.mark.parametrize(
    ("language", "text", "span"),
    [
        ("en", "7 days to bright skin", "7 days"),
        ("en", "4.8 stars from happy moms", "4.8 stars"),  # the proof's stars are reviews'
        ("en", "Clinically proven glow", "Clinically proven"),
        ("en", "50% off this week", "50% off"),
        ("en", "Loved by 10,000 customers", "10,000 customers"),
        ("en", "Better than retinol", "Better than retinol"),
        ("en", "2,300 customers can't be wrong", "2,300 customers"),
        ("en", "15% off today", "15% off"),
        ("es", "Piel luminosa en 7 días", "en 7 días"),
        ("es", "Mejor que el retinol", "Mejor que el retinol"),
        ("es", "50% de descuento", "50% de descuento"),
    ],
)
def test_glowdrop_refuses_what_its_brief_does_not_state(
    glowdrop: dict[str, object], language: str, text: str, span: str
) -> None:
    assert traced(text, language, glowdrop)[span] == (False, None)


def test_the_brand_kit_supports_claims(glowdrop: dict[str, object]) -> None:
    brand = BrandProfile(
        id="glowdrop",
        name="GlowDrop",
        positioning="the serum busy moms trust",
        proof=["#1 vitamin C serum on Amazon, 2024"],
    )
    sources = claims.sources_from(glowdrop, brand, "en")
    (trace,) = claims.ground("The #1 vitamin C serum", "en", sources)
    assert (trace.supported, trace.source) == (True, "brand.proof[0]")
    assert "#1 vitamin C serum" in (trace.source_text or "")


def test_numbers_in_names_and_the_landing_url_are_not_claims() -> None:
    brief = {
        "product": "Serum 24 by Lab 7",
        "brand_name": "Lab 7",
        "offer": "20% off",
        "landing_url": "https://lab7.example/serum-24",
    }
    sources = claims.sources_from(brief, None, "en")
    assert claims.ground("Serum 24 by Lab 7: https://lab7.example/serum-24", "en", sources) == []
    (trace,) = claims.ground("Serum 24 hydrates for 48 hours", "en", sources)
    assert (trace.span, trace.supported) == ("for 48 hours", False)


def test_findings_say_what_is_claimed_and_what_would_support_it(
    glowdrop: dict[str, object],
) -> None:
    sources = claims.sources_from(glowdrop, None, "en")
    found = claims.findings(claims.ground("7 days to bright even skin, 4.8 stars", "en", sources))
    assert [(f.rule, f.span) for f in found] == [("unsupported_claim", "7 days")]
    assert "timeframe" in found[0].reason and "proof" in found[0].reason


# -- one fact, written many ways ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("stated", "language", "written"),
    [
        ("4.8 stars from 2,300 reviews", "en", "2300 reviews"),
        ("4.8 stars from 2,300 reviews", "en", "2.3k reviews"),
        ("4.8 stars from 2,300 reviews", "es", "2.300 reseñas"),
        ("4.8 stars from 2.300 reviews", "en", "2,300 reviews"),
        ("4,8 estrellas", "en", "4.8 stars"),
        ("glow in one minute a day", "en", "in 1 minute a day"),
        ("glow in one minute a day", "es", "en un minuto al día"),
        ("books done in ten minutes a week", "es", "en diez minutos"),
        ("20% off", "en", "20 % off"),
        ("20 percent off", "es", "20% de descuento"),
        ("half price on the first box", "en", "50% off"),
        ("one week of meals", "en", "in 7 days"),
        ("used by 40,000 freelancers", "es", "40.000 independientes"),
        ("first 3 months free", "es", "gratis"),
        ("Buy 2, get 1 free", "en", "3x2"),
        ("used by a million people", "es", "un millón de clientes"),
        ("30-day money-back guarantee", "es", "Garantía de devolución"),
        ("$29 a month", "en", "29 dollars"),
    ],
)
def test_the_same_fact_written_another_way_is_supported(
    stated: str, language: str, written: str
) -> None:
    sources = [claims.Source("proof[0]", stated)]
    (trace,) = claims.ground(written, language, sources)
    assert (trace.span, trace.supported, trace.source) == (written, True, "proof[0]")


@pytest.mark.parametrize(
    ("stated", "written"),
    [
        ("4.8 stars from 2,300 reviews", "2,300 customers"),  # reviews are not customers
        ("15% vitamin C", "15% off"),  # a strength is not a discount
        ("paraben-free formula", "free"),  # "-free" is no free offer
        ("ships in 2 days", "in 2 weeks"),
        ("$29 a month", "€29"),
    ],
)
def test_a_different_fact_is_not_supported(stated: str, written: str) -> None:
    (trace,) = claims.ground(written, "en", [claims.Source("proof[0]", stated)])
    assert (trace.span, trace.supported) == (written, False)


# -- a number backs only what its source says it measures ------------------------------------


@pytest.mark.parametrize(
    ("brief", "language", "text", "span"),
    [
        ("driftwell", "en", "Fall asleep in two minutes.", "in two minutes"),
        ("driftwell", "en", "Asleep in 2 minutes.", "in 2 minutes"),
        ("driftwell", "en", "Calm in two minutes.", "in two minutes"),
        ("driftwell", "es", "Duérmete en dos minutos.", "en dos minutos"),
        ("driftwell", "en", "$24 a month.", "$24"),
        ("glowdrop", "en", "20% brighter skin.", "20%"),
        ("glowdrop", "es", "Piel un 20% más luminosa.", "20%"),
        ("glowdrop", "en", "Rated 4.8 by dermatologists.", "Rated 4.8"),
        ("ledgerly", "en", "Taxes done in ten minutes.", "in ten minutes"),
        ("ledgerly", "en", "Get paid in ten minutes.", "in ten minutes"),
        ("ledgerly", "en", "40,000 freelancers saved on taxes.", "40,000 freelancers"),
        ("ledgerly", "en", "Save 10 minutes a week.", "10 minutes a week"),
        ("ledgerly", "en", "Get 3 months of taxes done free.", "3 months"),
        ("ledgerly", "es", "Cobra en diez minutos.", "en diez minutos"),
    ],
)
def test_a_number_out_of_its_context_is_not_supported(
    brief: str, language: str, text: str, span: str
) -> None:
    sources = claims.sources_from(example(brief), None, language)
    traces = {t.span: t for t in claims.ground(text, language, sources)}
    assert traces[span].supported is False
    (finding,) = [f for f in claims.findings(traces.values()) if f.span == span]
    assert "states the number" in finding.reason and "add it" not in finding.reason


@pytest.mark.parametrize(
    ("brief", "language", "text"),
    [
        ("driftwell", "en", "A two-minute bedtime routine."),
        ("driftwell", "en", "Just $24 for your first jar, free shipping."),
        ("glowdrop", "en", "Bright even skin in one minute a day."),
        ("glowdrop", "en", "A routine that fits between school runs 20% off your first order."),
        ("glowdrop", "es", "Piel luminosa en un minuto al día."),
        ("ledgerly", "en", "Books done in ten minutes a week."),
        ("ledgerly", "en", "Know what you owe every quarter First 3 months free."),
        ("ledgerly", "es", "Lo usan 40.000 independientes."),
    ],
)
def test_a_number_in_its_context_is_supported(brief: str, language: str, text: str) -> None:
    sources = claims.sources_from(example(brief), None, language)
    assert [t.span for t in claims.ground(text, language, sources) if not t.supported] == []


@pytest.mark.parametrize(
    ("language", "text", "span"),
    [
        ("en", "Bright skin in sev\u00aden days.", "in sev\u00aden days"),
        ("en", "Bright skin in seven\u200bdays.", "in seven\u200bdays"),
        ("en", "Bright skin in 7\u2060 days.", "in 7\u2060 days"),
        ("es", "Piel luminosa en sie\u00adte días.", "en sie\u00adte días"),
        ("es", "Piel luminosa en \ufeff7 días.", "en \ufeff7 días"),
    ],
)
def test_invisible_characters_hide_no_claim(language: str, text: str, span: str) -> None:
    traces = {
        t.span: t
        for t in claims.ground(
            text, language, claims.sources_from(example("glowdrop"), None, language)
        )
    }
    assert span in text and traces[span].supported is False


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Brighter skin in a week."),
        ("en", "See a glow in a fortnight."),
        ("en", "Bright skin in a day."),
        ("en", "Glow in an hour."),
        ("en", "Bright skin by tomorrow."),
        ("en", "Bright skin by Monday."),
        ("en", "A week from now, your skin glows."),
        ("en", "Give it a week."),
        ("en", "Brighter skin in 1wk."),
        ("en", "Glow in ½ the time."),
        ("en", "Glow in 1/2 the time."),
        ("en", "x2 radiance."),
        ("en", "x3 the glow."),
        ("en", "Better sleep within a week."),
        ("en", "Sleep like a baby tonight."),
        ("en", "A year free."),
        ("es", "Piel luminosa mañana mismo."),
        ("es", "Piel luminosa en un abrir y cerrar de ojos."),
        ("es", "Un año gratis."),
    ],
)
def test_timeframes_in_words_are_claims(language: str, text: str) -> None:
    sources = claims.sources_from(example("glowdrop"), None, language)
    traces = claims.ground(text, language, sources)
    assert [t for t in traces if not t.supported], traces
