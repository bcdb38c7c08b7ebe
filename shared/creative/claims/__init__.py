"""Claim grounding: every checkable claim in a piece of copy, traced to the brief or brand kit.

:func:`extract` finds the claims a reviewer or regulator would ask to see backed: numbers (digits
and number words), percentages, ratings, review and customer counts, durations ("in 7 days", "un
minuto al día") and timeframes ("overnight", "al instante"), prices and discounts ("$29", "20%
off", "2x1", "gratis"), comparatives and superlatives ("better than retinol", "#1", "el mejor"),
and health, body, money and guarantee claims (a claim verb acting on a body, health or money
target: "reduces fine lines"; "clinically proven"; "money-back guarantee"; and result promises in
plain words: "bright even skin"). Denied claims ("won't sting", "no parabens", "sin
garantía") and puffery without a fact ("you'll love it") are not claims.

:func:`ground` traces each to a :class:`Source` (:func:`sources_from` lists them): a number is
supported when a source states the same quantity in the same unit ("2,300" = "2.300" = "2.3k";
"one minute" = "un minuto"; Spanish copy may lean on the English brief's numbers), a worded
claim when one source carries its content words (lemmas, so "reduces" matches "reduce"; Spanish
copy on the brief's ``localized.es`` fields). Numbers in the product's or brand's name or a web
address are not claims. :func:`findings` turns each unsupported claim into a blocking
``unsupported_claim`` finding that says what would support it.

Ground truth for why this matters: the FTC requires a reasonable basis for objective claims
(https://www.ftc.gov/business-guidance/resources/health-products-compliance-guidance), and Meta,
Google and TikTok reject misleading or unsubstantiated claims.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shared.creative.claims.extract import Claim, extract
from shared.creative.claims.ground import DIFFERS, Source, index
from shared.models.brand import BrandProfile
from shared.models.creative import ClaimTrace, Finding

__all__ = ["Claim", "Source", "extract", "findings", "ground", "sources_from"]

RULE = "unsupported_claim"
# The brief's fields that state facts, in the order a trace names the first that supports.
# The offer, proof and desires first: a claim they state is traced to them, not to a page's text.
_FIRST_TEXT, _FIRST_LISTS = ("offer",), ("proof", "desires")
_LATER_TEXT = ("product", "category", "website_text", "transcript", "persona")
_LATER_LISTS = ("pains",)
_LOCALIZED_TEXT = ("offer", "persona", "cta")


def sources_from(
    brief: Mapping[str, Any], brand: BrandProfile | None, language: str
) -> list[Source]:
    """The parts of ``brief`` (a Brief's ``model_dump``, or a brief file's fields) and ``brand``
    that may support a claim in copy written in ``language``: the brief's own fields (its numbers
    hold in every language), its ``localized[language]`` fields, and the brand's proof and
    positioning. The product and brand names and the landing URL are listed too, as names whose
    numbers are not claims."""
    found: list[Source] = []
    _fields(found, brief, "", _FIRST_TEXT, _FIRST_LISTS)
    localized = brief.get("localized")
    words = localized.get(language) if isinstance(localized, Mapping) else None
    if isinstance(words, Mapping):
        lists = (*_FIRST_LISTS, *_LATER_LISTS)
        _fields(found, words, f"localized.{language}.", _LOCALIZED_TEXT, lists)
    _fields(found, brief, "", _LATER_TEXT, _LATER_LISTS)
    if brand is not None:
        for i, value in enumerate(brand.proof):
            _add(found, f"brand.proof[{i}]", value)
        _add(found, "brand.positioning", brand.positioning)
        _add(found, "brand.name", brand.name)
    _add(found, "brand_name", brief.get("brand_name"))
    _add(found, "landing_url", brief.get("landing_url"))
    return found


def _fields(
    found: list[Source],
    fields: Mapping[str, Any],
    prefix: str,
    texts: Sequence[str],
    lists: Sequence[str],
) -> None:
    for name in texts:
        _add(found, prefix + name, fields.get(name))
    for name in lists:
        for i, value in enumerate(_list(fields.get(name))):
            _add(found, f"{prefix}{name}[{i}]", value)


def _add(found: list[Source], name: str, value: Any) -> None:
    if isinstance(value, str) and value.strip():
        found.append(Source(name, value))


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def ground(text: str, language: str, sources: Sequence[Source]) -> list[ClaimTrace]:
    """Each claim in ``text`` with the source that states it, or why none does. The sources'
    index is built once per distinct ``sources`` and kept, so checking many texts against one
    brief reads the brief once."""
    known = index(tuple(sources))
    claimed = extract(text, language, names=known.names)
    return [known.trace(claim, language, text) for claim in claimed]


# What each kind claims, and what would support it, in a finding's words.
_CLAIMS = {
    "number": ("a number", "add the fact to the brief's proof if it is true"),
    "percentage": ("a percentage", "add it to the brief's proof (or offer) if it is true"),
    "rating": ("a rating", "add it to the brief's proof, e.g. '4.8 stars from 2,300 reviews'"),
    "review_count": ("a count of reviews or customers", "add the count to the brief's proof"),
    "duration": ("a timeframe", "add it to the brief's proof or desires if the product does it"),
    "timeframe": ("a speed of results", "add it to the brief's proof if the product does it"),
    "price": ("a price", "put the price in the brief's offer"),
    "discount": ("a discount or free offer", "put it in the brief's offer"),
    "comparative": ("a comparison", "add it to the brief's proof with its source (a study)"),
    "superlative": ("a superlative", "add it to the brief's proof with its source"),
    "health": ("a health or efficacy claim", "add it to the brief's proof with the study"),
    "body": ("a body or appearance result", "add it to the brief's desires or proof"),
    "money": ("a money or earnings claim", "add it to the brief's proof with its basis"),
    "guarantee": ("a guarantee", "put the guarantee in the brief's offer"),
}


def findings(traces: Sequence[ClaimTrace]) -> list[Finding]:
    """One blocking ``unsupported_claim`` finding per unsupported claim, in order."""
    out = []
    for trace in traces:
        if trace.supported:
            continue
        what, fix = _CLAIMS.get(trace.kind, ("a claim", "add it to the brief's proof"))
        if DIFFERS in trace.reason:  # the brief states the number, about something else
            reason = f"claims {what} ({trace.span!r}); {trace.reason}; say what it says, or drop it"
            out.append(Finding(rule=RULE, span=trace.span, reason=reason))
            continue
        reason = (
            f"claims {what} ({trace.span!r}) that the brief and brand kit do not state; "
            f"{fix}, or drop it"
        )
        out.append(Finding(rule=RULE, span=trace.span, reason=reason))
    return out
