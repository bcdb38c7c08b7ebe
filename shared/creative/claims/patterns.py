"""What a checkable claim looks like in English and Spanish copy: regex patterns per kind (for
what has a fixed shape: numbers with units, prices, ratings, comparatives) and word lists read
on lemmas (for claim verbs and result promises, which take any inflection).

Order matters: the extractor keeps, of overlapping matches, the one that starts first and then
the longer, then the kind listed first, so "20% off" is a discount, not a percentage.
"""

from __future__ import annotations

import functools
import re

import regex

from shared.creative.claims.quantity import NUMBER, number_words

_TIME_EN = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?)"
_TIME_ES = r"(?:segundos?|minutos?|horas?|d[ií]as?|noches?|semanas?|mes|meses|años?)"
_PER_EN = r"(?:\s+(?:a|per|each|every)\s+(?:day|night|week|month))?"
_PER_ES = r"(?:\s+(?:al|por|a la|cada)\s+(?:d[ií]a|noche|semana|mes))?"
_PEOPLE_EN = (
    r"(?:reviews?|ratings?|customers?|clients?|users?|buyers?|shoppers?|members?|subscribers?|"
    r"people|fans|families|moms|parents)"
)
_PEOPLE_ES = (
    r"(?:reseñas|opiniones|valoraciones|calificaciones|clientes|usuari[oa]s|compradores|"
    r"personas|miembros|suscriptores|familias|mamás)"
)
_HAPPY_EN = r"(?:(?:happy|satisfied|verified|real|loyal|five-star|5-star)\s+)?"
_CURRENCY = (
    r"(?:[$€£]\s?"
    + NUMBER
    + r"|"
    + NUMBER
    + r"\s?(?:€|\$|usd\b|eur\b|dollars\b|euros\b|d[oó]lares\b))"
)
# A comparison's object: a few words after "than"/"que", articles and possessives included.
_OBJ_EN = r"(?:\s+(?:the|a|an|your|any|other|most|regular|ordinary)\b)*(?:\s+[\w'-]+)?"
_OBJ_ES = r"(?:\s+(?:el|la|los|las|un|una|tu|tus|su|sus|cualquier|otr[oa]s?)\b)*(?:\s+[\w'-]+)?"
_DEGREE_ADJ = r"[\w-]+(?:ive|ful|ed|ent|ant|able|ible|ous|al|ic|ing)"
_EST_EN = (
    r"(?:best|fastest|easiest|strongest|safest|gentlest|purest|cleanest|brightest|cheapest|"
    r"smartest|simplest|quickest|highest|lowest|biggest|greatest|finest|smoothest|richest)"
)


def _any(*alternatives: str) -> str:
    return "|".join(alternatives)


# Kinds whose every pattern needs a number (digits or a number word): skipped on a text with none.
NUMBER_KINDS = frozenset({"rating", "review_count", "percentage", "price", "duration", "number"})


@functools.cache
def numberish(language: str) -> re.Pattern[str]:
    """Whether a text holds a number at all (digits, or a number word of ``language``)."""
    words = number_words(language, articles=language == "es")
    return re.compile(rf"\d|\b(?:{words}|million|mill[oó]n)\b", re.IGNORECASE)


@functools.cache
def compiled(language: str, lowered: bool = False) -> tuple[tuple[str, regex.Pattern[str]], ...]:
    """(kind, pattern) in priority order for ``language`` ("en" or "es"); with ``lowered``,
    for text already lower-cased (the patterns are written in lower case).

    Compiled by the ``regex`` module, and case-sensitive on lowered text where the offsets
    allow it (:func:`scan`): every line lint-copy reads runs all of them, and the two together
    take the scan from 0.33 to 0.22 ms per English line and from 0.43 to 0.17 per Spanish one,
    with the same matches on the corpus."""
    table = _spanish() if language == "es" else _english()
    flags = 0 if lowered else regex.IGNORECASE
    return tuple((kind, regex.compile(rx, flags)) for kind, rx in table)


def scan(text: str, language: str) -> tuple[str, tuple[tuple[str, regex.Pattern[str]], ...]]:
    """The text to run :func:`compiled`'s patterns over, and those patterns: ``text`` lowered
    when lowering keeps every offset (it does not for a few letters, such as "İ")."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower, compiled(language, lowered=True)
    return text, compiled(language)


def _english() -> list[tuple[str, str]]:
    words = number_words("en", articles=False)
    q = rf"(?:{NUMBER}|\b(?:{words})\b)"
    return [
        ("rating", rf"\brated\s+{q}(?:\s*(?:/\s*5|out of 5))?(?:\s*stars?)?"),
        ("rating", rf"{q}(?:\s*(?:/\s*5|out of 5)(?:\s*stars?)?|[\s-]*(?:stars?\b|★))"),
        (
            "review_count",
            rf"(?:{q}|\ba(?=\s+(?:million|thousand)))(?:\s+(?:million|thousand))?\+?\s+"
            rf"{_HAPPY_EN}{_PEOPLE_EN}\b",
        ),
        ("discount", rf"(?:{q}\s?(?:%|percent\b|per cent\b)|[$€£]\s?{NUMBER})\s+off\b"),
        ("discount", rf"\bsave\s+(?:up to\s+)?{q}\s?(?:%|percent\b)"),
        ("discount", r"\bhalf[- ](?:price|off)\b|\b\d\s?[x×]\s?\d\b(?!\s?[x×])|\bbogo\b"),
        ("discount", r"\bbuy one,? get one(?: free)?\b|\b\d for (?:the price of )?\d\b"),
        ("discount", r"\bbuy (?:\d|one|two|three),? get (?:\d|one|two)(?: free)?\b"),
        ("discount", r"\bfree\s+(?:shipping|delivery|returns?|trial|gifts?|samples?)\b"),
        ("discount", r"(?<![\w-])(?<!feel )(?:for )?free\b(?![\w-])(?!\s+(?:of|from)\b)"),
        ("money", rf"\b(?:save|earn|make)\s+(?:up to\s+)?{_CURRENCY}"),
        ("price", _CURRENCY),
        ("percentage", rf"{q}\s?(?:%|percent\b|per cent\b)"),
        ("comparative", rf"\b{q}\s?(?:x|times)\s+(?:more|less|faster|better|longer|stronger)\b"),
        (
            "duration",
            rf"(?:\b(?:in|within|after|for|under|in just|in only)\s+)?"
            rf"{q}[\s-]+{_TIME_EN}\b{_PER_EN}",
        ),
        (
            "timeframe",
            _any(
                r"\bovernight\b|\binstantly\b|\bimmediately\b",
                r"\binstant\s+(?:results?|relief|glow|effect|lift)\b",
            ),
        ),
        (
            "timeframe",
            r"\b(?:in|within)\s+(?:seconds|minutes|hours|days|weeks|no time)\b|\bright away\b",
        ),
        (
            "timeframe",
            r"\bfrom (?:the )?(?:first|very first) (?:use|day|application|drop)\b|\bfrom day one\b",
        ),
        (
            "timeframe",
            _any(
                r"\b(?:in|within|under|after|for)\s+(?:just\s+|only\s+)?(?:an?|one)\s+"
                r"(?:second|minute|hour|day|night|week|fortnight|month|year)\b",
                r"\b(?:in\s+)?a\s+fortnight\b|\ban?\s+(?:day|week|month|year)\s+from now\b",
                r"\bby\s+(?:tomorrow|tonight|the weekend|next week|monday|tuesday|wednesday|"
                r"thursday|friday|saturday|sunday)\b|\btonight\b",
                r"\bgive it\s+an?\s+(?:day|week|month)\b|\bin\s+\d+\s?(?:wk|wks|hrs?|mos?)\b",
                r"(?:½|\b1/2)\s+the\s+time\b|(?<![\w-])[x×]\s?\d+\b(?![\w-])",
                r"\b(?:an?|one)\s+(?:year|month|week)\s+(?:free|of free)\b",
            ),
        ),
        ("guarantee", r"\bmoney[- ]back(?:\s+guarantee)?\b|\brisk[- ]free\b|\bno[- ]risk\b"),
        ("guarantee", r"\bguarantee[ds]?\b(?:\s+(?:results?|to work|success))?"),
        (
            "health",
            r"\b(?:clinically|scientifically|medically)\s+(?:proven|tested|shown|studied)\b",
        ),
        ("health", r"\b(?:dermatologist|doctor|derm)[- ](?:tested|approved|recommended)\b"),
        (
            "health",
            r"\b(?:trusted|recommended|approved|loved|used)\s+by\s+(?:\w+\s+)?"
            r"(?:dermatologists|doctors|experts|pediatricians|dentists|nutritionists)\b",
        ),
        ("comparative", r"\b(?:twice|double|triple|three times|half)\s+the\s+[\w-]+(?:\s+[\w-]+)?"),
        (
            "body",
            r"\b(?:lose|drop|shed|burn|melt)\s+(?:\w+\s+)?"
            r"(?:weight|pounds|lbs|kilos|kg|inches|sizes?|fat|belly fat)\b",
        ),
        (
            "money",
            _any(
                r"\b(?:double|triple)\s+your\s+(?:money|income|savings|investment)\b",
                r"\bpassive income\b",
            ),
        ),
        (
            "superlative",
            _any(
                r"#\s?1\b|\bnumber one\b|\bno\.\s?1\b|\bworld'?s\s+(?:leading|first|best)\b",
                r"\bthe only\b|\bunbeatable\b|\bunmatched\b",
            ),
        ),
        (
            "superlative",
            rf"\bthe\s+(?:{_EST_EN}|most\s+[\w-]+)\b(?!\s+(?:part|of|way to|thing about)\b)",
        ),
        ("superlative", rf"\bmost\s+{_DEGREE_ADJ}\b"),
        (
            "comparative",
            rf"\b(?:[\w-]+er|more\s+[\w-]+|less\s+[\w-]+|better|worse)\s+than{_OBJ_EN}",
        ),
        (
            "comparative",
            rf"\b(?:twice|three times|{q}\s?(?:x|times))\s+as\s+[\w-]+(?:\s+as{_OBJ_EN})?",
        ),
        ("number", rf"{NUMBER}(?:[\s-]+(?!(?:and|or|to|of|the|a|in|for)\b)[^\W\d_]+)?"),
        (
            "number",
            rf"(?<![\w'-])(?<!the )(?<!this )(?<!that )(?<!any )(?<!no )(?<!every )"
            rf"\b(?:{words})[\s-]+"
            r"(?!(?:of|and|or|to|the|a|another|more|less|thing|day)\b)[^\W\d_]{3,}",
        ),
    ]


def _spanish() -> list[tuple[str, str]]:
    words = number_words("es", articles=False)
    with_articles = number_words("es", articles=True)
    q = rf"(?:{NUMBER}|\b(?:{words})\b)"
    qa = rf"(?:{NUMBER}|\b(?:{with_articles})\b)"
    return [
        (
            "rating",
            rf"\b(?:calificad[oa]|valorad[oa]|puntuad[oa])\s+con\s+{q}"
            r"(?:\s*(?:/\s*5|de 5))?(?:\s*estrellas)?",
        ),
        ("rating", rf"{q}(?:\s*(?:/\s*5|de 5)(?:\s*estrellas)?|\s+(?:estrellas?\b|★))"),
        ("review_count", rf"{q}\+?\s+(?:de\s+)?{_PEOPLE_ES}\b"),
        (
            "discount",
            rf"(?:{q}\s?(?:%|por ciento\b)|[$€£]\s?{NUMBER})"
            r"\s+(?:de\s+)?(?:descuento\b|dto\b\.?|menos\b)",
        ),
        (
            "discount",
            rf"\b(?:ahorra|ahorras|ahorre)\s+(?:hasta\s+)?(?:un\s+)?{q}\s?(?:%|por ciento\b)",
        ),
        ("discount", r"\b(?:a\s+)?mitad de precio\b|\b\d\s?[x×]\s?\d\b(?!\s?[x×])"),
        (
            "discount",
            r"\b(?:env[ií]o|entrega|devoluci[oó]n|devoluciones|prueba|muestras?)\s+"
            r"(?:gratis|gratuit[oa]s?)\b",
        ),
        ("discount", r"\bgratis\b|\bgratuit[oa]s?\b"),
        ("money", rf"\b(?:ahorra|ahorras|gana|ganas|ganar|ahorrar)\s+(?:hasta\s+)?{_CURRENCY}"),
        ("price", _CURRENCY),
        ("percentage", rf"{q}\s?(?:%|por ciento\b)"),
        ("comparative", rf"\b{q}\s?(?:x|veces)\s+(?:más|menos|mejor)\b(?:\s+[\w-]+)?"),
        (
            "duration",
            rf"(?:\b(?:en|durante|tras|después de|por|en solo|en sólo|en tan solo)\s+)?"
            rf"{qa}[\s-]+{_TIME_ES}\b{_PER_ES}",
        ),
        (
            "timeframe",
            _any(
                r"\bde la noche a la mañana\b|\bal instante\b|\binstantáneamente\b",
                r"\binmediatamente\b|\bde inmediato\b",
            ),
        ),
        (
            "timeframe",
            _any(
                r"\ben\s+(?:segundos|minutos|horas|días|semanas|nada de tiempo)\b",
                r"\bdesde el primer (?:uso|día)\b|\bdesde la primera aplicación\b",
            ),
        ),
        (
            "timeframe",
            _any(
                r"\bmañana mismo\b|\bpara mañana\b|\besta (?:misma )?noche\b",
                r"\ben un abrir y cerrar de ojos\b|\ben un santiamén\b",
                r"(?<![\w-])[x×]\s?\d+\b(?![\w-])",
            ),
        ),
        ("guarantee", r"\bdevoluci[oó]n de(?:l| tu| su)? dinero\b|\breembolso\b|\bsin riesgos?\b"),
        ("guarantee", r"\bgarantizad[oa]s?\b|\bgarantía(?:\s+de\s+[\w-]+)?"),
        (
            "health",
            r"\b(?:clínica|científica|médica|dermatológica)mente\s+"
            r"(?:probad|comprobad|demostrad|testead)[oa]s?\b",
        ),
        (
            "health",
            _any(
                r"\b(?:probad|comprobad)[oa]s?\s+clínicamente\b",
                r"\brecomendad[oa]s? por (?:médicos|dermatólogos|doctores)\b",
            ),
        ),
        (
            "body",
            r"\b(?:perder|pierde|pierdes|bajar|baja|bajas|quemar|quema|derrite|eliminar|elimina)"
            r"\s+(?:de\s+)?(?:\w+\s+)?(?:peso|kilos|kg|libras|tallas?|grasa|centímetros)\b",
        ),
        (
            "money",
            _any(
                r"\b(?:duplica|triplica|multiplica)\s+tu\s+(?:dinero|inversión|ingresos?)\b",
                r"\bingresos pasivos\b",
            ),
        ),
        (
            "superlative",
            _any(
                r"#\s?1\b|\bnúmero uno\b|\bn\.?\s?[º°o]\.?\s?1\b",
                r"\blíder(?:es)? (?:en|del mundo|mundial)\b|\binsuperable\b",
                r"\bel único\b|\bla única\b",
            ),
        ),
        (
            "superlative",
            r"\b(?:el|la|los|las|lo)\s+(?:mejor(?:es)?|más\s+[\w-]+)\b"
            r"(?!\s+(?:parte|de ti|de tu)\b)",
        ),
        (
            "comparative",
            rf"\b(?:más|menos)(?:\s+[\w-]+)?\s+que{_OBJ_ES}|\b(?:mejor|peor)(?:es)?\s+que{_OBJ_ES}",
        ),
        ("comparative", r"\bel doble de\b(?:\s+[\w-]+)?|\bel triple de\b(?:\s+[\w-]+)?"),
        (
            "discount",
            r"\bcompra (?:\d|una|uno|dos|tres) y ll[eé]vate (?:\d|una|uno|dos)(?: gratis)?\b",
        ),
        (
            "review_count",
            rf"(?:\bun|{q})\s+mill[oó]n(?:es)?\s+de\s+{_PEOPLE_ES}\b",
        ),
        ("number", rf"{NUMBER}(?:[\s-]+(?!(?:y|o|a|de|del|el|la|en|para)\b)[^\W\d_]+)?"),
        (
            "number",
            rf"(?<![\w'-])\b(?:{words})[\s-]+"
            r"(?!(?:de|y|o|a|el|la|los|las|más|menos|veces)\b)[^\W\d_]{3,}",
        ),
    ]
