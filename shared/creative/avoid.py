"""The brand's avoid list, found in copy the way people write it, in English and Spanish.

An avoid-list entry is found

* as written, whatever the case, accents, hyphens or spaces ("Anti-Aging", "antiaging",
  "anti aging"): ``exact``;
* inflected, matched on the lemma of spaCy's lookup lemmatizer (:mod:`shared.creative.nlp`) or
  a light stem ("miracles", "cheaper", "anti-ageing"): ``inflection``;
* as a derived word sharing the entry's stem ("miraculous" for "miracle", "milagroso" for
  "milagro"): ``related word``;
* paraphrased or translated, through the concept table of
  :mod:`shared.creative.avoid_concepts` ("age-defying", "turn back the clock", "antiedad" for
  "anti-aging"): ``paraphrase``.

Nothing is found where the copy denies it ("not a miracle", "no es magia"), while "no more
wrinkles" and "not just anti-aging" still promise it. An avoid list is compiled once and kept,
and a line that shares no word start with any pattern is passed over before it is tokenised:
lint-copy calls this once per line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from shared.creative import nlp
from shared.creative.avoid_concepts import CONCEPTS, GAP, Concept

How = Literal["exact", "inflection", "related word", "paraphrase"]
_RANK: dict[How, int] = {"exact": 0, "inflection": 1, "related word": 2, "paraphrase": 3}

# Marks that end a clause: a gap in a pattern never reaches across them.
_CLAUSE_ENDS = frozenset({".", "!", "?", ";", ",", ":", "¿", "¡", "…"})
_HYPHENS = re.compile(r"[-‐‑–]")
# After a negator these turn the denial into a promise: "no more wrinkles", "not just cheap".
_NOT_A_DENIAL = frozenset(
    {"more", "longer", "just", "only", "merely", "más", "solo", "sólo", "solamente"}
)
_SUFFIXES = (
    "ciones",
    "ción",
    "cion",
    "ings",
    "ing",
    "edly",
    "ed",
    "ies",
    "es",
    "ly",
    "os",
    "as",
    "s",
    "o",
    "a",
    "e",
)
# A derived word shares this much of the entry's stem ("miracl" -> "mirac" -> "miraculous").
_RELATED_MIN = 5


@dataclass(frozen=True)
class AvoidHit:
    """An avoid-list entry found in copy: where, as written, which entry, and how it matched."""

    start: int
    span: str
    term: str
    how: How


def find(text: str, language: str, avoid: Sequence[str]) -> list[AvoidHit]:
    """The avoid-list entries ``text`` uses, in text order, one hit per stretch of text.

    ``language`` ("en" or "es") picks the tokenizer, lemma table and negators; any other value
    tokenises as English and uses both lemma tables and both languages' negators.
    """
    matcher = _compile(tuple(avoid))
    if not matcher.patterns or (
        matcher.prefilter is not None and not matcher.prefilter.search(_fold_line(text))
    ):
        return []
    langs = _langs(language)
    toks = nlp.tokens(text, langs[0])
    words = _words(toks, langs)
    hits = [hit for hit in _matches(matcher, words, text) if not _denied(toks, hit[0].token, langs)]
    return _dedupe([found for _, found in hits])


def _langs(language: str) -> tuple[nlp.Lang, ...]:
    for lang in nlp.LANGUAGES:
        if lang == language:
            return (lang,)
    return nlp.LANGUAGES


def describe(hit: AvoidHit) -> str:
    """Why the hit counts, in words a marketer reads: "'age-defying' paraphrases avoid-list
    'anti-aging'"."""
    if hit.how == "exact":
        return f"'{hit.span}' is on the brand's avoid list"
    verb = {"inflection": "is a form of", "related word": "is related to"}.get(
        hit.how, "paraphrases"
    )
    return f"'{hit.span}' {verb} avoid-list '{hit.term}'"


@dataclass(frozen=True)
class _Alt:
    lemmas: frozenset[str]
    stem: str
    fold: str
    surface: bool  # only this written form counts ("=slimming": not "slim")


@dataclass(frozen=True)
class _Slot:
    alts: tuple[_Alt, ...]
    gap: int  # other words allowed before this slot


@dataclass(frozen=True)
class _Pattern:
    slots: tuple[_Slot, ...]
    term: str
    own: bool  # the entry's own words, not a paraphrase of them
    unless_near: frozenset[str]


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    token: int  # index of its spaCy token (a hyphenated token gives several words)
    clause: int
    lemmas: frozenset[str]
    stem: str
    fold: str


@dataclass(frozen=True)
class _Matcher:
    patterns: tuple[_Pattern, ...]
    by_key: dict[str, tuple[_Pattern, ...]]
    # (entry, stem prefix, unless_near) for "related word"
    related: tuple[tuple[str, str, frozenset[str]], ...]
    prefilter: re.Pattern[str] | None


@functools.lru_cache(maxsize=256)
def _compile(avoid: tuple[str, ...]) -> _Matcher:
    patterns: list[_Pattern] = []
    related: list[tuple[str, str, frozenset[str]]] = []
    for term in dict.fromkeys(a.strip() for a in avoid if a.strip()):
        concepts = _concepts_of(term)
        unless = frozenset(_fold(w) for c in concepts for w in c.unless_near)
        own = _parse(term, nlp.LANGUAGES, term, own=True, unless=unless)
        if not own:
            continue
        patterns += own
        words = _plain_words(term)
        if len(words) == 1 and len(stem := _stem(_fold(words[0]))) >= _RELATED_MIN:
            related.append((term, stem if len(stem) == _RELATED_MIN else stem[:-1], unless))
        for concept in concepts:
            patterns += [
                _Pattern(p.slots, term, own=False, unless_near=unless)
                for p in _concept_patterns(concept)
            ]
    by_key: dict[str, list[_Pattern]] = {}
    for pattern in patterns:
        for alt in pattern.slots[0].alts:
            for key in _alt_keys(alt):
                by_key.setdefault(key, []).append(pattern)
    return _Matcher(
        patterns=tuple(patterns),
        by_key={key: tuple(dict.fromkeys(found)) for key, found in by_key.items()},
        related=tuple(related),
        prefilter=_prefilter(patterns, [prefix for _, prefix, _ in related]),
    )


def _parse(
    phrase: str, langs: tuple[nlp.Lang, ...], term: str, own: bool, unless: frozenset[str]
) -> list[_Pattern]:
    """A phrase of the concept table's syntax as patterns: itself and, for a plain phrase of
    two or three words, the words written as one ("antiaging")."""
    slots: list[_Slot] = []
    gap = 0
    for chunk in _HYPHENS.sub(" ", phrase).split():
        if chunk == "*":
            gap = GAP
            continue
        surface = chunk.startswith("=")
        words = [w for w in chunk.lstrip("=").split("|") if any(c.isalnum() for c in w)]
        if words:
            slots.append(_Slot(tuple(_alt(w, langs, surface) for w in words), gap))
            gap = 0
    if not slots:
        return []
    found = [_Pattern(tuple(slots), term, own, unless)]
    plain = _plain_words(phrase)
    if (
        2 <= len(plain) <= 3
        and len(plain) == len(slots)
        and "|" not in phrase
        and "*" not in phrase
    ):
        found.append(
            _Pattern((_Slot((_alt("".join(plain), langs, False),), 0),), term, own, unless)
        )
    return found


def _alt(word: str, langs: tuple[nlp.Lang, ...], surface: bool) -> _Alt:
    folded = _fold(word)
    lemmas = frozenset(_fold(nlp.lemma(word, lang)) for lang in langs)
    return _Alt(lemmas=lemmas, stem=_stem(folded), fold=folded, surface=surface)


def _alt_keys(alt: _Alt) -> Iterator[str]:
    if alt.surface:
        yield f"f:{alt.fold}"
        return
    yield f"s:{alt.stem}"
    yield from (f"l:{lemma}" for lemma in alt.lemmas)


def _concepts_of(term: str) -> list[Concept]:
    """The concepts one of whose phrases is the whole entry ("anti-aging", "Milagros",
    "antiedad"): the entry read as copy, matched by the concept's own patterns."""
    words = _words(nlp.tokens(term, "en"), nlp.LANGUAGES)
    return [
        concept
        for concept in CONCEPTS
        if any(
            _match_at(words, pattern, 0, 0) == len(words) - 1
            for pattern in _concept_patterns(concept)
        )
    ]


@functools.cache
def _concept_patterns(concept: Concept) -> tuple[_Pattern, ...]:
    parsed: list[_Pattern] = []
    by_language: tuple[tuple[nlp.Lang, tuple[str, ...]], ...] = (
        ("en", concept.en),
        ("es", concept.es),
    )
    for lang, phrases in by_language:
        for phrase in phrases:
            parsed += _parse(phrase, (lang,), concept.name, own=False, unless=frozenset())
    return tuple(parsed)


def _plain_words(phrase: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", _HYPHENS.sub(" ", phrase)) if w]


def _prefilter(patterns: list[_Pattern], related: list[str]) -> re.Pattern[str] | None:
    """A regex a line must match to be worth tokenising: for each pattern, the start of its
    most distinctive slot's words (surface, lemma and stem share it); None when some pattern
    has no usable start (then every line is tokenised)."""
    starts = set(related)
    for pattern in patterns:
        best = max((_slot_starts(slot) for slot in pattern.slots), key=lambda s: min(map(len, s)))
        if min(map(len, best)) < 2:
            return None
        starts |= best
    alternatives = "|".join(sorted(map(re.escape, starts), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})")


def _slot_starts(slot: _Slot) -> set[str]:
    return {
        alt.fold[:4] if alt.surface else _common_start([alt.stem, *alt.lemmas])[:4]
        for alt in slot.alts
    }


def _common_start(words: list[str]) -> str:
    first = min(words)
    last = max(words)
    size = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), None)
    return first if size is None else first[:size]


def _words(toks: list[nlp.Token], langs: tuple[nlp.Lang, ...]) -> list[_Word]:
    """The word tokens, a hyphenated token split in its parts ("anti-edad"), each with the
    clause it stands in; hyphens and other symbols between words are dropped."""
    words: list[_Word] = []
    clause = 0
    for index, tok in enumerate(toks):
        if tok.text in _CLAUSE_ENDS:
            clause += 1
            continue
        for part in re.finditer(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*", tok.text):
            lemmas, stem, folded = _keys(part.group().lower(), langs)
            start = tok.start + part.start()
            words.append(
                _Word(start, start + len(part.group()), index, clause, lemmas, stem, folded)
            )
    return words


@functools.lru_cache(maxsize=65536)
def _keys(lower: str, langs: tuple[nlp.Lang, ...]) -> tuple[frozenset[str], str, str]:
    folded = _fold(lower)
    return frozenset(_fold(nlp.lemma(lower, lang)) for lang in langs), _stem(folded), folded


def _matches(matcher: _Matcher, words: list[_Word], text: str) -> Iterator[tuple[_Word, AvoidHit]]:
    for i, word in enumerate(words):
        keys = [f"s:{word.stem}", f"f:{word.fold}", *(f"l:{lemma}" for lemma in word.lemmas)]
        candidates = dict.fromkeys(p for key in keys for p in matcher.by_key.get(key, ()))
        for pattern in candidates:
            end = _match_at(words, pattern, 0, i)
            if end is None or _near(words, i, end, pattern.unless_near):
                continue
            span = text[word.start : words[end].end]
            yield (
                word,
                AvoidHit(word.start, span, pattern.term, _how(pattern, words[i : end + 1], span)),
            )
        for term, prefix, unless in matcher.related:
            if word.stem.startswith(prefix) and not _near(words, i, i, unless):
                yield word, AvoidHit(word.start, text[word.start : word.end], term, "related word")


def _match_at(words: list[_Word], pattern: _Pattern, k: int, i: int) -> int | None:
    """The index of the last word when slot ``k`` of ``pattern`` and the rest match from word
    ``i``, else None."""
    if not _fits(words[i], pattern.slots[k]):
        return None
    if k == len(pattern.slots) - 1:
        return i
    reach = min(len(words), i + 2 + pattern.slots[k + 1].gap)
    for j in range(i + 1, reach):
        if words[j].clause != words[i].clause:
            return None
        end = _match_at(words, pattern, k + 1, j)
        if end is not None:
            return end
    return None


def _fits(word: _Word, slot: _Slot) -> bool:
    return any(
        word.fold == alt.fold if alt.surface else word.stem == alt.stem or word.lemmas & alt.lemmas
        for alt in slot.alts
    )


def _near(words: list[_Word], first: int, last: int, unless: frozenset[str]) -> bool:
    """Whether one of ``unless`` stands within two words before or one after, same clause."""
    if not unless:
        return False
    around = words[max(0, first - 2) : first] + words[last + 1 : last + 2]
    return any(w.fold in unless and w.clause == words[first].clause for w in around)


def _how(pattern: _Pattern, matched: list[_Word], span: str) -> How:
    if _compact(span) == _compact(pattern.term):
        return "exact"
    if not pattern.own:
        return "paraphrase"
    if len(matched) == 1 and not any(
        matched[0].lemmas & alt.lemmas for alt in pattern.slots[0].alts
    ):
        return "related word"  # the stem alone matched: "cheaply" for "cheap"
    return "inflection"


def _denied(toks: list[nlp.Token], index: int, langs: tuple[nlp.Lang, ...]) -> bool:
    """Whether a negator before token ``index`` denies it (:func:`nlp.negated`), unless the
    negator opens a promise: "no more wrinkles", "not just anti-aging", "no solo barato"."""
    for lang in langs:
        if not nlp.negated(toks, index, lang):
            continue
        for back in range(index - 1, max(-1, index - 1 - nlp.NEGATION_WINDOW), -1):
            if toks[back].lemma in nlp.NEGATORS[lang] or toks[back].lower in {"n't", "nt"}:
                return toks[back + 1].lower not in _NOT_A_DENIAL
    return False


def _dedupe(hits: list[AvoidHit]) -> list[AvoidHit]:
    """One hit per stretch of text: where hits overlap, the earliest, then the closest match
    (exact before inflection before related word before paraphrase), then the longest."""
    kept: list[AvoidHit] = []
    reach = -1
    for hit in sorted(hits, key=lambda h: (h.start, _RANK[h.how], -len(h.span))):
        if hit.start >= reach:
            kept.append(hit)
            reach = hit.start + len(hit.span)
    return kept


def _compact(text: str) -> str:
    return "".join(re.findall(r"[^\W_]+", _fold(text)))


@functools.lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _stem(folded: str) -> str:
    """A light EN/ES stem: one common suffix off, at least 3 letters kept ("wrinkles" and
    "wrinkle" -> "wrinkl", "arrugas" -> "arrug")."""
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)]
    return folded


def _fold_line(text: str) -> str:
    """``text`` lower-cased with Latin accents dropped, at C speed (str.translate)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.lower().translate(_fold_table())


@functools.cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0].lower()
        if base.isascii() and base.isalpha() and base != chr(code).lower():
            table[code] = base
    return table
