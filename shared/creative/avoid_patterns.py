"""How :mod:`shared.creative.avoid` reads an avoid list and copy: an avoid list compiled into
word patterns (the entry's own words, its one-word spelling, the phrases of its concepts), copy
split into words with their lemmas, stems and clauses, and a pattern matched at a word.

Words are compared three ways: the lemma of spaCy's lookup lemmatizer in the copy's language
(both tables when the language is unknown), a light stem (one common EN/ES suffix off), or, for
a ``=word`` slot, the written form only. Everything is accent- and case-folded.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from shared.creative import nlp
from shared.creative.avoid_concepts import CONCEPTS, GAP, Concept

# Marks that end a clause: a gap in a pattern never reaches across them.
_CLAUSE_ENDS = frozenset({".", "!", "?", ";", ",", ":", "¿", "¡", "…"})
_HYPHENS = re.compile(r"[-‐‑–]")
# What an entry may hold besides letters and digits and still be matched word by word (an
# apostrophe splits differently in spaCy's tokens: "don't" is "do" + "n't").
_SYMBOL = re.compile(r"[^\w\s.\-‐‑–]|_")
_LINE_WORD = re.compile(r"[^\W_]+")
# A word within a token, combining accents kept with it ("anti-edad" holds two).
_PART = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")
# Letters of a word's start that the line filter compares (see worth_reading).
START = 5
# fmt: off
_SUFFIXES = ("ciones", "ción", "cion", "ings", "ing", "edly", "ed", "ies", "es", "ly", "os", "as",
             "s", "o", "a", "e")
# fmt: on
# A derived word shares this much of the entry's stem ("miracl" -> "mirac" -> "miraculous").
_RELATED_MIN = 5


@dataclass(frozen=True)
class Alt:
    lemmas: frozenset[str]
    stem: str
    fold: str
    surface: bool  # only this written form counts ("=slimming": not "slim")


@dataclass(frozen=True)
class Slot:
    alts: tuple[Alt, ...]
    gap: int  # other words allowed before this slot


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: cheap in the hot loop
class Pattern:
    slots: tuple[Slot, ...]
    term: str
    own: bool  # the entry's own words, not a paraphrase of them
    unless_near: frozenset[str]
    # A negator is one of its words past the first ("can't sleep"): the phrase says it, it
    # does not deny the phrase.
    holds_negator: bool = False


class Word(NamedTuple):  # a named tuple: one is made per word of every line read
    start: int
    end: int
    token: int  # index of its spaCy token (a hyphenated token gives several words)
    clause: int
    lemmas: frozenset[str]
    stem: str
    fold: str


# word start -> for each pattern it may open, the starts (one of each set) it needs in the line
Triggers = dict[str, tuple[tuple[frozenset[str], ...], ...]]


@dataclass(frozen=True)
class Matcher:
    patterns: tuple[Pattern, ...]
    by_key: dict[str, tuple[Pattern, ...]]
    # (entry, stem prefix, unless_near) for "related word"
    related: tuple[tuple[str, str, frozenset[str]], ...]
    triggers: Triggers | None
    # Entries with symbols ("#1", "100%", "don't"), matched as written (case-insensitive):
    # their words alone ("1", "100") would be found everywhere.
    literals: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # Where a word of a folded line begins with a start the triggers name (None: no triggers).
    opening: re.Pattern[str] | None = None


@functools.lru_cache(maxsize=256)
def compile_list(avoid: tuple[str, ...]) -> Matcher:
    patterns: list[Pattern] = []
    related: list[tuple[str, str, frozenset[str]]] = []
    literals: list[tuple[str, re.Pattern[str]]] = []
    for term in dict.fromkeys(a.strip() for a in avoid if a.strip()):
        if _SYMBOL.search(term):
            literals.append((term, _literal(term)))
            continue
        concepts = _concepts_of(term)
        unless = frozenset(fold(w) for c in concepts for w in c.unless_near)
        # The entry is the brand's own text: its words only, never the table's pattern syntax.
        plain = " ".join(_plain_words(term))
        own = _parse(plain, nlp.LANGUAGES, term, own=True, unless=unless)
        if not own:
            continue
        patterns += own
        words = _plain_words(term)
        if len(words) == 1 and len(stem := _stem(fold(words[0]))) >= _RELATED_MIN:
            related.append((term, stem if len(stem) == _RELATED_MIN else stem[:-1], unless))
        for concept in concepts:
            patterns += [
                Pattern(p.slots, term, own=False, unless_near=unless, holds_negator=p.holds_negator)
                for p in _concept_patterns(concept)
            ]
    by_key: dict[str, list[Pattern]] = {}
    for pattern in patterns:
        for alt in pattern.slots[0].alts:
            for key in _alt_keys(alt):
                by_key.setdefault(key, []).append(pattern)
    triggers = _triggers(patterns, [prefix for _, prefix, _ in related])
    return Matcher(
        patterns=tuple(patterns),
        by_key={key: tuple(dict.fromkeys(found)) for key, found in by_key.items()},
        related=tuple(related),
        triggers=triggers,
        literals=tuple(literals),
        opening=_opening(triggers),
    )


def _opening(triggers: Triggers | None) -> re.Pattern[str] | None:
    """A word start that is one of the starts ``triggers`` names or needs."""
    if triggers is None:
        return None
    starts = set(triggers)
    starts.update(
        start
        for options in triggers.values()
        for needs in options
        for need in needs
        for start in need
    )
    if not starts:
        return None
    alternatives = "|".join(map(re.escape, sorted(starts, key=lambda s: (-len(s), s))))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})")


def _literal(term: str) -> re.Pattern[str]:
    body = r"\s+".join(map(re.escape, term.split()))
    return re.compile(rf"(?<!\w){body}(?!\w)" if term[-1].isalnum() else rf"(?<!\w){body}", re.I)


def _parse(
    phrase: str, langs: tuple[nlp.Lang, ...], term: str, own: bool, unless: frozenset[str]
) -> list[Pattern]:
    """A phrase of the concept table's syntax as patterns: itself and, for a plain phrase of
    two or three words, the words written as one ("antiaging")."""
    slots: list[Slot] = []
    gap = 0
    for chunk in _HYPHENS.sub(" ", phrase).split():
        if chunk == "*":
            gap = GAP
            continue
        surface = chunk.startswith("=")
        words = [w for w in chunk.lstrip("=").split("|") if any(c.isalnum() for c in w)]
        if words:
            slots.append(Slot(tuple(_alt(w, langs, surface) for w in words), gap))
            gap = 0
    if not slots:
        return []
    negators = {"n", "t", *(w for lang in langs for w in nlp.NEGATORS[lang])}
    holds = any(alt.fold in negators for slot in slots[1:] for alt in slot.alts)
    found = [Pattern(tuple(slots), term, own, unless, holds)]
    plain = _plain_words(phrase)
    if (
        2 <= len(plain) <= 3
        and len(plain) == len(slots)
        and "|" not in phrase
        and "*" not in phrase
    ):
        found.append(Pattern((Slot((_alt("".join(plain), langs, False),), 0),), term, own, unless))
    return found


def _alt(word: str, langs: tuple[nlp.Lang, ...], surface: bool) -> Alt:
    folded = fold(word)
    lemmas = frozenset(fold(nlp.lemma(word, lang)) for lang in langs)
    return Alt(lemmas=lemmas, stem=_stem(folded), fold=folded, surface=surface)


def _alt_keys(alt: Alt) -> Iterator[str]:
    if alt.surface:
        yield f"f:{alt.fold}"
        return
    yield f"s:{alt.stem}"
    yield from (f"l:{lemma}" for lemma in alt.lemmas)


def _concepts_of(term: str) -> list[Concept]:
    """The concepts one of whose phrases is the whole entry ("anti-aging", "Milagros",
    "antiedad"): the entry read as copy, matched by the concept's own patterns."""
    words = split_words(nlp.tokens(term, "en"), nlp.LANGUAGES)
    return [
        concept
        for concept in CONCEPTS
        if any(
            match_at(words, pattern, 0, 0) == len(words) - 1
            for pattern in _concept_patterns(concept)
        )
    ]


@functools.cache
def _concept_patterns(concept: Concept) -> tuple[Pattern, ...]:
    parsed: list[Pattern] = []
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


def _triggers(patterns: list[Pattern], related: list[str]) -> Triggers | None:
    """What a line must hold to be worth tokenising, by the start of one of each pattern's
    words: that start, then every word start the pattern needs. None when some pattern needs
    no start at all (then every line is tokenised)."""
    triggers: dict[str, list[tuple[frozenset[str], ...]]] = {}
    for prefix in related:
        triggers.setdefault(prefix[:START], []).append((frozenset({prefix[:START]}),))
    for pattern in patterns:
        needs = tuple(starts for slot in pattern.slots if (starts := _slot_starts(slot)))
        if not needs:
            return None
        for start in min(needs, key=len):
            triggers.setdefault(start, []).append(needs)
    return {start: tuple(dict.fromkeys(needs)) for start, needs in triggers.items()}


def _slot_starts(slot: Slot) -> frozenset[str]:
    """How the slot's words begin as written, empty when one of them is too short to tell
    (a word of three letters or fewer: "be" and "ser" are written "is" and "es"; a start under
    three letters: "aging" and "age" share only "ag"): the lemma and stem share the start
    of regular forms ("lose", "los" -> "lost"); irregular ones are listed in the table
    ("perder|pierde")."""
    starts = frozenset(
        alt.fold[:START] if alt.surface else _regular_start(_common_start([alt.stem, *alt.lemmas]))
        for alt in slot.alts
    )
    short = min(len(alt.fold) for alt in slot.alts) <= 3 or min(map(len, starts)) < 3
    return frozenset() if short else starts


def worth_reading(matcher: Matcher, text: str) -> bool:
    """Whether ``text`` holds the word starts one of the patterns needs (cheap: no tokenising)."""
    if matcher.triggers is None:
        return True
    if matcher.opening is None:
        return False
    # The starts of the words that open with a start the triggers know (the rest could only
    # add starts no trigger asks for): found by one scan, not word by word.
    starts: set[str] = set()
    folded = fold_line(text)
    for found in matcher.opening.finditer(folded):
        word = _LINE_WORD.match(folded, found.start())
        if word is not None:
            starts.update(word.group()[:size] for size in range(3, START + 1))
    return any(
        all(need & starts for need in needs)
        for start in matcher.triggers.keys() & starts
        for needs in matcher.triggers[start]
    )


def _regular_start(start: str) -> str:
    """All but the last letter, which inflection may change ("defy" -> "defies")."""
    return start[: max(3, min(START, len(start) - 1))]


def _common_start(words: list[str]) -> str:
    first = min(words)
    last = max(words)
    size = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), None)
    return first if size is None else first[:size]


def split_words(toks: Sequence[nlp.Token], langs: tuple[nlp.Lang, ...]) -> list[Word]:
    """The word tokens, a hyphenated token split in its parts ("anti-edad"), each with the
    clause it stands in; hyphens and other symbols between words are dropped."""
    words: list[Word] = []
    clause = 0
    for index, tok in enumerate(toks):
        if tok.text in _CLAUSE_ENDS:
            clause += 1
            continue
        for part in _PART.finditer(tok.text):
            lemmas, stem, folded = _keys(part.group().lower(), langs)
            start = tok.start + part.start()
            words.append(
                Word(start, start + len(part.group()), index, clause, lemmas, stem, folded)
            )
    return words


@functools.lru_cache(maxsize=65536)
def _keys(lower: str, langs: tuple[nlp.Lang, ...]) -> tuple[frozenset[str], str, str]:
    folded = fold(lower)
    return frozenset(fold(nlp.lemma(lower, lang)) for lang in langs), _stem(folded), folded


def match_at(words: list[Word], pattern: Pattern, k: int, i: int) -> int | None:
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
        end = match_at(words, pattern, k + 1, j)
        if end is not None:
            return end
    return None


def _fits(word: Word, slot: Slot) -> bool:
    return any(
        word.fold == alt.fold if alt.surface else word.stem == alt.stem or word.lemmas & alt.lemmas
        for alt in slot.alts
    )


def near(words: list[Word], first: int, last: int, unless: frozenset[str]) -> bool:
    """Whether one of ``unless`` stands within two words before or one after, same clause."""
    if not unless:
        return False
    around = words[max(0, first - 2) : first] + words[last + 1 : last + 2]
    return any(w.fold in unless and w.clause == words[first].clause for w in around)


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _stem(folded: str) -> str:
    """A light EN/ES stem: one common suffix off, at least 3 letters kept ("wrinkles" and
    "wrinkle" -> "wrinkl", "arrugas" -> "arrug")."""
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)]
    return folded


def fold_line(text: str) -> str:
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
