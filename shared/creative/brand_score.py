"""Brand consistency: does this copy sound like the brand, say what it stands for, and avoid
what it never says?

A deterministic heuristic, explainable line by line:

* voice (half the score): each voice adjective the brand lists maps to lexical markers
  ("playful" -> exclamation, talking to "you", short sentences); the share of markers present,
  averaged over the adjectives we know. Unknown adjectives are named in the reasons, not scored.
* pillars (the other half): a pillar is covered when at least half of its content words appear
  in the copy after light stemming (EN/ES, accents folded). Ads carry one or two messages, so
  covering two pillars (or all, if the brand has fewer) is full marks.
* avoid list: each hit costs :data:`AVOID_PENALTY`, enough that a single hit fails the bar. An
  entry counts as written, inflected, derived or paraphrased (:func:`shared.creative.avoid.find`:
  "age-defying" for "anti-aging", "milagroso" for "miracle"), not where the copy denies it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.creative import avoid
from shared.models.brand import BrandProfile

BAR = 0.75
AVOID_PENALTY = 0.3
PILLARS_FOR_FULL_MARKS = 2

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE = re.compile(r"[^.!?¡¿\n]+")
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yours|you're|you'll|tú|tu|tus|te|ti|contigo|usted|ustedes|vos)\b", re.I
)
_CONTRACTION = re.compile(r"\b\w+['’](?:re|ll|s|t|ve|d|m)\b", re.I)
_NUMBER = re.compile(r"\d")
_SPECIFIC_UNIT = re.compile(
    r"\d\s*(?:%|mg|ml|g|kg|min|minutes?|minutos?|hours?|horas?|days?|d[ií]as?|weeks?|semanas?)\b"
    r"|\d\s*%",
    re.I,
)
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_DISCOUNT = re.compile(
    r"\b(?:cheap|cheapest|deal|deals|bargain|barat[oa]s?|chollo|ganga|rebajas?)\b", re.I
)
_IMPERATIVE_START = re.compile(
    r"^\s*[¡¿]?(?:shop|buy|get|try|start|join|book|order|grab|save|discover|claim|compra|"
    r"consigue|prueba|empieza|[uú]nete|reserva|pide|ahorra|descubre|aprovecha)\b",
    re.I,
)
_URGENCY = re.compile(r"\b(?:now|today|tonight|hoy|ya|ahora|limited|[uú]ltim[oa]s?)\b", re.I)

# fmt: off
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "its", "of", "on", "or", "our", "the", "to", "we", "with", "you", "your",
    "al", "con", "de", "del", "el", "en", "es", "la", "las", "lo", "los", "mas", "nuestro",
    "nuestra", "para", "por", "que", "se", "su", "sus", "tu", "un", "una", "y",
})
# fmt: on


@dataclass(frozen=True)
class BrandScore:
    """0-1 score, the reasons behind it, and the avoid-list phrases found (as written)."""

    score: float
    reasons: list[str] = field(default_factory=list)
    avoid_hits: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.score >= BAR


@dataclass(frozen=True)
class _Marker:
    name: str
    present: Callable[[str], bool]


def _short_sentences(text: str) -> bool:
    lengths = [len(_WORD.findall(s)) for s in _SENTENCE.findall(text) if _WORD.search(s)]
    return bool(lengths) and sum(lengths) / len(lengths) <= 12


_EXCLAIM = _Marker("exclamation", lambda t: "!" in t)
_YOU = _Marker("talks to 'you'", lambda t: _SECOND_PERSON.search(t) is not None)
_SHORT = _Marker("short sentences", _short_sentences)
_NUMBERS = _Marker("numbers", lambda t: _NUMBER.search(t) is not None)
_SPECIFICS = _Marker("units or time frames", lambda t: _SPECIFIC_UNIT.search(t) is not None)
_CALM = _Marker("no exclamation", lambda t: "!" not in t)
_NO_EMOJI = _Marker("no emoji", lambda t: _EMOJI.search(t) is None)
_NO_DISCOUNT = _Marker("no bargain words", lambda t: _DISCOUNT.search(t) is None)
_QUESTION = _Marker("question", lambda t: "?" in t)
_CONTRACT = _Marker(
    "contractions or tuteo", lambda t: bool(_CONTRACTION.search(t)) or _YOU.present(t)
)
_IMPERATIVE = _Marker("starts with a verb", lambda t: _IMPERATIVE_START.search(t) is not None)
_NOW = _Marker("urgency word", lambda t: _URGENCY.search(t) is not None)

_PLAYFUL = (_EXCLAIM, _YOU, _SHORT)
_FRIENDLY = (_YOU, _CONTRACT, _SHORT)
_CLINICAL = (_NUMBERS, _SPECIFICS, _CALM, _NO_EMOJI)
_PREMIUM = (_CALM, _NO_EMOJI, _NO_DISCOUNT)
_CALM_VOICE = (_CALM, _SHORT, _NO_EMOJI)
_DIRECT = (_IMPERATIVE, _SHORT, _NOW)
_CURIOUS = (_QUESTION, _YOU)

# Voice adjectives (English or Spanish, lower case) and the markers that show them.
_VOICES: tuple[tuple[str, tuple[_Marker, ...]], ...] = (
    ("playful fun energetic bold witty divertido divertida", _PLAYFUL),
    (
        "friendly warm conversational approachable casual cercano cercana cálido cálida amigable",
        _FRIENDLY,
    ),
    (
        "clinical scientific expert precise authoritative credible honest transparent clínico "
        "clínica científico científica experto experta preciso precisa honesto honesta",
        _CLINICAL,
    ),
    (
        "premium luxury elegant sophisticated refined lujoso lujosa elegante sofisticado "
        "sofisticada",
        _PREMIUM,
    ),
    ("calm soothing gentle minimal tranquilo tranquila sereno serena", _CALM_VOICE),
    ("direct urgent confident directo directa urgente seguro segura", _DIRECT),
    ("curious empathetic caring curioso curiosa empático empática", _CURIOUS),
)
VOICE_MARKERS: dict[str, tuple[_Marker, ...]] = {
    adjective: markers for words, markers in _VOICES for adjective in words.split()
}


def score(text: str, brand: BrandProfile, language: str = "") -> BrandScore:
    """How consistent ``text`` is with ``brand`` (0-1; :data:`BAR` is the pass mark).

    ``language`` ("en", "es") sharpens the avoid-list match; left empty, both are tried."""
    reasons: list[str] = []
    parts: list[float] = []
    voice = _voice(text, brand.voice, reasons)
    if voice is not None:
        parts.append(voice)
    pillars = _pillars(text, brand.pillars, reasons)
    if pillars is not None:
        parts.append(pillars)
    base = sum(parts) / len(parts) if parts else 1.0
    if not parts:
        reasons.append("brand lists no known voice or pillars: nothing to measure against")
    hits = avoid.find(text, language, brand.avoid)
    reasons += [f"{avoid.describe(hit)} (-{AVOID_PENALTY:.2f})" for hit in hits]
    total = max(0.0, min(1.0, base - AVOID_PENALTY * len(hits)))
    return BrandScore(score=round(total, 3), reasons=reasons, avoid_hits=[hit.span for hit in hits])


def _voice(text: str, adjectives: list[str], reasons: list[str]) -> float | None:
    shares: list[float] = []
    for adjective in adjectives:
        markers = VOICE_MARKERS.get(adjective.strip().lower())
        if markers is None:
            reasons.append(f"voice '{adjective}': no lexical markers known, not scored")
            continue
        present = [m.name for m in markers if m.present(text)]
        missing = [m.name for m in markers if m.name not in present]
        shares.append(len(present) / len(markers))
        note = f"; missing {', '.join(missing)}" if missing else ""
        reasons.append(f"voice '{adjective}': {len(present)}/{len(markers)} markers{note}")
    return sum(shares) / len(shares) if shares else None


def _pillars(text: str, pillars: list[str], reasons: list[str]) -> float | None:
    if not pillars:
        return None
    copy_stems = {stem(w) for w in content_words(text)}
    covered = [p for p in pillars if _covers(copy_stems, p)]
    missed = [p for p in pillars if p not in covered]
    needed = min(PILLARS_FOR_FULL_MARKS, len(pillars))
    share = min(1.0, len(covered) / needed)
    reasons.append(
        f"pillars: {len(covered)}/{len(pillars)} covered"
        + (f" ({'; '.join(covered)})" if covered else "")
        + (f"; not mentioned: {'; '.join(missed)}" if missed else "")
    )
    return share


def _covers(copy_stems: set[str], pillar: str) -> bool:
    pillar_stems = {stem(w) for w in content_words(pillar)}
    if not pillar_stems:
        return False
    return len(pillar_stems & copy_stems) * 2 >= len(pillar_stems)


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without English and Spanish function words."""
    words = [w.lower() for w in _WORD.findall(text)]
    return [w for w in words if w not in _STOPWORDS]


_SUFFIXES = (
    "amente",
    "mente",
    "ciones",
    "ción",
    "cion",
    "ings",
    "ing",
    "edly",
    "ed",
    "ies",
    "es",
    "ly",
    "os",
    "as",
    "s",
    "o",
    "a",
    "e",
)
_FOLD = str.maketrans("áéíóúüñ", "aeiouun")


def stem(word: str) -> str:
    """A light EN/ES stem: accents folded, one common suffix removed, at least 3 letters kept."""
    folded = word.lower().translate(_FOLD)
    for suffix in _SUFFIXES:
        suffix = suffix.translate(_FOLD)
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)]
    return folded
