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
and a line that lacks the word starts every pattern needs is passed over before it is tokenised:
lint-copy calls this once per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from shared.creative import avoid_patterns as patterns
from shared.creative import nlp
from shared.creative.avoid_concepts import PLACE_WORDS

How = Literal["exact", "inflection", "related word", "paraphrase"]
_RANK: dict[How, int] = {"exact": 0, "inflection": 1, "related word": 2, "paraphrase": 3}

# After a negator these turn the denial into a promise: "no more wrinkles", "not just cheap".
_NOT_A_DENIAL = frozenset(
    {"more", "longer", "just", "only", "merely", "más", "solo", "sólo", "solamente"}
)


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
    matcher = patterns.compile_list(tuple(avoid))
    hits = [
        AvoidHit(m.start(), m.group(), term, "exact")
        for term, literal in matcher.literals
        for m in literal.finditer(text)
    ]
    if not matcher.patterns or not patterns.worth_reading(matcher, text):
        return _dedupe(hits)
    langs = _langs(language)
    toks = _tokens(text, langs[0])
    words = patterns.split_words(toks, langs)
    hits += [
        hit
        for first, last, hit, holds_negator in _matches(matcher, words, text)
        if not _denied(toks, first.token, last.token, langs, holds_negator)
    ]
    return _dedupe(hits)


def _tokens(text: str, language: nlp.Lang) -> list[nlp.Token]:
    """:func:`nlp.tokens` without the stop-word and number flags, which cost nine tenths of its
    time and are not needed here (a line with a hit is tokenised for every lint run). The doc
    is :func:`nlp.doc`'s, which the policy rules have just made of the same text."""
    return [
        nlp.Token(
            t.text, lower, nlp.lemma(lower, language), t.idx, t.idx + len(t.text), False, False
        )
        for t in nlp.doc(text, language)
        for lower in (t.text.lower(),)
    ]


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


def _matches(
    matcher: patterns.Matcher, words: list[patterns.Word], text: str
) -> Iterator[tuple[patterns.Word, patterns.Word, AvoidHit, bool]]:
    for i, word in enumerate(words):
        keys = [f"s:{word.stem}", f"f:{word.fold}", *(f"l:{lemma}" for lemma in word.lemmas)]
        candidates = dict.fromkeys(p for key in keys for p in matcher.by_key.get(key, ()))
        for pattern in candidates:
            end = patterns.match_at(words, pattern, 0, i)
            if (
                end is None
                or patterns.near(words, i, end, pattern.unless_near)
                or _names_a_place(words, i, end, text)
            ):
                continue
            span = text[word.start : words[end].end]
            yield (
                word,
                words[end],
                AvoidHit(word.start, span, pattern.term, _how(pattern, words[i : end + 1], span)),
                pattern.holds_negator,
            )
        for term, prefix, unless in matcher.related:
            if (
                word.stem.startswith(prefix)
                and not patterns.near(words, i, i, unless)
                and not _names_a_place(words, i, i, text)
            ):
                hit = AvoidHit(word.start, text[word.start : word.end], term, "related word")
                yield word, word, hit, False


def _how(pattern: patterns.Pattern, matched: list[patterns.Word], span: str) -> How:
    if _compact(span) == _compact(pattern.term):
        return "exact"
    if not pattern.own:
        return "paraphrase"
    if len(matched) == 1 and not any(
        matched[0].lemmas & alt.lemmas for alt in pattern.slots[0].alts
    ):
        return "related word"  # the stem alone matched: "cheaply" for "cheap"
    return "inflection"


def _names_a_place(words: list[patterns.Word], first: int, last: int, text: str) -> bool:
    """Whether the match is a capitalised part of a place's name ("our Miracle Mile store",
    "Calle Milagros"): a capitalised word that names a kind of place stands right beside it."""
    if not text[words[first].start].isupper():
        return False
    beside = [w for w in (words[first - 1] if first else None,) if w] + words[last + 1 : last + 2]
    return any(
        w.fold in PLACE_WORDS and text[w.start].isupper() and w.clause == words[first].clause
        for w in beside
    )


def _denied(
    toks: list[nlp.Token], first: int, last: int, langs: tuple[nlp.Lang, ...], holds: bool
) -> bool:
    """Whether a negator denies the match: before its first token, or inside it before its last
    ("isn't magic" for "be * magic") unless the match opens with the negator itself ("sin
    imperfecciones", "no more wrinkles") or the phrase holds one ("can't sleep"). A negator
    that opens a promise ("no more", "not just", "no solo") denies nothing."""
    opens_with_negator = any(toks[first].lemma in nlp.NEGATORS[lang] for lang in langs)
    at = (first,) if holds or opens_with_negator or last == first else (first, last)
    return any(_denies(toks, index, lang) for index in at for lang in langs)


def _denies(toks: list[nlp.Token], index: int, lang: nlp.Lang) -> bool:
    if not nlp.negated(toks, index, lang):
        return False
    for back in range(index - 1, max(-1, index - 1 - nlp.NEGATION_WINDOW), -1):
        if toks[back].lemma in nlp.NEGATORS[lang] or toks[back].lower in {"n't", "nt"}:
            return toks[back + 1].lower not in _NOT_A_DENIAL
    return True


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
    return "".join(re.findall(r"[^\W_]+", patterns.fold(text)))
