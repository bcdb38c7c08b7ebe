"""Tracing claims to the brief: an index of what the sources state, built once per set of
sources, and the test of one claim against it (see shared/creative/claims/__init__.py)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from shared.creative import nlp
from shared.creative.claims import context, words
from shared.creative.claims import quantity as qty
from shared.creative.claims.extract import Claim, extract
from shared.models.creative import ClaimTrace


@dataclass(frozen=True)
class Source:
    """A piece of the brief or brand kit that may state a claim: its field ("proof[0]",
    "localized.es.offer", "brand.proof[1]") and its text."""

    field: str
    text: str


# Fields whose words are names: a number in them is not a claim (and they support none).
NAME_FIELDS = frozenset({"product", "brand_name", "brand.name", "landing_url"})
# Kinds grounded on the number they state; the rest on a key ("#1", "free") or their words.
QUANTITY_KINDS = frozenset(
    {"number", "percentage", "rating", "review_count", "duration", "price", "money", "discount"}
)
# Comparison words kept as written: the lookup lemmatizer makes "better" and "best" "well".
_DEGREE = words.word_set(
    "better best more most less least worse worst only más menos mejor mejores peor único única"
)
_EXCERPT = 80
# In a reason: a source states the number, but about something else than the copy says.
DIFFERS = "about something else"


# One name per worded fact, in both languages ("al instante" = "instantly"), by claim kind.
_KEY_ROWS = {
    "timeframe": [
        (r"overnight|de la noche a la mañana", "overnight"),
        (r"instant|immediately|right away|al instante|inmediat|de inmediato", "instant"),
        (r"first (?:use|day|application|drop)|day one|primer (?:uso|día)|primera apl", "first use"),
        (r"(?:in|within|en)\s+(\w+)$", r"in \1"),
    ],
    "discount": [
        (r"(?:env[ií]o|entrega|shipping|delivery)", "free shipping"),
        (r"(?:devoluci|returns?)", "free returns"),
        (r"(?:trial|prueba)", "free trial"),
        (r"(\d)\s?[x×]\s?(\d)", r"\1x\2"),
        (r"(\d) for (?:the price of )?(\d)", r"\1x\2"),
        (r"bogo|buy one,? get one|compra (?:1|una|uno) y ll[eé]vate (?:1|una|uno)", "2x1"),
        (r"buy (?:2|two),? get (?:1|one)|compra (?:2|dos) y ll[eé]vate (?:1|una|uno)", "3x2"),
        (r"\bfree\b|gratis|gratuit", "free"),
    ],
    "superlative": [(r"#\s?1|number one|número uno|no\.\s?1|n\.?\s?[º°o]\.?\s?1", "#1")],
    "guarantee": [
        (r"money[- ]back|dinero|reembolso|devoluci", "money back"),
        (r"risk|riesgo", "risk free"),
        (r"guarant|garant", "guarantee"),
    ],
}
_KEYS = {
    kind: [(re.compile(rx, re.IGNORECASE), key) for rx, key in rows]
    for kind, rows in _KEY_ROWS.items()
}


def key_of(span: str, kind: str) -> str | None:
    """The one name of a worded claim's fact ("al instante" and "instantly": "instant"), or
    None for a kind grounded otherwise."""
    for pattern, key in _KEYS.get(kind, ()):
        match = pattern.search(span)
        if match:
            return match.expand(key) if "\\" in key else key
    # Any other timeframe ("by Monday", "½ the time") is its own words: a source must say it.
    return " ".join(span.lower().split()) if kind == "timeframe" else None


def quantity_of(claim: Claim, language: str) -> qty.Quantity | None:
    """The number a claim states and its unit, or None when it states none."""
    return _quantity(claim.kind, _VISIBLE.sub("", claim.span), language)


# Invisible characters inside a span ("sev\u00adven days") do not change what it states.
_VISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


@functools.lru_cache(maxsize=4096)
def _quantity(kind: str, span: str, language: str) -> qty.Quantity | None:
    lower = span.lower()
    off = kind == "discount" or bool(re.search(r"\b(?:off|descuento|dto|save|ahorr)", lower))
    if re.search(r"half|mitad", lower) and kind == "discount":
        return qty.Quantity(50, 50, "%", off=True)
    key = key_of(span, kind) or ""
    if kind == "discount" and (key == "free" or re.fullmatch(r"\dx\d", key)):
        return None  # a free offer or "2x1": grounded on its key
    words = qty.number_words(language, articles=True)  # "a million", "un minuto"
    match = re.search(rf"{qty.NUMBER}|\b(?:{words})\b", span, re.IGNORECASE)
    if match is None:
        return None
    value = qty.parse_number(match.group(0))
    if value is None:
        value = qty.WORDS.get(language, {}).get(match.group(0).lower())
    if value is None:
        return None
    before, after = span[: match.start()], span[match.end() :]
    scale = re.match(r"\s+(thousand|mil|million|mill[oó]n|millones)\b", after, re.IGNORECASE)
    if scale is not None:  # "one million", "un millón"
        value *= 1e3 if scale.group(1).lower() in {"thousand", "mil"} else 1e6
        after = after[scale.end() :]
    currency = re.search(r"[$€£]\s?$", before) or re.match(
        r"\s?(€|\$|usd|eur|d[oó]lar|dollar|euro)", after, re.I
    )
    if currency:
        symbol = currency.group(0).strip()[:1]
        unit = qty.unit_name({"u": "$", "d": "$", "e": "€"}.get(symbol.lower(), symbol))
        return qty.Quantity(value, value, unit, off)
    if re.match(r"\s?(?:%|percent|per cent|por ciento)", after, re.I):
        return qty.Quantity(value, value, "%", off)
    if kind == "rating" or re.match(r"\s*(?:/\s*5|out of 5|de 5)", after):
        return qty.Quantity(value, value, "star", off)
    unit_word = _unit_word(after)
    if unit_word is None:
        return qty.Quantity(value, value, None, off)
    unit = qty.unit_name(unit_word)
    seconds = qty.seconds(unit_word) or 1
    return qty.Quantity(value, value * seconds, unit, off)


def _unit_word(after: str) -> str | None:
    words: list[str] = re.findall(r"[^\W\d_]+", after)[:3]
    for word in words:
        if qty.unit_name(word) in qty.KNOWN_UNITS:
            return word
    skip = {"happy", "satisfied", "verified", "real", "loyal", "de", "del"}
    return next((w for w in words if w.lower() not in skip), None)


@dataclass
class _Stated:
    """What one source states, read once."""

    source: Source
    # a quantity, where it is, and the language it was read in
    facts: list[tuple[qty.Quantity, int, int, str]] = field(default_factory=list)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)


class _Vocabulary:
    """Which sources hold each word key, in one language's lemmas."""

    def __init__(self, stated: Sequence[_Stated], language: str) -> None:
        self.holders: dict[str, set[int]] = {}
        for i, one in enumerate(stated):
            for word in _word_keys(one.source.text, language):
                self.holders.setdefault(word, set()).add(i)
                unit = qty.unit_name(word)  # "people" and "clientes" count customers
                if unit in qty.KNOWN_UNITS and unit != word:
                    self.holders.setdefault(unit, set()).add(i)
        self.ordered = sorted(self.holders)

    def holding(self, word: str) -> set[int]:
        """The sources holding ``word``, or a word of four letters or more that begins it or
        that it begins ("bright" and "brighten", "firm" and "firming")."""
        found = set(self.holders.get(word, ()))
        if len(word) >= 4:
            at = bisect.bisect_left(self.ordered, word)
            while at < len(self.ordered) and self.ordered[at].startswith(word):
                found |= self.holders[self.ordered[at]]
                at += 1
        for n in range(4, len(word)):
            found |= self.holders.get(word[:n], set())
        return found


# Kinds whose fact is a key: a key no source holds is not supported by loose words ("free" in
# "paraben-free" is no free offer).
_KEY_ONLY = frozenset({"discount", "timeframe", "superlative"})


class Index:
    """The sources' quantities, keys and words, read once and asked per claim."""

    def __init__(self, sources: Sequence[Source]) -> None:
        self.names = tuple(s.text for s in sources if s.field in NAME_FIELDS)
        # What is sold: its name's and category's words say what any quantity is about.
        sold = " ".join(s.text for s in sources if s.field in NAME_FIELDS | {"category"})
        self._sold: dict[str, set[str]] = {
            lang: set(_word_keys(sold, lang)) for lang in ("en", "es")
        }
        self.stated = [_read(s) for s in sources if s.field not in NAME_FIELDS and s.text.strip()]
        self._vocabularies: dict[str, _Vocabulary] = {}

    def trace(self, claim: Claim, language: str, text: str = "") -> ClaimTrace:
        """Whether a source states ``claim`` (found in ``text``, whose words around a quantity
        say what it measures)."""
        self._differs: str | None = None
        found = self._find(claim, language, text)
        if found is None:
            reason = self._differs or f"no part of the brief or brand kit states {claim.span!r}"
            return ClaimTrace(
                kind=claim.kind,
                span=claim.span,
                supported=False,
                source=None,
                source_text=None,
                reason=reason,
            )
        stated, (start, end) = found
        excerpt = _excerpt(stated.source.text, start, end)
        return ClaimTrace(
            kind=claim.kind,
            span=claim.span,
            supported=True,
            source=stated.source.field,
            source_text=excerpt,
            reason=f"{stated.source.field} says {excerpt!r}",
        )

    def _find(
        self, claim: Claim, language: str, text: str
    ) -> tuple[_Stated, tuple[int, int]] | None:
        amount = quantity_of(claim, language) if claim.kind in QUANTITY_KINDS else None
        if amount is not None:
            timed = claim.kind in {"duration", "timeframe"} or amount.unit == "s"
            offer = claim.kind in {"discount", "price", "money"} or amount.off
            # The words around the quantity, read only once a source states the same amount:
            # most quantities in copy are stated nowhere, and reading their context is most of
            # the cost of tracing them.
            around: tuple[tuple[str, str], ...] | None = None
            for i, stated in enumerate(self.stated):
                for fact, start, end, read_as in stated.facts:
                    if not qty.same(amount, fact):
                        continue
                    if around is None:
                        around = (
                            context.words_around(
                                text, claim.start, claim.end, language, timed=timed, offer=offer
                            )
                            if text
                            else ()
                        )
                    unheld = [(lem, w) for lem, w in around if not self._holds(i, lem, language)]
                    missing, lost = [w for _, w in unheld], {lem for lem, _ in unheld}
                    if not missing:
                        return stated, (start, end)
                    # Or the copy restates the source's own words about the number, and what
                    # it adds lies on the other side ("...school runs 20% off your first
                    # order": spoken lines run on without a full stop).
                    if _restates(
                        text,
                        claim,
                        language,
                        stated.source.text,
                        (start, end),
                        read_as,
                        timed,
                        offer,
                        lost,
                    ):
                        return stated, (start, end)
                    if self._differs is None:
                        said = _excerpt(stated.source.text, start, end)
                        self._differs = (
                            f"{stated.source.field} states the number ({said!r}) {DIFFERS}: "
                            f"it does not say {' '.join(missing)!r}"
                        )
            return None
        key = key_of(claim.span, claim.kind)
        if key is not None:
            for stated in self.stated:
                if key in stated.keys:
                    return stated, stated.keys[key]
            if claim.kind in _KEY_ONLY:
                return None
        return self._find_words(claim, language)

    def _vocabulary(self, language: str) -> _Vocabulary:
        if language not in self._vocabularies:
            self._vocabularies[language] = _Vocabulary(self.stated, language)
        return self._vocabularies[language]

    def _holds(self, i: int, word: str, language: str) -> bool:
        """Whether source ``i`` holds ``word`` (a lemma of ``language``), in its language's
        lemmas or the other's (Spanish copy on an English brief)."""
        if word in self._sold[language] or i in self._vocabulary(language).holding(word):
            return True
        other = "en" if language == "es" else "es"
        return any(
            i in self._vocabulary(other).holding(w)
            for w in (*context.translations(word, language), word)
        )

    def _find_words(self, claim: Claim, language: str) -> tuple[_Stated, tuple[int, int]] | None:
        wanted = _word_keys(claim.span, language)
        if not wanted:
            return None
        vocabulary = self._vocabulary(language)
        holders = vocabulary.holding(wanted[0])
        for word in wanted[1:]:
            holders &= vocabulary.holding(word)
        if not holders:
            return None
        stated = self.stated[min(holders)]
        return stated, _first(stated.source.text, claim.span)


def _restates(
    text: str,
    claim: Claim,
    language: str,
    source: str,
    at: tuple[int, int],
    read_as: str,
    timed: bool,
    offer: bool,
    lost: set[str],
) -> bool:
    """Whether the copy says, next to ``claim`` on each side, what ``source`` says next to its
    number there, and the words no source holds (``lost``) lie only beyond them or on a side
    where the source says nothing ("...school runs 20% off your first order. You'll love it")."""
    found = False
    for side in ("before", "after"):
        said = [
            {lem, *context.translations(lem, read_as)}
            for lem, _ in context.words_around(
                source, *at, read_as, timed=timed, offer=offer, inside=False, side=side
            )
        ]
        if not said:
            continue
        copy = [
            lem
            for lem, _ in context.words_around(
                text,
                claim.start,
                claim.end,
                language,
                timed=timed,
                offer=offer,
                inside=False,
                side=side,
                window=3 * context.WINDOW,
            )
        ]
        nearest = copy[-len(said) :] if side == "before" else copy[: len(said)]
        if side == "before":
            said = said[-len(nearest) :] if nearest else said
        if len(nearest) < len(said) or not all(
            lem in words for lem, words in zip(nearest, said, strict=True)
        ):
            return False
        found = True
    del lost  # the words beyond the restated ones may say anything
    return found


def _read(source: Source) -> _Stated:
    stated = _Stated(source)
    for language in nlp.LANGUAGES:
        for claim in extract(source.text, language):
            amount = quantity_of(claim, language) if claim.kind in QUANTITY_KINDS else None
            if amount is not None:
                stated.facts.append((amount, claim.start, claim.end, language))
            key = key_of(claim.span, claim.kind)
            if key is not None:
                stated.keys.setdefault(key, (claim.start, claim.end))
    return stated


@functools.lru_cache(maxsize=4096)
def _word_keys(text: str, language: str) -> tuple[str, ...]:
    """The content words of ``text``: lemmas of its words that are not stop words, and
    comparison words as written."""
    lang: nlp.Lang = "es" if language == "es" else "en"
    keys = []
    for tok in nlp.tokens(text, lang):
        if not any(c.isalpha() for c in tok.text) or tok.like_num:
            continue
        if tok.lower in _DEGREE:
            keys.append(tok.lower)
        elif not tok.is_stop:
            keys.append(tok.lemma)
    return tuple(keys)


def _first(text: str, span: str) -> tuple[int, int]:
    """Where in ``text`` the first of ``span``'s words appears (for the excerpt)."""
    lower = text.lower()
    for word in re.findall(r"\w{3,}", span.lower()):
        at = lower.find(word[:4])
        if at >= 0:
            return at, at + len(word)
    return 0, min(len(text), _EXCERPT)


def _excerpt(text: str, start: int, end: int) -> str:
    """The words of ``text`` around ``[start, end)``, at most about _EXCERPT characters."""
    if len(text) <= _EXCERPT:
        return text.strip()
    left = max(0, start - (_EXCERPT - (end - start)) // 2)
    right = min(len(text), left + max(_EXCERPT, end - start))
    cut = text[left:right]
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{cut.strip()}{suffix}"


@functools.lru_cache(maxsize=64)
def index(sources: tuple[Source, ...]) -> Index:
    """The index of ``sources``, built once per distinct set (lint-copy's 10,000 lines share
    one)."""
    return Index(sources)
