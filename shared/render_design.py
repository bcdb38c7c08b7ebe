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
# A star rating as a rating is written: "4.8 stars", "4,8/5", "4.8 out of 5", "4.8★". Not a
# count ("2,300 5-star reviews"), not the scale of another figure ("2 of 5 stars").
_RATING = re.compile(
    r"(?<![\d.,/-])(\d(?:[.,]\d)?)\s*(?:(?:/|out of|de)\s*5(?![\d.,])(?:\s*(?:stars?|estrellas|★))?"
    r"|(?:★|stars?\b|estrellas\b)(?!\s*(?:reviews?|ratings?|rese[ñn]as|valoraciones)))",
    re.I,
)
_SCALE_OF = re.compile(r"\b(?:of|de|in|en|out of)\s*$", re.I)
# A line that hedges its rating ("not 5 stars yet", "only 2 of 5"), asks it ("would you believe
# 5 stars?"), aims at it ("4.8 out of 5 is what we aim for") or bounds it ("hasta 4.9 estrellas
# según la temporada") is shown as written, never drawn as stars: drawn stars would state what the
# line does not.
_HEDGE = re.compile(
    r"[?¿]|\b(?:not|no|never|only|just|almost|nearly|yet|soon|would|could|might|may|aim|aims"
    r"|aiming|goal|target|hope|hoping|expect|believe|aún|todavía|solo|sólo|apenas|casi|nunca"
    r"|según|depende|temporada|objetivo|meta|esperamos|queremos)\b",
    re.I,
)
# A bound just before the figure makes it a maximum or an estimate ("up to 4.9 stars"); before
# a count ("4.8 stars from over 2,300 reviews") it bounds the count, not the rating.
_BOUND = re.compile(
    r"\b(?:up to|about|around|over|approximately|approx\.?|hasta|más de|cerca de|alrededor de)"
    r"\s*$",
    re.I,
)
# A badge shows the offer's one figure over the offer's own words. Where the figure alone says
# another offer (a maximum: "up to 70%"; a starting price: "from $9"; a price per period:
# "$29.99/mo"; a second item: "BOGO 50% off"; a before and after: "was $50, now $40") or
# there are several figures ("spend $100, save 15%"), there is no badge, only the words.
_ANY_FIGURE = re.compile(r"\d[\d.,]*\s?%|[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?[$€£]")
# A minimum spend is a condition too ("free gift with orders over $40": the badge would read as
# a price).
_CONDITIONS = re.compile(
    r"\b(?:up to|hasta|from|desde|starting at|a partir de|then|luego|was|now|antes|ahora"
    r"|bogo|get one|second|segund[oa]|per|al mes|al año|over|above|minimum|min|spend|spending"
    r"|orders|más de|mínimo|mínima|superiores?|mayores?|compras|pedidos)\b"
    r"|\b\d+\s?x\s?\d+\b|/\s*[a-z]",
    re.I,
)
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
    rated = next((p for p in proofs if _rating(p) is not None), None)
    stat = next((p for p in proofs if re.search(r"\d", p)), None)
    rating = reviews = None
    if rated:
        rating = _rating(rated)
        r = _REVIEWS.search(rated)
        reviews = r.group(1) if r and len(r.group(1)) <= 16 else None
    proof = rated or stat
    domain = urlsplit(brief.landing_url).hostname if brief.landing_url else None
    return AdFacts(
        brand=_clip(brief.brand_name or brief.product, 60),
        cta=_clip(cta, 40) if cta else None,
        domain=domain.removeprefix("www.") if domain and len(domain) <= 80 else None,
        offer=_clip(offer, 120),
        offer_figure=_figure(offer),
        rating=rating,
        reviews=reviews,
        proof=_clip(proof, 120) if proof else None,
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


def _rating(proof: str) -> float | None:
    """The line's star rating, when it states exactly one, plainly, between 1 and 5."""
    if _HEDGE.search(proof):
        return None
    values = {
        float(m.group(1).replace(",", "."))
        for m in _RATING.finditer(proof)
        if not _SCALE_OF.search(proof[: m.start()])
    }
    if any(_BOUND.search(proof[: m.start()]) for m in _RATING.finditer(proof)):
        return None
    if len(values) != 1:
        return None
    (value,) = values
    return value if 1.0 <= value <= 5.0 else None


def _figure(offer: str) -> str | None:
    """The offer's one discount or price, for a badge; none when it has a condition or more
    than one figure (the offer's own words are shown either way)."""
    figure = _DISCOUNT.search(offer) or _PRICE.search(offer)
    if figure is None or len(_ANY_FIGURE.findall(offer)) != 1 or _CONDITIONS.search(offer):
        return None
    return figure.group(0).upper()[:24]


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


def _clip(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: a longer one is cut at a word boundary and ends
    in an ellipsis (a name cut mid-word reads as a typo)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head.strip() else head
    return cut.rstrip(" ,;:-") + "\u2026"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _voice(language: str) -> str:
    base = language.lower().split("-")[0]
    return {"en": "en-us", "es": "es", "pt": "pt-br", "fr": "fr-fr", "de": "de"}.get(base, base)
