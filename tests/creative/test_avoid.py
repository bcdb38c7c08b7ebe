"""The brand's avoid list caught as people write it: inflected, derived, hyphenated, paraphrased
and translated, in English and Spanish; not where the copy denies it or uses a look-alike."""

from __future__ import annotations

import time

import pytest

from shared.creative import avoid, avoid_patterns
from shared.creative.avoid import AvoidHit, describe, find


def _found(text: str, language: str, entries: list[str]) -> list[tuple[str, str, str]]:
    hits = find(text, language, entries)
    for hit in hits:
        assert text[hit.start : hit.start + len(hit.span)] == hit.span
    return [(hit.span, hit.term, hit.how) for hit in hits]


@pytest.mark.parametrize(
    ("entry", "language", "text", "span", "how"),
    [
        # as written, in any case, hyphenation or spacing
        ("anti-aging", "en", "An Anti-Aging serum", "Anti-Aging", "exact"),
        ("anti-aging", "en", "The antiaging serum", "antiaging", "exact"),
        ("anti-aging", "en", "An anti aging serum", "anti aging", "exact"),
        ("antiaging", "en", "An anti-aging serum", "anti-aging", "exact"),
        ("barato", "es", "Un sérum BARÁTO", "BARÁTO", "exact"),
        # inflected
        ("anti-aging", "en", "Our anti-ageing serum", "anti-ageing", "inflection"),
        ("miracle", "en", "Small miracles every morning", "miracles", "inflection"),
        ("cheap", "en", "The cheapest serum in town", "cheapest", "inflection"),
        ("guarantee", "en", "Results guaranteed", "guaranteed", "inflection"),
        ("milagro", "es", "Pequeños milagros cada mañana", "milagros", "inflection"),
        # derived
        ("miracle", "en", "Miraculous glow", "Miraculous", "related word"),
        ("milagro", "es", "Un brillo milagroso", "milagroso", "related word"),
        ("detox", "en", "A detoxifying mask", "detoxifying", "related word"),
        # paraphrased
        ("anti-aging", "en", "Age-defying vitamin C", "Age-defying", "paraphrase"),
        (
            "anti-aging",
            "en",
            "It reverses the signs of ageing",
            "reverses the signs of ageing",
            "paraphrase",
        ),
        (
            "anti-aging",
            "en",
            "Turn back the clock on dull skin",
            "Turn back the clock",
            "paraphrase",
        ),
        ("anti-aging", "en", "Look 10 years younger", "Look 10 years younger", "paraphrase"),
        ("anti-aging", "en", "Defies ageing", "Defies ageing", "paraphrase"),
        (
            "anti-aging",
            "en",
            "Erases fine lines and wrinkles",
            "Erases fine lines and wrinkles",
            "paraphrase",
        ),
        ("anti-aging", "en", "No more wrinkles by Friday", "No more wrinkles", "paraphrase"),
        ("miracle", "en", "It works like magic", "like magic", "paraphrase"),
        ("miracle", "en", "This cream works wonders", "works wonders", "paraphrase"),
        ("miracle", "en", "A wonder serum for tired skin", "wonder serum", "paraphrase"),
        ("flawless", "en", "Perfect skin in a bottle", "Perfect skin", "paraphrase"),
        ("flawless", "en", "A poreless finish", "poreless", "paraphrase"),
        ("flawless", "en", "Impeccable glow", "Impeccable", "paraphrase"),
        ("cheap", "en", "A budget-friendly glow", "budget-friendly", "paraphrase"),
        ("cheap", "en", "Glow at a bargain", "bargain", "paraphrase"),
        ("diet", "en", "Slimming green tea", "Slimming", "paraphrase"),
        ("diet", "en", "Lose weight with every sip", "Lose weight", "paraphrase"),
        ("cure", "en", "Heals dry skin overnight", "Heals", "paraphrase"),
        ("cure", "en", "Treats acne fast", "Treats acne", "paraphrase"),
        ("guarantee", "en", "A risk-free glow", "risk-free", "paraphrase"),
        ("guarantee", "en", "100% effective on every skin", "100% effective", "paraphrase"),
        ("detox", "en", "Flushes out toxins", "Flushes out toxins", "paraphrase"),
        (
            "chemical-free",
            "en",
            "Free from harsh chemicals",
            "Free from harsh chemicals",
            "paraphrase",
        ),
        (
            "clinically proven",
            "en",
            "Scientifically proven glow",
            "Scientifically proven",
            "paraphrase",
        ),
        # paraphrased in Spanish, and translated either way
        ("anti-aging", "es", "Crema antiedad con vitamina C", "antiedad", "paraphrase"),
        (
            "anti-aging",
            "es",
            "Revierte el envejecimiento",
            "Revierte el envejecimiento",
            "paraphrase",
        ),
        ("anti-aging", "es", "Borra las arrugas en 7 días", "Borra las arrugas", "paraphrase"),
        ("anti-aging", "es", "Un aspecto más joven", "aspecto más joven", "paraphrase"),
        ("antiedad", "en", "Age-defying vitamin C", "Age-defying", "paraphrase"),
        ("miracle", "es", "Una crema milagrosa", "crema milagrosa", "paraphrase"),
        ("miracle", "es", "Es pura magia", "Es pura magia", "paraphrase"),
        ("miracle", "es", "Esto es magia.", "es magia", "paraphrase"),
        ("miracle", "en", "This is magic.", "is magic", "paraphrase"),
        ("miracle", "es", "Hace maravillas en tu piel", "Hace maravillas", "paraphrase"),
        ("milagro", "en", "A miracle in a bottle", "miracle", "paraphrase"),
        ("flawless", "es", "Piel perfecta sin esfuerzo", "Piel perfecta", "paraphrase"),
        ("flawless", "es", "Un acabado sin imperfecciones", "sin imperfecciones", "paraphrase"),
        ("cheap", "es", "Un sérum barato", "barato", "paraphrase"),
        ("cheap", "es", "Un chollo de sérum", "chollo", "paraphrase"),
        ("diet", "es", "Té adelgazante", "adelgazante", "paraphrase"),
        ("diet", "es", "Pierde peso con cada taza", "Pierde peso", "paraphrase"),
        ("guarantee", "es", "Resultados garantizados", "garantizados", "paraphrase"),
        ("detox", "es", "Elimina las toxinas", "Elimina las toxinas", "paraphrase"),
        ("chemical-free", "es", "Sin químicos agresivos", "Sin químicos", "paraphrase"),
    ],
)
def test_the_entry_is_found_as_written_inflected_derived_and_paraphrased(
    entry: str, language: str, text: str, span: str, how: str
) -> None:
    assert _found(text, language, [entry]) == [(span, entry, how)]


@pytest.mark.parametrize(
    ("entry", "language", "text"),
    [
        ("miracle", "en", "Not a miracle, just vitamin C."),
        ("miracle", "en", "It isn't magic: it's 15% vitamin C."),
        ("miracle", "es", "No es magia, es vitamina C."),
        ("miracle", "es", "No es un milagro."),
        ("cheap", "en", "Never cheap, always fresh."),
        ("flawless", "en", "It's not flawless, it's real."),
        ("anti-aging", "en", "It won't turn back the clock."),
        ("anti-aging", "es", "Sin promesas antiedad."),
        ("guarantee", "es", "No garantizamos milagros."),
    ],
)
def test_a_denial_is_not_a_hit(entry: str, language: str, text: str) -> None:
    assert _found(text, language, [entry]) == []


def test_no_more_and_not_just_promise_rather_than_deny() -> None:
    assert _found("Not just anti-aging: glow too.", "en", ["anti-aging"]) == [
        ("anti-aging", "anti-aging", "exact")
    ]
    assert _found("No solo barato: bueno.", "es", ["barato"]) == [("barato", "barato", "exact")]


@pytest.mark.parametrize(
    ("entry", "language", "text"),
    [
        ("flawless", "en", "Perfect for busy mornings."),  # "perfect", not a claim about skin
        ("flawless", "es", "Perfecto para mañanas con prisa."),
        ("miracle", "en", "I wonder what took us so long."),
        ("miracle", "en", "The magic of a slow Sunday."),
        ("cheap", "en", "Cheaper shipping than ever."),  # prices the delivery, not the product
        ("cheap", "es", "Envío más barato que nunca."),
        ("barato", "es", "Abaratamos el envío."),  # a different word, not a form of it
        ("único", "es", "Únicamente hoy."),
        ("diet", "en", "A slim bottle for your bag."),
        ("diet", "en", "Designed with a dietitian."),
        ("cure", "en", "Treat yourself this Friday."),
        ("chemical-free", "en", "No chemical peels needed."),
        ("anti-aging", "en", "Look after young skin."),
        ("anti-aging", "en", "Aged in oak for 12 months."),
    ],
)
def test_a_clean_look_alike_is_not_a_hit(entry: str, language: str, text: str) -> None:
    assert _found(text, language, [entry]) == []


def test_an_entry_without_a_concept_is_matched_on_its_own_words() -> None:
    text = "Synergies, a synergistic blend. Synergy!"
    assert _found(text, "en", ["synergy"]) == [
        ("Synergies", "synergy", "inflection"),
        ("synergistic", "synergy", "related word"),
        ("Synergy", "synergy", "exact"),
    ]


def test_entries_with_symbols_match_as_written_not_by_their_digits() -> None:
    text = "The #1 serum: 1 drop, 100% vitamin C, 100 drops. Don't wait."
    assert _found(text, "en", ["#1", "100%", "don't"]) == [
        ("#1", "#1", "exact"),
        ("100%", "100%", "exact"),
        ("Don't", "don't", "exact"),
    ]


def test_overlapping_entries_give_one_hit_the_closest() -> None:
    assert _found("A MIRACLE cream", "en", ["milagro", "miracle"]) == [
        ("MIRACLE", "miracle", "exact")
    ]


def test_spans_keep_decomposed_accents_and_hits_come_in_text_order() -> None:
    text = "Precio bara\u0301to y piel perfecta"
    assert _found(text, "es", ["flawless", "barato"]) == [
        ("bara\u0301to", "barato", "exact"),
        ("piel perfecta", "flawless", "paraphrase"),
    ]


def test_an_unknown_language_tries_both() -> None:
    assert _found("Crema antiedad. Age-defying.", "fr", ["anti-aging"]) == [
        ("antiedad", "anti-aging", "paraphrase"),
        ("Age-defying", "anti-aging", "paraphrase"),
    ]


def test_describe_names_the_entry_and_the_paraphrase() -> None:
    assert describe(AvoidHit(0, "age-defying", "anti-aging", "paraphrase")) == (
        "'age-defying' paraphrases avoid-list 'anti-aging'"
    )
    assert describe(AvoidHit(0, "miracles", "miracle", "inflection")) == (
        "'miracles' is a form of avoid-list 'miracle'"
    )
    assert describe(AvoidHit(0, "Cheap", "cheap", "exact")) == (
        "'Cheap' is on the brand's avoid list"
    )


def test_a_line_without_the_words_a_pattern_needs_is_not_tokenised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_tokenising(text: str, language: str) -> None:
        raise AssertionError(f"tokenised {text!r}")

    monkeypatch.setattr(avoid, "_tokens", no_tokenising)
    entries = ["cheap", "miracle", "anti-aging", "flawless"]
    assert find("Vitamin C for busy mornings. Shop now, save 20%.", "en", entries) == []
    assert find("Tu piel, más luminosa en 7 días.", "es", entries) == []
    assert find("anything", "en", []) == []


def test_an_avoid_list_is_compiled_once_and_a_lint_run_is_fast() -> None:
    entries = ["cheap", "miracle", "anti-aging", "flawless", "diet", "detox", "guarantee"]
    lines = [
        "Glow up! Your skin, brighter in 7 days.",
        "¡Brilla! Tu piel, más luminosa en 7 días.",
        "Not a miracle, just science: 15% vitamin C.",
        "Age-defying glow. Free shipping today.",
    ] * 500
    find("warm up the pipelines", "en", entries), find("y el español", "es", entries)
    before = avoid_patterns.compile_list.cache_info()
    started = time.perf_counter()
    hits = sum(len(find(line, "es" if "í" in line else "en", entries)) for line in lines)
    elapsed = time.perf_counter() - started
    after = avoid_patterns.compile_list.cache_info()
    assert hits == 500 and after.misses == before.misses
    # About 0.4 s on the two shared cores; lint-copy's budget is 10,000 lines in 10 s.
    assert elapsed < 3.0, f"2,000 lines took {elapsed:.2f} s"


# The avoid lists of examples/glowdrop-serum.yaml, driftwell-magnesium.yaml and
# ledgerly-bookkeeping.json.
_GLOWDROP = ["miracle", "anti-aging", "flawless"]
_DRIFTWELL = ["cure", "insomnia", "knock you out", "guaranteed", "drug-free miracle"]
_LEDGERLY = ["cheap", "audit-proof", "guaranteed savings"]


@pytest.mark.parametrize(
    ("entries", "language", "text", "span", "term"),
    [
        # paraphrases an attacker wrote against round 1 (EN and ES)
        (_GLOWDROP, "en", "Fights aging.", "Fights aging", "anti-aging"),
        (_GLOWDROP, "en", "Youth in a bottle.", "Youth in a bottle", "anti-aging"),
        (_GLOWDROP, "en", "A small wonder for your skin.", "small wonder", "miracle"),
        (_LEDGERLY, "en", "Inexpensive glow.", "Inexpensive", "cheap"),
        (_LEDGERLY, "en", "Costs next to nothing.", "Costs next to nothing", "cheap"),
        (_GLOWDROP, "en", "Perfect, blemish-free skin.", "blemish-free", "flawless"),
        (
            _GLOWDROP,
            "en",
            "Not a single imperfection left.",
            "Not a single imperfection",
            "flawless",
        ),
        (
            _LEDGERLY,
            "en",
            "Savings are guaranteed.",
            "Savings are guaranteed",
            "guaranteed savings",
        ),
        (_LEDGERLY, "en", "You're guaranteed to save.", "guaranteed to save", "guaranteed savings"),
        (_LEDGERLY, "es", "Ahorro garantizado.", "Ahorro garantizado", "guaranteed savings"),
        (_GLOWDROP, "es", "Sérum anti-envejecimiento.", "anti-envejecimiento", "anti-aging"),
        (_DRIFTWELL, "en", "Say goodbye to sleepless nights.", "sleepless", "insomnia"),
        (_DRIFTWELL, "en", "Can't sleep? Not anymore.", "Can't sleep", "insomnia"),
        (_DRIFTWELL, "en", "Fixes restless nights for good.", "restless nights", "insomnia"),
        (_DRIFTWELL, "en", "Out like a light.", "Out like a light", "knock you out"),
        (_DRIFTWELL, "en", "Sedates you in minutes.", "Sedates", "knock you out"),
        (_DRIFTWELL, "es", "Te deja K.O.", "deja K.O", "knock you out"),
        # our own paraphrases, each concept in both languages
        (_GLOWDROP, "en", "Slows aging from day one.", "Slows aging", "anti-aging"),
        (
            _GLOWDROP,
            "en",
            "Reduces the signs of ageing.",
            "Reduces the signs of ageing",
            "anti-aging",
        ),
        (_GLOWDROP, "es", "Combate el envejecimiento.", "Combate el envejecimiento", "anti-aging"),
        (_GLOWDROP, "es", "La juventud en un frasco.", "juventud en un frasco", "anti-aging"),
        (
            _GLOWDROP,
            "es",
            "Reduce los signos de la edad.",
            "Reduce los signos de la edad",
            "anti-aging",
        ),
        (_GLOWDROP, "en", "Magic in a bottle.", "Magic in a bottle", "miracle"),
        (_GLOWDROP, "es", "Una pequeña maravilla para tu piel.", "pequeña maravilla", "miracle"),
        (_GLOWDROP, "es", "Magia en un frasco.", "Magia en un frasco", "miracle"),
        (_GLOWDROP, "en", "Zero visible imperfections.", "Zero visible imperfections", "flawless"),
        (_GLOWDROP, "en", "Glass skin by morning.", "Glass skin", "flawless"),
        (_GLOWDROP, "es", "Ni una sola imperfección.", "Ni una sola imperfección", "flawless"),
        (_GLOWDROP, "es", "Piel de porcelana.", "Piel de porcelana", "flawless"),
        (_LEDGERLY, "en", "Bookkeeping for pennies.", "for pennies", "cheap"),
        (_LEDGERLY, "es", "Cuesta casi nada.", "Cuesta casi nada", "cheap"),
        (_LEDGERLY, "es", "Precios regalados.", "Precios regalados", "cheap"),
        (
            _LEDGERLY,
            "en",
            "We guarantee you'll save.",
            "guarantee you'll save",
            "guaranteed savings",
        ),
        (
            _LEDGERLY,
            "es",
            "Te garantizamos el ahorro.",
            "garantizamos el ahorro",
            "guaranteed savings",
        ),
        (_DRIFTWELL, "en", "Trouble sleeping?", "Trouble sleeping", "insomnia"),
        (_DRIFTWELL, "en", "No more tossing and turning.", "tossing and turning", "insomnia"),
        (_DRIFTWELL, "es", "¿No puedes dormir?", "No puedes dormir", "insomnia"),
        (_DRIFTWELL, "es", "Adiós a las noches en vela.", "noches en vela", "insomnia"),
        (_DRIFTWELL, "en", "Knocks you right out.", "Knocks you right out", "knock you out"),
        (_DRIFTWELL, "en", "Out cold by ten.", "Out cold", "knock you out"),
        (_DRIFTWELL, "es", "Te noquea en minutos.", "noquea", "knock you out"),
        (_DRIFTWELL, "es", "Un efecto sedante.", "sedante", "knock you out"),
        (_DRIFTWELL, "es", "Caerás rendida en minutos.", "Caerás rendida", "knock you out"),
    ],
)
def test_a_paraphrase_of_a_brand_s_avoid_list_is_caught(
    entries: list[str], language: str, text: str, span: str, term: str
) -> None:
    assert [(hit.span, hit.term) for hit in find(text, language, entries)] == [(span, term)]


@pytest.mark.parametrize(
    ("entries", "language", "text"),
    [
        (["diet"], "en", "Fits any diet."),  # a diet the product fits: no diet claim
        (["diet"], "en", "Part of a balanced diet."),
        (["diet"], "es", "Compatible con cualquier dieta."),
        (["diet"], "es", "Apta para una dieta vegana."),
        (_GLOWDROP, "en", "Shop at our Miracle Mile store."),  # a place's name
        (["milagro"], "es", "Visita la tienda de Calle Milagros."),
        (_LEDGERLY, "en", "Cheaper than your coffee habit."),  # a price comparison
        (_LEDGERLY, "es", "Más barato que tu café."),
        (_LEDGERLY, "en", "30-day money-back guarantee. Save 20% today."),
        (_DRIFTWELL, "es", "Funda de seda para dormir."),  # silk, not "sedar"
        (_DRIFTWELL, "en", "Helps you wind down."),
        (_DRIFTWELL, "en", "Sleep is not a luxury."),
        (_DRIFTWELL, "es", "Duerme bien esta noche."),
        (_GLOWDROP, "en", "Fight the afternoon slump."),
        (_GLOWDROP, "en", "No wonder you love it."),
        (_LEDGERLY, "en", "Nothing to pay today."),
    ],
)
def test_an_innocent_use_of_an_avoid_list_word_is_not_a_hit(
    entries: list[str], language: str, text: str
) -> None:
    assert find(text, language, entries) == []


def test_a_product_named_with_the_word_and_the_superlative_still_count() -> None:
    assert _found("Try our Miracle Serum today.", "en", ["miracle"]) == [
        ("Miracle", "miracle", "exact")
    ]
    assert _found("The cheapest serum in town.", "en", ["cheap"]) == [
        ("cheapest", "cheap", "inflection")
    ]
