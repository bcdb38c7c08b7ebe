"""From a campaign's brief and a blueprint to a designed render spec (pure).

The brief's facts (offer, proof, transcript, landing page) become :class:`AdFacts` in the brief's
own words: a figure is read from the brief, never composed, and a fact the brief lacks stays
empty, so the layout that needs it is not used (gpu_jobs/layouts/planner.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from shared.errors import BadInput
from shared.models.brief import Brief, Language
from shared.models.errors import explain
from shared.models.render import AdFacts, RenderSpec

_DISCOUNT = re.compile(r"\d{1,3}\s?%\s?(?:off|de descuento|descuento)", re.I)
_PRICE = re.compile(r"[$€£]\s?\d+(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?\s?[$€£]")
_RATING = re.compile(r"(\d(?:[.,]\d)?)\s*(?:/\s*5\s*)?(?:stars?|estrellas)", re.I)
_REVIEWS = re.compile(r"(\d[\d,.]*)\s*(?:reviews|ratings|rese[ñn]as|valoraciones)", re.I)
_GOOD = re.compile(r"\b(love|finally|works?|easy|favou?rite|best|better|recommend|glad)\b", re.I)
_BAD = re.compile(r"\b(never|not|no|hate|tired|stung|worst|bad|awful|nobody)\b", re.I)
# The role each scene of an offline or model blueprint plays, by position (hook, body, close).
ROLES = ("hook", "product", "offer")


def facts_from_brief(brief: Brief, *, cta: str | None, language: str = "en") -> AdFacts:
    """What a designed video may state, taken from ``brief`` (in ``language`` where the brief
    gives that language's wording)."""
    known = language in {lang.value for lang in Language}
    local = brief.localized.get(Language(language)) if known else None
    offer = (local.offer if local and local.offer else None) or brief.offer
    proofs = (local.proof if local and local.proof else None) or brief.proof
    desires = (local.desires if local and local.desires else None) or brief.desires
    rated = next((p for p in proofs if _RATING.search(p)), None)
    stat = next((p for p in proofs if re.search(r"\d", p)), None)
    rating = reviews = None
    if rated:
        m = _RATING.search(rated)
        assert m is not None
        rating = min(5.0, float(m.group(1).replace(",", ".")))
        r = _REVIEWS.search(rated)
        reviews = r.group(1) if r and len(r.group(1)) <= 16 else None
    domain = urlsplit(brief.landing_url).hostname if brief.landing_url else None
    return AdFacts(
        brand=(brief.brand_name or brief.product)[:60],
        cta=cta[:40] if cta else None,
        domain=domain.removeprefix("www.") if domain and len(domain) <= 80 else None,
        offer=offer[:120],
        offer_figure=_figure(offer),
        rating=rating,
        reviews=reviews,
        proof=(rated or stat or None) and (rated or stat or "")[:120],
        quote=_quote(brief.transcript or "", brief, language),
        benefits=[_upper_first(d) for d in desires if len(d) <= 60][:3],
    )


def spec_from_blueprint(
    *,
    video_id: str,
    variant: int,
    scenes: Sequence[dict[str, Any]],
    voiceover: str,
    facts: AdFacts,
    language: str,
    brand_colors: list[str],
    product_images: list[str],
    targets: list[str],
    logo: str | None = None,
    prompt: str = "",
) -> RenderSpec:
    """A designed spec: one generated scene per blueprint scene (its visual the prompt, its
    on-screen text and role kept for the layouts), the voice-over, the facts, variant 0-4."""
    spec_scenes = [
        {
            "kind": "generated",
            "prompt": f"{prompt} {s['visual']}".strip(),
            "duration_s": float(s["duration_s"]),
            "motion": ("zoom_in", "pan_right", "zoom_out", "pan_up")[i % 4],
            "role": ROLES[min(i, len(ROLES) - 1)] if len(scenes) <= len(ROLES) else None,
            "text": str(s["on_screen_text"])[:160],
        }
        for i, s in enumerate(scenes)
    ]
    total = sum(float(s["duration_s"]) for s in scenes)
    raw = {
        "video_id": video_id,
        "duration_s": round(total, 3),
        "targets": targets,
        "scenes": spec_scenes,
        "product_images": product_images[:3],
        "voice": {"script": voiceover, "voice": _voice(language), "fit": "stretch"},
        "brand": {"colors": brand_colors or ["#1a2a6c", "#f5b700"], "logo": logo},
        "language": language,
        "captions": {"style": "word_pop"},
        "design": {"variant": variant, "facts": facts.model_dump()},
    }
    try:
        return RenderSpec.model_validate(raw)
    except ValidationError as e:
        raise BadInput(explain(e, RenderSpec)) from e


def _figure(offer: str) -> str | None:
    m = _DISCOUNT.search(offer) or _PRICE.search(offer)
    return m.group(0).upper()[:24] if m else None


def _quote(transcript: str, brief: Brief, language: str) -> str | None:
    """The transcript line that reads most like a customer vouching: first person, about the
    product or what it does well; a line of pain or complaint is not a testimonial."""
    names = {n.lower() for n in (brief.product, brief.brand_name or "") if n}
    best: tuple[int, str] | None = None
    for line in re.split(r"(?<=[.!?])\s+|\n", transcript):
        line = line.strip().strip('"“”')
        if not 20 <= len(line) <= 120 or not re.search(r"\b(I|I'm|my|me|yo|mi)\b", line):
            continue
        if _language_of(line) != language.split("-")[0]:
            continue  # a video shows quotes in its own language only
        score = 2 * any(n in line.lower() for n in names) + len(_GOOD.findall(line))
        score -= 2 * len(_BAD.findall(line))
        if score > 0 and (best is None or score > best[0]):
            best = (score, line)
    return best[1] if best else None


def _language_of(line: str) -> str:
    """English or Spanish, by their commonest little words (transcripts are in either)."""
    words = re.findall(r"[a-záéíóúñ']+", line.lower())
    es = sum(w in _ES_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "es" if es > en else "en"


_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "i",
        "my",
        "to",
        "in",
        "it",
        "is",
        "that",
        "was",
        "of",
        "a",
        "just",
        "with",
        "for",
        "so",
    ]
)
_ES_WORDS = frozenset(
    [
        "el",
        "la",
        "que",
        "de",
        "y",
        "en",
        "mi",
        "es",
        "un",
        "una",
        "los",
        "las",
        "con",
        "para",
        "por",
        "lo",
    ]
)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _voice(language: str) -> str:
    base = language.lower().split("-")[0]
    return {"en": "en-us", "es": "es", "pt": "pt-br", "fr": "fr-fr", "de": "de"}.get(base, base)
