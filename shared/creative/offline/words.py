"""Small text tools the offline engine writes with: fitting to a length, picking stable choices."""

from __future__ import annotations

import hashlib
import random


def rng_for(*parts: object) -> random.Random:
    """A random source seeded by the inputs: the same brief always gives the same copy."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def short(phrase: str, max_words: int) -> str:
    """The first words of a phrase, without a dangling joiner."""
    kept = phrase.strip().rstrip(".!?").split()[:max_words]
    while kept and kept[-1].lower() in {
        "and",
        "or",
        "the",
        "a",
        "of",
        "to",
        "with",
        "y",
        "o",
        "de",
        "la",
        "el",
        "con",
        "para",
    }:
        kept.pop()
    return " ".join(kept)


# Where a descriptive phrase's head ends: "dull skin after short nights" -> "dull skin".
_BREAKS = {
    "after",
    "before",
    "that",
    "which",
    "who",
    "nobody",
    "for",
    "in",
    "with",
    "without",
    "between",
    "when",
    "while",
    "because",
    "so",
    "and",
    "but",
    "or",
    "like",
    "on",
    "at",
    "que",
    "después",
    "antes",
    "con",
    "sin",
    "para",
    "en",
    "cuando",
    "porque",
    "y",
    "o",
    "de",
}


def head(phrase: str, max_words: int = 5) -> str:
    """The head of a phrase: up to the first word that starts a qualifier."""
    kept: list[str] = []
    for word in phrase.strip().rstrip(".!?").split():
        if kept and word.lower() in _BREAKS:
            break
        kept.append(word)
    return " ".join(kept[:max_words])


def fit(candidates: list[str], max_chars: int) -> str:
    """The first candidate that fits, else the first cut at a word boundary."""
    for c in candidates:
        if 0 < len(c) <= max_chars:
            return c
    cut = candidates[0][:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def estimate_tokens(text: str) -> int:
    """Roughly four characters a token, as the providers' tokenizers average on English."""
    return max(1, len(text) // 4)
