"""The offline extractor: a product page -> product, offer, proof, pains and desires, with no
model. Every value is a span of the page, named by where it was found: the page's schema.org
Product and Open Graph tags first, then whole sentences of its main text (an offer excepted:
a discount the text states comes before the Product's bare price). A field the page does
not give is left out, never made up.

Rules: the product is the Product's name, else ``og:title``, else the title; the offer is a
sentence naming a discount, else the Product's price, else a sentence naming a price; proof is
the Product's rating and review count, then sentences counting customers, reviews or stars;
pains and desires are sentences holding the cue words below (the offline engine has no cue
lists of its own for them; these are the words product pages use for problems and outcomes).
"""

from __future__ import annotations

import re
from typing import Any

# Sentences end at . ! ? or a line break (as the brand step splits pasted text).
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_SPAN = 300  # a brief's short fields hold at most this many characters
MAX_ITEMS = 3
_PRICE = re.compile(
    r"[$€£¥]\s?\d|\d(?:[\d.,]*\d)?\s?(?:USD|EUR|GBP|MXN|dollars|euros)\b", re.IGNORECASE
)
_DISCOUNT = re.compile(
    r"\d+\s?%\s?(?:off|discount)|\b(?:save|discount|free shipping|buy one|bogo|coupon|"
    r"promo code|off your|off the)\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(
    r"\b\d[\d,.]*\s?(?:k|m|\+)?\+?\s+(?:happy\s+|satisfied\s+|verified\s+|five-star\s+|5-star\s+)?"
    r"(?:customers|reviews|ratings|users|people|buyers|clients|members|orders|sold|moms)\b"
    r"|\b\d(?:\.\d)?\s?(?:/\s?5|out of 5|stars)\b",
    re.IGNORECASE,
)
PAIN_CUES = re.compile(
    r"\b(?:tired of|sick of|struggl\w*|frustrat\w*|hate|annoy\w*|no more|never again|"
    r"stop (?:wasting|worrying|guessing)|without the|hassle|dull|dry|breakouts?|"
    r"wast(?:e|ing)|worr(?:y|ied|ies)|can't|cannot|problem|pain)\b",
    re.IGNORECASE,
)
DESIRE_CUES = re.compile(
    r"\b(?:want|wish|dream|finally|imagine|enjoy|feel|glow|glowing|confident|effortless\w*|"
    r"in (?:minutes|seconds)|save time|more time|so you can|love|results|brighter|healthier)\b",
    re.IGNORECASE,
)


def extract(page: dict[str, Any]) -> dict[str, Any]:
    """The page's answer to the ``page`` prompt, as the offline engine gives it."""
    product = page.get("product") or {}
    og = page.get("og") or {}
    sentences = _sentences(str(page.get("main_text") or ""))
    return {
        "product": _first_of(
            ("Product.name", product.get("name")),
            ("og:title", og.get("og:title")),
            ("title", page.get("title")),
        ),
        "brand_name": _first_of(
            ("Product.brand", product.get("brand")), ("og:site_name", og.get("og:site_name"))
        ),
        # A deal the page states beats a bare price: "20% off your first order" is an offer,
        # "29.00 USD" only what it costs.
        "offer": _sentence_with(sentences, lambda s: bool(_DISCOUNT.search(s)))
        or _first_of(("Product.offers", offer_span(product)))
        or _sentence_with(sentences, lambda s: bool(_PRICE.search(s))),
        "proof": _proof(product, sentences),
        "pains": _taken(s for s in sentences if PAIN_CUES.search(s))[:MAX_ITEMS],
        "desires": _taken(
            s for s in sentences if DESIRE_CUES.search(s) and not PAIN_CUES.search(s)
        )[:MAX_ITEMS],
    }


def offer_span(product: dict[str, Any]) -> str | None:
    """What the Product's offer says, in words (the span a price traces to)."""
    price, currency = product.get("price"), product.get("currency")
    return f"{price} {currency}" if price and currency else price


def rating_span(product: dict[str, Any]) -> str | None:
    """What the Product's aggregate rating says, in words."""
    rating, count = product.get("rating"), product.get("review_count")
    if rating and count:
        return f"rated {rating} from {count} reviews"
    return f"rated {rating}" if rating else None


def _proof(product: dict[str, Any], sentences: list[str]) -> list[dict[str, str]]:
    proof = []
    rated = rating_span(product)
    if rated:
        proof.append({"value": rated, "source": "Product.aggregateRating"})
    proof += _taken(s for s in sentences if _COUNTED.search(s))
    return proof[:MAX_ITEMS]


def _sentences(text: str) -> list[str]:
    found = [s.strip() for s in _SENTENCE.split(text)]
    return [s for s in dict.fromkeys(found) if len(s.split()) >= 3 and len(s) <= MAX_SPAN]


def _first_of(*candidates: tuple[str, Any]) -> dict[str, str] | None:
    for source, value in candidates:
        if isinstance(value, str) and value.strip() and len(value.strip()) <= MAX_SPAN:
            return {"value": value.strip(), "source": source}
    return None


def _sentence_with(sentences: list[str], test: Any) -> dict[str, str] | None:
    return next(({"value": s, "source": "main text"} for s in sentences if test(s)), None)


def _taken(sentences: Any) -> list[dict[str, str]]:
    return [{"value": s, "source": "main text"} for s in sentences]
