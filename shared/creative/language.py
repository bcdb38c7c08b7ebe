"""Which language a piece of ad copy is written in, decided by a detector, not by the model.

A model asked for Spanish sometimes answers in English (or in Portuguese); its own claim about
the language is worthless as a check. lingua's n-gram models are accurate on short texts, which
is what ads are. Callers pass headline and primary text together: more text, surer answer.
"""

from __future__ import annotations

import re
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The languages adloop writes, plus their nearest neighbours: without Portuguese, Italian and
# French in the set, a Portuguese ad would be called Spanish because Spanish is the closest
# candidate left. German and Dutch catch English-looking Germanic text.
_CANDIDATES = (
    Language.ENGLISH,
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.FRENCH,
    Language.ITALIAN,
    Language.GERMAN,
    Language.DUTCH,
)
_SUPPORTED = {Language.ENGLISH: "en", Language.SPANISH: "es"}

# The winner must be this far ahead of the runner-up (confidence values sum to 1 over the
# candidates); closer calls are "unsure". Two-word CTAs such as "Compra ya" sit near 0.1.
MIN_MARGIN = 0.08
# Past a few thousand characters more text does not change the verdict, only its cost (lingua is
# linear in the text: 0.6 s for a 1 MB line given to lint-copy); ads are far shorter than this.
SAMPLE_CHARS = 10_000


# The quick detector (lingua's low-accuracy mode: trigrams only, about four times faster) may only
# confirm the language a caller expects, by at least this margin, and only for text that carries
# none of the other language's function words. It must never accuse, and alone it is fooled by
# loanwords: it reads "mocktails sin alcohol para tu fiesta" as English with a 0.9 margin, where
# the full models rightly say Spanish ("sin", "para", "tu" send that text to them).
QUICK_MARGIN = 0.3
_WORDS = re.compile(r"[^\W\d_]+")


@cache
def _detector(quick: bool = False) -> LanguageDetector:
    """Built once, on first use. The full detector loads all its models at once: lingua then
    reads them on every core (0.9 s on two, where loading them on the first text took 1.6 s,
    which every lint-copy run of mixed text pays)."""
    builder = LanguageDetectorBuilder.from_languages(*_CANDIDATES)
    if quick:
        return builder.with_low_accuracy_mode().build()
    return builder.with_preloaded_language_models().build()


def detect(text: str, expected: str | None = None) -> str | None:
    """``"en"`` or ``"es"``; ``None`` when the text is another language, empty, or too close
    to call (e.g. a bare brand name or a number).

    With ``expected`` (what the copy declares), a text the quick detector confidently reads as
    that language is answered without the full models (lint-copy and validation declare the
    language of every text, and nearly every text is in it). Anything else gets the full
    models' verdict.
    """
    if not any(char.isalpha() for char in text):
        return None
    sample = text[:SAMPLE_CHARS]
    if (
        expected in _SUPPORTED.values()
        and _foreign_words(expected).isdisjoint(_WORDS.findall(sample.lower()))
        and _verdict(_detector(quick=True), sample, QUICK_MARGIN) == expected
    ):
        return expected
    return _verdict(_detector(), sample, MIN_MARGIN)


@cache
def _foreign_words(language: str) -> frozenset[str]:
    """For "en", the Spanish function words English does not share (spaCy's stop lists); for
    "es", the English ones Spanish does not share."""
    from shared.creative.nlp import import_spacy

    import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES

    return frozenset(ES - EN) if language == "en" else frozenset(EN - ES)


def _verdict(detector: LanguageDetector, text: str, margin: float) -> str | None:
    values = detector.compute_language_confidence_values(text)
    if not values:
        return None
    best = values[0]
    runner_up = values[1].value if len(values) > 1 else 0.0
    if best.value - runner_up < margin:
        return None
    return _SUPPORTED.get(best.language)
