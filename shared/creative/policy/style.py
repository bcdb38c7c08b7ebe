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
# Short words that are words, not acronyms: in capitals they shout as loud as long ones
# ("SAVE BIG", "SO CUTE", "BRAND NEW"). Anything else of 2-3 capitals reads as an acronym (UK,
# SPF, USB, LED).
_SHORT_WORDS = frozenset(
    [
        "SO",
        "NEW",
        "BIG",
        "HOT",
        "WOW",
        "NOW",
        "OFF",
        "TOP",
        "BUY",
        "GET",
        "WIN",
        "YES",
        "ALL",
        "AND",
        "THE",
        "FOR",
        "YOU",
        "OUR",
        "ONE",
        "TWO",
        "OMG",
        "OH",
        "MY",
        "GO",
        "DO",
        "NO",
        "IS",
        "IN",
        "ON",
        "AT",
        "TO",
        "UP",
        "OUT",
        "NOT",
        "ANY",
        "LOW",
        "FUN",
        "RUN",
        "HUGE",
        "ME",
        "WE",
        "HOY",
        "YA",
        "MÁS",
        "MAS",
        "TU",
        "SÍ",
        "SI",
        "LOS",
        "LAS",
        "DEL",
        "CON",
        "POR",
        "UN",
        "UNA",
        "EL",
        "LA",
        "ES",
        "MUY",
        "HAY",
        "VER",
        "FIN",
        "YO",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Repeated marks ("!!", "¿¿", "$$$", "....") and letters spelt out with dots ("F.L.O.R.E.S.";
# "U.S.A." stays: three).
_PUNCTUATION = re.compile(r"[!?¡¿]{2,}|\.{4,}|([^\w\s.!?¡¿])\1{2,}|(?<![\w.])(?:[^\W\d_]\.){4,}")


def caps(text: str) -> list[tuple[int, Finding]]:
    words = list(_WORD.finditer(text))
    shouted = [
        m
        for m in words
        if m.group().isupper()
        and (len(m.group()) >= 4 or m.group() in _SHORT_WORDS)
        and m.group() not in _ACRONYMS
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
