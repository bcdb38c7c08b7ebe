"""Which language a piece of ad copy is written in, decided by a detector, not by the model.

A model asked for Spanish sometimes answers in English (or in Portuguese); its own claim about
the language is worthless as a check. lingua's n-gram models are accurate on short texts, which
is what ads are. Callers pass headline and primary text together: more text, surer answer.
"""

from __future__ import annotations

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


@cache
def _detector() -> LanguageDetector:
    """Built once, on first use: loading the models takes about a second."""
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).build()


def detect(text: str) -> str | None:
    """``"en"`` or ``"es"``; ``None`` when the text is another language, empty, or too close
    to call (e.g. a bare brand name or a number)."""
    if not any(char.isalpha() for char in text):
        return None
    values = _detector().compute_language_confidence_values(text[:SAMPLE_CHARS])
    if not values:
        return None
    best = values[0]
    runner_up = values[1].value if len(values) > 1 else 0.0
    if best.value - runner_up < MIN_MARGIN:
        return None
    return _SUPPORTED.get(best.language)
