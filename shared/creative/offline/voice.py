"""Whose words the offline engine may quote, and which Spanish grammatical gender its reader gets.

A testimonial is only honest when a real person said it: the FTC's rule on consumer reviews and
testimonials (16 CFR Part 465, https://www.ecfr.gov/current/title-16/chapter-I/subchapter-D/part-465)
bars reviews by people who do not exist or did not have the experience. So the engine never
writes "I finally…" of its own: the testimonial framework quotes the brief's voice of customer
(a line of its transcript, or a proof line that is itself a quoted review), as written, and
falls back to a hook that is no testimonial when the brief has neither.

Spanish marks gender on adjectives ("¿Cansada de…?"): the feminine forms are for a persona
that is clearly feminine (mamás, mujeres…); anyone else (padres primerizos, diseñadores) reads
copy that names no gender.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from shared.creative import language as detector
from shared.creative.offline.words import short

# A hook is eight words at most; a quote longer than that is cut at a word boundary, with an
# ellipsis, so the reader sees it is shortened and every word shown is the speaker's.
QUOTE_WORDS = 8
# A transcript line this short ("Yes.", "Right, okay.") says nothing worth quoting.
MIN_QUOTE_WORDS = 4

# "Rep: …" / "Customer: …": a speaker label, and the labels of whoever sells, not buys.
_LABEL = re.compile(r"^\s*([A-Za-zÀ-ÿ][\w .'-]{0,24}):\s+")
_SELLER = re.compile(
    r"\b(rep|agent|sales|seller|host|interviewer|support|advisor|consultant|asesora?|"
    r"vendedora?|agente|entrevistadora?)\b",
    re.IGNORECASE,
)
# A proof line that is a review: its words in quotation marks, an attribution may follow.
_QUOTED = re.compile(r"[\"“«]([^\"”»]{3,})[\"”»]")
_CLAUSE = re.compile(r"[,;:—–]\s")
# Words a cut quote must not end on ("…until two in…"): it would read as if the speaker stopped.
_DANGLING_WORDS = (
    "a an the and or but of to in on at for with from by as that which who so until than "
    "un una el la los las y o pero de del en con por para que hasta como sin"
)
_DANGLING = frozenset(_DANGLING_WORDS.split())

_FEMININE = re.compile(
    r"\b(mamás?|madres?|mujer(?:es)?|chicas|señoras|abuelas|embarazadas|novias|"
    r"moms?|mums?|mothers?|women|woman|ladies|girls|brides|wives)\b",
    re.IGNORECASE,
)
# Words that make a persona mixed or masculine: "padres" is fathers or parents, never mothers only.
_NOT_ONLY_FEMININE = re.compile(
    r"\b(padres|papás?|hombres?|chicos|señores|abuelos|familias|personas|"
    r"dads?|fathers?|parents|men|man|guys|boys|families|people|couples|parejas)\b",
    re.IGNORECASE,
)


def quotes(brief: dict[str, Any], language: str) -> list[str]:
    """The brief's voice-of-customer lines in ``language``, each at most QUOTE_WORDS words and
    worded as the brief gives them: quoted proof lines first (reviews), then transcript lines."""
    local = (brief.get("localized") or {}).get(language) or {}
    proofs = local.get("proof") or ([] if language == "es" else brief.get("proof")) or []
    return list(
        _quotes(
            str(brief.get("transcript") or ""),
            tuple(str(p) for p in proofs),
            language,
            tuple(str(a).lower() for a in brief.get("avoid") or []),
        )
    )


@cache
def _quotes(
    transcript: str, proofs: tuple[str, ...], language: str, avoid: tuple[str, ...]
) -> tuple[str, ...]:
    found = [m.group(1).strip() for p in proofs if (m := _QUOTED.search(p))]
    for line in transcript.splitlines():
        label = _LABEL.match(line)
        if label and _SELLER.search(label.group(1)):
            continue
        said = line[label.end() :] if label else line
        said = said.strip().strip('"“”«»').strip()
        # A question is the caller asking, not telling; the transcript may mix languages.
        if len(said.split()) < MIN_QUOTE_WORDS or said.endswith("?"):
            continue
        if detector.detect(said, expected=language) != language:
            continue
        found.append(said)
    kept: list[str] = []
    for line in found:
        if any(re.search(rf"\b{re.escape(a)}\b", line.lower()) for a in avoid):
            continue  # the brand never says it, even in a customer's mouth
        cut = shorten(line)
        if cut and cut.lower() not in {k.lower() for k in kept}:
            kept.append(cut)
    return tuple(kept)


def shorten(line: str, max_words: int = QUOTE_WORDS) -> str:
    """``line`` as written if it fits, else its first clause or first words, then "…"."""
    if len(line.split()) <= max_words:
        return line
    clause = _CLAUSE.split(line, maxsplit=1)[0].strip()
    if MIN_QUOTE_WORDS <= len(clause.split()) <= max_words:
        return clause + "…"
    kept = short(line, max_words).rstrip(",;:—–").split()
    while kept and kept[-1].lower().strip(",;:") in _DANGLING:
        kept.pop()
    return " ".join(kept).rstrip(",;:—–") + "…" if kept else ""


def feminine(brief: dict[str, Any]) -> bool:
    """Whether the brief's persona is clearly women only (Spanish copy then agrees with it)."""
    local = (brief.get("localized") or {}).get("es") or {}
    persona = f"{local.get('persona') or ''} {brief.get('persona') or ''}"
    return bool(_FEMININE.search(persona)) and not _NOT_ONLY_FEMININE.search(persona)
