"""Quantities in copy: a number as written ("2,300", "2.300", "2.3k", "one", "un", "diez") with
the unit that follows it, normalised so that the same fact written two ways compares equal.

"2,300" = "2.300" = "2300" = "2.3k" (a separator followed by exactly three digits groups
thousands; any other separator is the decimal mark, so "4,8" = "4.8"); "one minute" = "1 minute"
= "un minuto" = 60 seconds; "20%" = "20 %" = "20 percent" = "20 por ciento"; "estrellas" =
"stars". Units this module does not know are kept as their lower-cased word, so "40,000
freelancers" still equals "40,000 freelancers".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

# Digits, with thousands groups or a decimal part, then an optional multiplier. Not glued to a
# word before it ("B3", "Q4", "H2O" are names, not quantities).
NUMBER = (
    r"(?<![\w.,/#])(?:\d{1,3}(?:[.,]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?:[kK]\b|mil\b|thousand\b|million\b|millones\b|millón\b))?"
)

# fmt: off
WORDS: dict[str, dict[str, float]] = {
    "en": {
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
        "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
        "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
        "dozen": 12, "a": 1, "an": 1,
    },
    "es": {
        "cero": 0, "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
        "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
        "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17,
        "dieciocho": 18, "diecinueve": 19, "veinte": 20, "treinta": 30, "cuarenta": 40,
        "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
        "cien": 100, "mil": 1000, "docena": 12,
    },
}
# fmt: on
# Articles that mean "one" only before a unit of time or count ("in a minute", "un minuto"):
# as a plain number they are not claims.
ARTICLES = frozenset({"a", "an", "un", "una", "uno"})


@functools.cache
def number_words(language: str, *, articles: bool) -> str:
    """A regex matching ``language``'s number words, as a prefix tree ("t(?:en|wo|...)"): an
    alternation of thirty words tried at every character is most of a pattern's time."""
    return trie([w for w in WORDS.get(language, {}) if articles or w not in ARTICLES])


def trie(words: list[str]) -> str:
    """A regex that matches exactly ``words``, sharing their prefixes (longest match first)."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: dict[str, Any]) -> str:
    ends = "" in node
    parts = [re.escape(c) + _branches(child) for c, child in sorted(node.items()) if c]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 and not ends else "(?:" + "|".join(parts) + ")"
    if ends:
        body = ("(?:" + "|".join(parts) + ")?") if len(parts) > 1 else f"(?:{parts[0]})?"
    return body


# fmt: off
_SECONDS = {
    "second": 1, "sec": 1, "segundo": 1, "minute": 60, "min": 60, "minuto": 60,
    "hour": 3600, "hr": 3600, "hora": 3600, "day": 86400, "día": 86400, "dia": 86400,
    "night": 86400, "noche": 86400, "week": 604800, "semana": 604800,
    "month": 2592000, "mes": 2592000, "year": 31536000, "año": 31536000,
}
# Lower-cased unit words -> one name for both languages. Not exhaustive: an unknown unit is
# compared as written.
_UNITS = {
    "%": "%", "percent": "%", "per cent": "%", "por ciento": "%",
    "star": "star", "estrella": "star", "/5": "star", "out of 5": "star", "de 5": "star",
    "review": "review", "rating": "review", "reseña": "review", "opinión": "review",
    "opinion": "review", "valoración": "review", "calificación": "review",
    "customer": "customer", "client": "customer", "user": "customer", "buyer": "customer",
    "shopper": "customer", "member": "customer", "subscriber": "customer", "people": "customer",
    "cliente": "customer", "usuario": "customer", "usuaria": "customer", "comprador": "customer",
    "persona": "customer", "miembro": "customer", "suscriptor": "customer",
    "$": "$", "usd": "$", "dollar": "$", "dólar": "$", "€": "€", "eur": "€", "euro": "€",
    "£": "£", "step": "step", "paso": "step", "order": "order", "pedido": "order",
    "time": "times", "vez": "times", "x": "times", "×": "times",
    "pound": "lb", "lb": "lb", "lbs": "lb", "libra": "lb", "kilo": "kg", "kg": "kg",
    "size": "size", "talla": "size", "ingredient": "ingredient", "ingrediente": "ingredient",
}
# fmt: on
_PLURAL_ES = {"meses": "mes", "opiniones": "opinión", "valoraciones": "valoración"}
KNOWN_UNITS = frozenset(_UNITS.values()) | {"s"}

_NUM_RX = re.compile(NUMBER)
_MULTIPLIER = {"k": 1e3, "mil": 1e3, "thousand": 1e3, "million": 1e6, "millón": 1e6}


@dataclass(frozen=True)
class Quantity:
    """A number and its unit: ``value`` as written (3 in "3 months"), ``scaled`` in the unit's
    base (seconds for time), ``unit`` a KNOWN_UNITS name or the word written, ``off`` when it is
    a reduction ("20% off", "$10 off", "20% de descuento")."""

    value: float
    scaled: float
    unit: str | None
    off: bool = False


def parse_number(written: str) -> float | None:
    """The value of digits as written ("2,300", "2.3k", "4,8", "10 mil"), or None."""
    match = _NUM_RX.search(written)
    if match is None:
        return None
    text = match.group(0)
    multiplier = 1.0
    for word, factor in _MULTIPLIER.items():
        if text.lower().rstrip().endswith(word) or text.lower().endswith("millones"):
            multiplier = 1e6 if text.lower().endswith("millones") else factor
            text = re.sub(r"\s?[^\d.,]+$", "", text)
            break
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        digits = re.sub(r"[.,]", "", text)
    else:
        digits = text.replace(",", ".")
    return float(digits) * multiplier


def unit_name(word: str) -> str:
    """One name for a unit word in either language ("reseñas" -> "review", "días" -> "s")."""
    lower = word.lower().strip()
    for form in (lower, _PLURAL_ES.get(lower, ""), _singular(lower)):
        if form in _SECONDS:
            return "s"
        if form in _UNITS:
            return _UNITS[form]
    return lower


def seconds(word: str) -> int | None:
    lower = word.lower().strip()
    for form in (lower, _PLURAL_ES.get(lower, ""), _singular(lower)):
        if form in _SECONDS:
            return _SECONDS[form]
    return None


def _singular(word: str) -> str:
    if word.endswith("es") and word[:-2] in _UNITS:
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def same(claim: Quantity, source: Quantity) -> bool:
    """Whether ``source`` states the quantity ``claim`` makes: equal values in the same unit (an
    unknown unit on one side is compared by value, so "40.000 independientes" matches "40,000
    freelancers"), and a reduction only by a reduction."""
    if claim.unit == "s" or source.unit == "s":
        return claim.unit == source.unit and _close(claim.scaled, source.scaled)
    if not _close(claim.value, source.value):
        return False
    if claim.off and not source.off:
        return False
    if claim.unit is None or source.unit is None or claim.unit == source.unit:
        return True
    return claim.unit not in KNOWN_UNITS and source.unit not in KNOWN_UNITS


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
