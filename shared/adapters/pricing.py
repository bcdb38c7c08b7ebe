"""What a model call costs: list prices per million tokens, and an estimate for one call.

Prices are the providers' published pay-as-you-go list prices in USD for standard context
lengths, checked on 2026-11-21 against (copies of) Anthropic's model pages and Google's Gemini
pricing page; Gemini 3.8 Flash's price is marked there "through December 31, 2026". Batch,
cache and long-context rates are not modelled: adloop makes plain synchronous calls. Update
the table when prices move; the date says how stale it may be.

A model missing from the table costs 0.0 and is logged once as a warning, so a new model never
breaks a campaign but its spend visibly goes unpriced (``is_priced`` lets callers tell).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

PRICES_CHECKED_ON = "2026-11-21"


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input_per_mtok: float
    output_per_mtok: float


PRICES: dict[str, Price] = {
    # Anthropic (Claude API and Claude on Vertex AI; same list price on both).
    "claude-fable-5-1": Price(10.0, 50.0),
    "claude-opus-5": Price(5.0, 25.0),
    "claude-sonnet-5-5": Price(2.0, 10.0),
    "claude-sonnet-5": Price(2.0, 10.0),
    "claude-sonnet-4-6": Price(3.0, 15.0),
    "claude-sonnet-4-5": Price(3.0, 15.0),
    "claude-haiku-4-5": Price(1.0, 5.0),
    # Google Gemini on Vertex AI (output includes thinking tokens).
    "gemini-3.8-flash": Price(0.75, 3.75),
    "gemini-3-flash-preview": Price(0.50, 3.00),
    "gemini-2.5-flash": Price(0.30, 2.50),
    "gemini-2.5-pro": Price(1.25, 10.0),
}

_warned: set[str] = set()


def canonical_model(model: str) -> str:
    """The table key for a model id as APIs spell it.

    Drops resource paths (``publishers/google/models/x``), Vertex version suffixes
    (``claude-haiku-4-5@20251001``) and Anthropic snapshot dates (``claude-haiku-4-5-20251001``).
    """
    name = model.rsplit("/", 1)[-1].split("@", 1)[0].lower()
    head, _, tail = name.rpartition("-")
    if head and len(tail) == 8 and tail.isdigit():
        return head
    return name


def price_of(model: str) -> Price | None:
    """The list price of ``model``, or None when the table does not know it."""
    return PRICES.get(canonical_model(model))


def is_priced(model: str) -> bool:
    return price_of(model) is not None


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> float:
    """USD for one call at list price; 0.0 (and a one-time warning) for an unknown model."""
    price = price_of(model)
    if price is None:
        if model not in _warned:
            _warned.add(model)
            log.warning("no price on file for model %r; its calls are costed at $0", model)
        return 0.0
    cost = input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok
    return cost / 1_000_000
