"""Offline heuristic judges: each scores one quality of ad copy 0-100 with a one-line reason.

They stand in for seed 004's "council" of model judges when no model is configured, and give
the same shape of answer (:class:`~shared.models.creative.JudgeScore`). Every judge is a pure
function of the copy, so a score can be explained and reproduced.

Seed 004 weights its council 40 / 30 / 20 / 10: reasoning and logic, psychology and persuasion,
structure and clarity (logical flow, CTA effectiveness), visual-engagement heuristics (hook type
analysis). :data:`DEFAULT_WEIGHTS` maps those buckets onto these judges:

* reasoning and logic 40 -> specificity 20 (is the claim concrete?) + compliance 20 (is it
  sound and publishable?)
* psychology and persuasion 30 -> pattern_interrupt 20 + hook 10
* structure and clarity 20 -> cta_strength 10 + readability 10
* hook type analysis 10 -> hook 10 (so hook carries 20 in all)

Approval, as in seed 004, is a weighted score at or above 85, and here also no blocking policy
finding: a brilliant ad that implies the reader is overweight is not approved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from shared.creative import policy
from shared.models.creative import JudgeScore

APPROVAL_THRESHOLD = 85.0
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "hook": 0.20,
    "pattern_interrupt": 0.20,
    "specificity": 0.20,
    "compliance": 0.20,
    "cta_strength": 0.10,
    "readability": 0.10,
}

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")  # keeps its end mark: "Dull skin?" is a question
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_UNIT = re.compile(
    r"\d\s*(?:%|x\b|mg|ml|kg|g\b|min|minutes?|minutos?|hours?|horas?|days?|d[ií]as?|weeks?|"
    r"semanas?|months?|meses|steps?|pasos?)|[$€£]\s?\d",
    re.I,
)
_PROPER_NOUN = re.compile(r"(?<=[\w,;:] )[A-Z][a-zA-Z]+")
_VAGUE = re.compile(
    r"\b(?:amazing|incredible|awesome|great|quality|solutions?|innovative|revolutionary|"
    r"unique|stuff|things?|best-in-class|world-class|next-level|game-changing|incre[ií]ble|"
    r"asombros[oa]|calidad|soluci[oó]n(?:es)?|innovador[a]?|revolucionari[oa]|[uú]nic[oa]|"
    r"cosas?)\b",
    re.I,
)
_CONTRAST = re.compile(
    r"\b(?:but|yet|instead|without|not|no|never|stop|forget|pero|sin|en vez de|sino|nunca|deja|"
    r"olvida)\b",
    re.I,
)
_SURPRISE = re.compile(
    r"\b(?:secret|mistake|nobody|weird|truth|myth|actually|finally|wrong|hidden|secreto|error|"
    r"nadie|raro|verdad|mito|realmente|por fin|oculto)\b",
    re.I,
)
_IMPERATIVE = re.compile(
    r"^\s*[¡¿]?(?:shop|buy|get|try|start|join|book|claim|download|sign up|order|discover|learn|"
    r"save|grab|see|find|watch|subscribe|compra|consigue|prueba|empieza|[uú]nete|reserva|"
    r"descarga|descubre|ahorra|pide|obt[eé]n|reg[ií]strate|aprovecha|mira|encuentra|"
    r"suscr[ií]bete|aprende)\b",
    re.I,
)
_URGENCY = re.compile(
    r"\b(?:now|today|tonight|limited|ends|last chance|while stocks last|hoy|ya|ahora|"
    r"[uú]ltima|termina|solo hoy|por tiempo limitado)\b",
    re.I,
)
_VALUE = re.compile(r"\b(?:free|off|save|bonus|gratis|descuento|dto|ahorra|regalo)\b|%", re.I)


@dataclass(frozen=True)
class CopyUnderJudgement:
    """The copy a judge sees. ``hook`` defaults to the first sentence of the primary text."""

    headline: str
    primary_text: str
    cta: str
    hook: str | None = None
    language: str = "en"

    @property
    def opening(self) -> str:
        if self.hook:
            return self.hook
        sentences = _sentences(self.primary_text)
        return sentences[0] if sentences else self.headline

    @property
    def body(self) -> str:
        # One line each, so a headline's last word never reads as the start of a sentence.
        return "\n".join(t for t in (self.headline, self.primary_text, self.cta) if t)


@dataclass(frozen=True)
class EnsembleResult:
    """Weighted 0-100 score, every judge's verdict, and whether the copy is approved."""

    score: float
    judges: list[JudgeScore]
    approved: bool


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if _WORD.search(s)]


def _clamp(value: float) -> float:
    return round(max(0.0, min(100.0, value)), 1)


def hook(copy: CopyUnderJudgement) -> JudgeScore:
    """Short hooks stop the scroll: 8 words or fewer score high, each extra word costs 8."""
    count = len(_words(copy.opening))
    if count == 0:
        return JudgeScore(judge="hook", score=0, reason="no hook")
    score = 100.0 if count <= 5 else 92.0 if count <= 8 else 92.0 - 8 * (count - 8)
    return JudgeScore(judge="hook", score=_clamp(score), reason=f"hook is {count} words")


def pattern_interrupt(copy: CopyUnderJudgement) -> JudgeScore:
    """A question, a number, a contrast or a surprising word in the opening lines."""
    text = f"{copy.opening} {copy.headline}"
    found = [
        name
        for name, present in (
            ("question", "?" in text),
            ("number", _DIGIT.search(text) is not None),
            ("contrast", _CONTRAST.search(text) is not None),
            ("surprising word", _SURPRISE.search(text) is not None),
        )
        if present
    ]
    score = (35, 65, 85, 100, 100)[len(found)]
    reason = f"interrupts with {', '.join(found)}" if found else "no question, number or contrast"
    return JudgeScore(judge="pattern_interrupt", score=score, reason=reason)


def specificity(copy: CopyUnderJudgement) -> JudgeScore:
    """Numbers, units and names beat vague praise ("amazing", "quality", "solution")."""
    text = copy.body
    numbers = len(_NUMBER.findall(text))
    units = len(_UNIT.findall(text))
    names = len(_PROPER_NOUN.findall(text))
    vague = [m.group() for m in _VAGUE.finditer(text)]
    score = 40 + 15 * min(numbers, 2) + 10 * min(units, 2) + 5 * min(names, 2) - 12 * len(vague)
    parts = [f"{numbers} numbers", f"{units} units/amounts", f"{names} names"]
    if vague:
        parts.append(f"vague: {', '.join(vague)}")
    return JudgeScore(judge="specificity", score=_clamp(score), reason="; ".join(parts))


def cta_strength(copy: CopyUnderJudgement) -> JudgeScore:
    """An imperative verb first, a reason to act now, a value, and brevity."""
    cta = copy.cta.strip()
    if not cta:
        return JudgeScore(judge="cta_strength", score=0, reason="no call to action")
    nearby = f"{cta} {copy.primary_text}"
    checks = (
        ("imperative verb", 50, _IMPERATIVE.search(cta) is not None),
        ("urgency", 20, _URGENCY.search(nearby) is not None),
        ("value", 20, _VALUE.search(nearby) is not None),
        ("short", 10, len(_words(cta)) <= 5),
    )
    score = sum(points for _, points, ok in checks if ok)
    has = [name for name, _, ok in checks if ok]
    lacks = [name for name, _, ok in checks if not ok]
    reason = f"has {', '.join(has) or 'nothing'}" + (f"; lacks {', '.join(lacks)}" if lacks else "")
    return JudgeScore(judge="cta_strength", score=score, reason=reason)


def readability(copy: CopyUnderJudgement) -> JudgeScore:
    """Flesch reading ease (EN) or Fernández-Huerta (ES); 80+ scores 100, 20 or less 0.

    Fernández-Huerta as corrected by Law (2011): 206.84 - 0.60 x syllables per 100 words -
    1.02 x words per sentence (the oft-quoted "sentences per 100 words" rewards long sentences).
    """
    text = f"{copy.headline}. {copy.primary_text}"
    words = _words(text)
    sentences = max(1, len(_sentences(text)))
    if not words:
        return JudgeScore(judge="readability", score=0, reason="no text")
    spanish = copy.language == "es"
    syllables = sum(_syllables_es(w) if spanish else _syllables_en(w) for w in words)
    per_word, per_sentence = syllables / len(words), len(words) / sentences
    if spanish:
        ease, name = 206.84 - 60 * per_word - 1.02 * per_sentence, "Fernández-Huerta"
    else:
        ease, name = 206.835 - 84.6 * per_word - 1.015 * per_sentence, "Flesch"
    reason = f"{name} {ease:.0f} ({per_sentence:.1f} words/sentence, {per_word:.2f} syll/word)"
    return JudgeScore(judge="readability", score=_clamp((ease - 20) * 100 / 60), reason=reason)


def _syllables_en(word: str) -> int:
    word = word.lower()
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # silent final e: "make", "serum" is unaffected
    return max(1, groups)


def _syllables_es(word: str) -> int:
    count = 0
    for group in re.findall(r"[aeiouáéíóúü]+", word.lower()):
        # Two strong vowels (a, e, o) or an accented i/u next to a vowel are a hiatus: two
        # syllables. Everything else in a vowel group is a diphthong: one.
        count += 1 + sum(1 for a, b in zip(group, group[1:], strict=False) if _hiatus(a, b))
    return max(1, count)


def _hiatus(a: str, b: str) -> bool:
    strong = "aeoáéó"
    return (a in strong and b in strong) or a in "íú" or b in "íú"


def compliance(copy: CopyUnderJudgement) -> JudgeScore:
    """100 minus 45 per blocking policy finding and 15 per style finding."""
    findings = policy.check(copy.body, copy.language)
    blocking = [f for f in findings if f.rule in policy.BLOCKING]
    style = [f for f in findings if f.rule not in policy.BLOCKING]
    score = 100 - 45 * len(blocking) - 15 * len(style)
    if not findings:
        return JudgeScore(judge="compliance", score=100, reason="no policy findings")
    listed = "; ".join(f"{f.rule}: '{f.span}'" for f in findings[:3])
    more = f" (+{len(findings) - 3} more)" if len(findings) > 3 else ""
    return JudgeScore(judge="compliance", score=_clamp(score), reason=listed + more)


JUDGES: Mapping[str, Callable[[CopyUnderJudgement], JudgeScore]] = {
    "hook": hook,
    "pattern_interrupt": pattern_interrupt,
    "specificity": specificity,
    "cta_strength": cta_strength,
    "readability": readability,
    "compliance": compliance,
}


def ensemble(
    copy: CopyUnderJudgement,
    weights: Mapping[str, float] | None = None,
    threshold: float = APPROVAL_THRESHOLD,
) -> EnsembleResult:
    """Run the judges named in ``weights`` and combine them (weights are normalised).

    Approved when the weighted score reaches ``threshold`` and the copy has no blocking policy
    finding, whatever the weights. Raises ``ValueError`` for an unknown judge name or weights
    that do not sum to more than zero.
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    unknown = sorted(set(weights) - set(JUDGES))
    if unknown:
        raise ValueError(f"unknown judges {unknown}; known: {sorted(JUDGES)}")
    total = sum(weights.values())
    if total <= 0 or any(w < 0 for w in weights.values()):
        raise ValueError("judge weights must be non-negative and sum to more than zero")
    scores = [JUDGES[name](copy) for name in weights]
    combined = sum(s.score * weights[s.judge] for s in scores) / total
    blocked = any(f.rule in policy.BLOCKING for f in policy.check(copy.body, copy.language))
    score = round(combined, 1)
    return EnsembleResult(score=score, judges=scores, approved=score >= threshold and not blocked)
