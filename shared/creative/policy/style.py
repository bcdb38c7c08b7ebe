"""Style rules every platform's editorial policy has: shouting in capitals and gimmicky
punctuation (Google Ads editorial: https://support.google.com/adspolicy/answer/6021546).
Language-neutral: they look at letters and marks, not words."""

from __future__ import annotations

import re

from shared.models.creative import Finding

# All-caps words of 4+ letters: one is emphasis ("FREE"), more is shouting. Longer copy may
# carry one per CAPS_PER_WORDS words. Acronyms people write in capitals are not shouting.
CAPS_ALLOWANCE = 1
CAPS_PER_WORDS = 10
_ACRONYMS = frozenset({"USDA", "NASA", "HTML", "HIIT", "UNESCO", "NYSE", "FIFA", "UEFA", "IKEA"})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_PUNCTUATION = re.compile(r"[!?¡¿]{2,}|\.{4,}|([^\w\s.!?¡¿])\1{2,}")


def caps(text: str) -> list[tuple[int, Finding]]:
    words = list(_WORD.finditer(text))
    shouted = [
        m
        for m in words
        if len(m.group()) >= 4 and m.group().isupper() and m.group() not in _ACRONYMS
    ]
    allowance = max(CAPS_ALLOWANCE, len(words) // CAPS_PER_WORDS)
    if len(shouted) <= allowance:
        return []
    reason = (
        f"{len(shouted)} words in ALL CAPS (allowed {allowance}); platforms reject "
        "excessive capitalisation"
    )
    return [
        (m.start(), Finding(rule="excessive_caps", span=m.group(), reason=reason)) for m in shouted
    ]


def punctuation(text: str) -> list[tuple[int, Finding]]:
    reason = "repeated punctuation or symbols; platforms reject gimmicky punctuation"
    return [
        (m.start(), Finding(rule="excessive_punctuation", span=m.group(), reason=reason))
        for m in _PUNCTUATION.finditer(text)
    ]
