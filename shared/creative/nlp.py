"""Tokens, lemmas and negation for English and Spanish ad copy, from spaCy.

spaCy's trained pipelines are not on the package index this project installs from, so each
language is a blank pipeline (spaCy's own rule-based tokenizer, which knows "don't", "¿", "20%")
and lemmas come from the lookup table of ``spacy-lookups-data`` (the table spaCy's lookup
lemmatizer loads, read as a dict): "losing" -> "lose", "deudas" -> "deuda", "ansiosa" ->
"ansioso". The tables list lower-case forms, so the lemma is looked up on the lower-cased token
("Are" -> "be").

A tokenizer and table are built on first use per language and shared after that.
Nothing here runs at import time.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

if TYPE_CHECKING:
    from spacy.language import Language as SpacyLanguage
    from spacy.tokens import Doc

Lang = Literal["en", "es"]
T = TypeVar("T")
LANGUAGES: tuple[Lang, ...] = ("en", "es")

# Words that deny what follows within NEGATION_WINDOW tokens ("not", "never", "no", "without";
# "no", "nunca", "sin", "ni", "jamás"), compared on the lemma.
NEGATORS: dict[Lang, frozenset[str]] = {
    "en": frozenset({"not", "no", "never", "without", "nor", "neither", "nothing", "none"}),
    "es": frozenset(
        {"no", "nunca", "jamás", "jamas", "sin", "ni", "tampoco", "nada", "ningún", "ningun"}
        | {"ninguno"}
    ),
}
# Accents a writer may leave out ("dias", "rapido", "depresion"): folded away in the NORM that
# the policy matchers read, on both the text and the lexicon, so either spelling matches. The
# "ñ" stays ("año" is not "ano").
_FOLD = str.maketrans("áéíóúüàèìòùÁÉÍÓÚÜÀÈÌÒÙ", "aeiouuaeiouAEIOUUAEIOU")
NEGATION_WINDOW = 3
# Clause ends for negation: a negator's reach stops at them ("No sugar. Cures colds" is not
# "no cure"); a list's commas are crossed only when the caller asks (``through_commas``).
_CLAUSE_ENDS = frozenset({".", "!", "?", ";", ":", "¿", "¡", "\n"})

# English contractions the lookup table leaves as written ("'re" is not in it): what they stand
# for, so "you're" matches "you are" and "won't" carries "will" and "not".
# Words the Spanish lookup table reads as forms of a verb that ads almost never mean: "para"
# (parir, to give birth), "casa" (casar, to marry), "listo" (listar), "como" (comer), "dos" (do),
# "entre" (entrar), "bajo" (bajar)... Read as themselves, "Prepara tu casa para el invierno" says
# nothing about the reader's relationship status (a false personal-attribute finding, found
# from outside). Prepositions, adverbs, numerals and the nouns and adjectives people mean.
_AS_WRITTEN: dict[Lang, frozenset[str]] = {
    "en": frozenset(),
    "es": frozenset(
        [
            "para",
            "como",
            "bajo",
            "entre",
            "sobre",
            "así",
            "adelante",
            "arriba",
            "apenas",
            "demasiado",
            "encima",
            "enfrente",
            "dos",
            "cinco",
            "casa",
            "casas",
            "listo",
            "lista",
            "listos",
            "listas",
            "cara",
            "caras",
            "vino",
        ]
    ),
}

_CONTRACTIONS: dict[Lang, dict[str, str]] = {
    "en": {
        "'re": "be",
        "’re": "be",
        "'m": "be",
        "’m": "be",
        "'ll": "will",
        "’ll": "will",
        "'ve": "have",
        "’ve": "have",
        "wo": "will",
        "ca": "can",
        "n’t": "not",
        # chat spellings ("ur last checkup", "u just cover", "b4 vs after")
        "u": "you",
        "ur": "your",
        "b4": "before",
    },
    # Chat spellings of Spanish function words, common in ad copy typed on a phone ("sin q
    # nadie se entere", "xq funciona", "pa ti"): read as the words they stand for.
    "es": {
        "q": "que",
        "xq": "porque",
        "pq": "porque",
        "porq": "porque",
        "pa": "para",
        "tmb": "también",
        "tb": "también",
        "x": "por",
    },
}


class Token(NamedTuple):
    """One token: its text as written, lower-cased form, lemma, and character offsets.

    A named tuple: every check of every line makes one per word, several times over, and a
    tuple is made five times faster than a frozen dataclass."""

    text: str
    lower: str
    lemma: str
    start: int
    end: int
    is_stop: bool
    like_num: bool


def built_once(build: Callable[[Lang], T]) -> Callable[[Lang], T]:
    """``build`` run once per language, whatever the threads: a bare functools.cache lets two
    threads that start together build two pipelines, each with its own vocabulary, and a doc of
    one read by a matcher of the other fails (spaCy E018, "can't retrieve string for hash") or
    silently misses lemmas (the queue's workers run steps on threads)."""
    cached = functools.cache(build)
    lock = threading.Lock()

    @functools.wraps(build)
    def once(language: Lang) -> T:
        with lock:
            return cached(language)

    return once


_SPACY_IMPORT = threading.Lock()


def import_spacy() -> None:
    """Import spaCy and the parts of it adloop uses, on one thread at a time. Two threads that
    import different parts of it at once (the warm-up's stop words, a worker's matcher) can
    each meet it half-initialised: its compiled modules import one another in a cycle, and
    Python's per-module import locks let the second thread see the first one's partial module
    ("cannot import name ... from partially initialized module", KeyError 'spacy'). Call this
    before any ``from spacy... import``; after the first call it costs a lock."""
    with _SPACY_IMPORT:
        import spacy.lang.en.stop_words
        import spacy.lang.es.stop_words
        import spacy.matcher
        import spacy.tokens  # noqa: F401 - imported for its side effect: spaCy whole


@built_once
def tokenizer(language: Lang) -> SpacyLanguage:
    """The blank ``language`` pipeline (its tokenizer and vocabulary): what :func:`doc` and
    :func:`tokens` use, lemmas coming from :func:`lemma`. Without spaCy's lemmatizer pipe it
    starts in a fraction of a second, which matters to a CLI run."""
    import_spacy()
    import spacy

    blank = spacy.blank(language)
    if language == "es":
        # spaCy's Spanish tokenizer keeps "40%" whole where its English one splits off the "%":
        # every "NUM PERCENT" rule missed Spanish copy that writes the sign without a space.
        from spacy.tokenizer import Tokenizer

        suffixes = [*(blank.Defaults.suffixes or ()), r"(?<=[0-9])%"]
        assert isinstance(blank.tokenizer, Tokenizer)
        blank.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    return blank


@built_once
def _table(language: Lang) -> dict[str, str]:
    """The lemma lookup table of spacy-lookups-data, read as the plain dict it is stored as
    (``data/<lang>_lemma_lookup.json.gz``: the file spaCy's lookup lemmatizer loads). spaCy's
    own Table is built key by key with hashing, about a second for Spanish; the dict is read
    in a third of that."""
    import spacy_lookups_data
    import srsly

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{language}_lemma_lookup.json.gz"
    table: dict[str, str] = srsly.read_gzip_json(path)
    return table


@functools.lru_cache(maxsize=65536)
def lemma(word: str, language: Lang) -> str:
    """The lookup lemma of one word (lower-cased; the word itself when the table lacks it)."""
    lower = word.lower()
    if lower in _CONTRACTIONS[language]:
        return _CONTRACTIONS[language][lower]
    if lower in _AS_WRITTEN[language]:
        return lower
    found = _table(language).get(lower)
    return found if isinstance(found, str) else lower


def fold(word: str) -> str:
    """``word`` without the accents on its vowels ("días" -> "dias"; "ñ" kept)."""
    return word.translate(_FOLD)


@functools.cache
def _folded(language: Lang) -> dict[str, str]:
    """The lookup table keyed by its accented words written without accents ("dias" -> "día"),
    for words the table lacks as written. Built once (a fraction of a second), before forking."""
    table = _table(language)
    # Only a word with a letter past ASCII can fold: testing that first skips nine folds in ten.
    return {
        f: lemma_
        for word, lemma_ in table.items()
        if not word.isascii() and (f := fold(word)) != word
    }


@functools.lru_cache(maxsize=65536)
def norm(word: str, language: Lang) -> str:
    """The lemma with its accents folded, for matching: "días", "dias" and "día" -> "dia". A
    word the table lacks as written is looked up without its accents, or as its accented form
    would be."""
    lower = word.lower()
    found = lemma(lower, language)
    if found == lower and lower not in _table(language) and lower not in _CONTRACTIONS[language]:
        # "dias" (the table has "días"), "bajá" (Rioplatense voseo; the table has "baja")
        folded = fold(lower)
        found = _table(language).get(folded) or _folded(language).get(folded, lower)
    return fold(found)


# The checks of one text (rules, learned check, claims) each read its tokens: the last texts'
# docs and tokens are kept, so a text is tokenised once per language, not once per check.
_RECENT_TEXTS = 32


@functools.lru_cache(maxsize=_RECENT_TEXTS)
def doc(text: str, language: Lang) -> Doc:
    """``text`` as a spaCy Doc whose NORM is the lower-cased lookup lemma, accents folded
    (:func:`norm`), so that spaCy's
    Matcher and PhraseMatcher built with ``attr="NORM"`` match any inflection ("cured",
    "curing" -> "cure"; "deudas" -> "deuda") of a pattern lemmatised the same way.

    The norm is set once per word on the vocabulary's lexeme (a token without its own norm
    reads its lexeme's), not on every token of every doc: the vocabulary is :func:`tokenizer`'s
    alone."""
    made = make_doc(text, language)
    normed = _normed(language)
    for t in made:
        if t.orth not in normed:
            t.lex.norm_ = norm(t.lower_, language)
            normed.add(t.orth)
    if "'" in text or "’" in text:
        # The tokenizer's exceptions give contractions a norm of their own ("'re" -> "are",
        # "wo" -> "will"), which would hide the lexeme's: set the lemma on those tokens.
        for t in made:
            if t.norm_ != t.lex.norm_:
                t.norm_ = norm(t.lower_, language)
    return made


@built_once
def _normed(language: Lang) -> set[int]:
    """The words of the language's vocabulary whose lexeme norm is already the lemma."""
    return set()


# spaCy's tokenizer splits suffixes off a token one at a time, each time trying every suffix
# rule: a run of thousands of "$" or "!" costs seconds, quadratically (an outside attack stalled
# lint-copy with one such line), and so does a run of different marks: emoji joined by
# zero-width joiners ("👨‍👩‍👧‍👦" is seven code points), flags, combining accents. A run
# of marks longer than RUN is cut into pieces by a space put in place of one of its marks: the
# text keeps its length, so every offset still indexes the caller's text.
RUN = 16
_LONG_RUN = re.compile(rf"[^\w\s]{{{RUN + 1},}}")


def make_doc(text: str, language: Lang) -> Doc:
    """The tokenizer's Doc of ``text`` with long runs of marks cut (offsets unchanged)."""
    if _LONG_RUN.search(text):
        text = _LONG_RUN.sub(lambda m: _cut(m.group()), text)
    return tokenizer(language).make_doc(text)


def _cut(run: str) -> str:
    return "".join(" " if i % (RUN + 1) == RUN else c for i, c in enumerate(run))


@functools.lru_cache(maxsize=_RECENT_TEXTS)
def tokens(text: str, language: Lang) -> tuple[Token, ...]:
    """``text`` as tokens with lemmas; offsets index into ``text``."""
    return tuple(from_doc(doc(text, language), language))  # the rules' tokenisation, shared


def from_doc(made: Doc, language: Lang) -> list[Token]:
    """The tokens of a Doc made by :func:`doc` or the tokenizer's ``make_doc``."""
    return [
        Token(
            text=t.text,
            lower=t.lower_,
            lemma=lemma(t.lower_, language),
            start=t.idx,
            end=t.idx + len(t.text),
            is_stop=t.is_stop,
            like_num=t.like_num,
        )
        for t in made
    ]


def negated(
    toks: Sequence[Token],
    index: int,
    language: Lang,
    *,
    window: int = NEGATION_WINDOW,
    through_commas: bool = False,
) -> bool:
    """Whether token ``index`` is denied by a negator among the ``window`` tokens before it, in
    the same clause: a sentence mark, or a comma unless ``through_commas`` (a list: "not
    intended to diagnose, treat, cure or prevent"), in between ends the reach."""
    for back in range(index - 1, max(-1, index - 1 - window), -1):
        word = toks[back]
        if word.text in _CLAUSE_ENDS or (word.text == "," and not through_commas):
            return False
        if word.lemma in NEGATORS[language] or word.lower in {"n't", "nt"}:
            return True
    return False
