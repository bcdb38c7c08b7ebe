"""Lexicon-and-structure matching: where a language's structures (lexicon.py) match a text.

One spaCy pass per text: the Doc (NORM = lemma) goes through the lexicon's PhraseMatchers, each
concept's hits are indexed by token, and only the structures whose first concept is present are
walked. A match is a finding, or a doubt for the model check when its trigger is denied or an
exception word is beside it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

from shared.creative import nlp
from shared.creative.policy.lexicon import Lexicon, Slot, Structure, lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Hit", "concept_spans", "find", "lexicon", "triggered"]

_SENTENCE_ENDS = frozenset({".", "!", "?", ";", "\n", "…"})
_OPENERS = frozenset({"¿", "¡", '"', "“", "'", "(", "-", "–", "—"})
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*(?:[kK])?$")
_MULTIPLE = re.compile(r"^(?:[xX×]\d+|\d+[xX×])$")  # "50x", "x100": a return multiple
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
# "-est" words whose lemma differs but that state no superiority claim.
_NOT_SUPERLATIVE = frozenset({"latest", "nearest", "earliest", "newest", "least", "last", "best"})


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int  # character offsets into the text
    end: int
    # Why the match is not a finding: "" (it is one), "negated" (its trigger is denied: "no
    # guaranteed returns") or "exception" (an unless_near word: "massage gun"). Either is a case
    # for the model check.
    doubt: str = ""


def find(text: str, language: nlp.Lang, evidenced: bool) -> list[Hit]:
    """Every rule match in ``text``: kept ones and, flagged ``negated``, denied ones."""
    lex = lexicon(language)
    toks, hits = _analyse(text, lex, language)
    present = hits.keys()
    candidates = {id(s): s for name in present for s in lex.by_first.get(name, ())}
    found: list[Hit] = []
    for structure in candidates.values():
        if structure.unless_evidence and evidenced:
            continue
        if any(present.isdisjoint(names) for names in structure.needs):
            continue  # a concept it needs is absent
        for path in _matches(structure, hits, toks):
            first, last = path[0], path[-1]
            if structure.question and not toks.in_question(max(first[0], last[1] - 1)):
                continue
            doubt = ""
            if _excepted(structure, hits, toks, path):
                doubt = "exception"
            elif any(
                _denied(toks, path[i][0], path[i][1], structure, language) for i in structure.negate
            ):
                doubt = "negated"
            found.append(Hit(structure.rule, toks[first[0]].start, toks[last[1] - 1].end, doubt))
    return found


# A concept read on its own is denied the way a plain rule's slot is: no list-wide negation.
_PLAIN = Structure(rule="", pattern="", slots=())


def triggered(text: str, language: nlp.Lang) -> list[tuple[str, int, int]]:
    """(rule, start, end) of each trigger concept of a rule found in ``text``, not denied ("No
    betting, no odds, just football" names no gambling)."""
    lex = lexicon(language)
    toks, hits = _analyse(text, lex, language)
    return sorted(
        (rule, toks[start].start, toks[ends[0] - 1].end)
        for rule, names in lex.triggers.items()
        for name in names
        for start, ends in hits.get(name, {}).items()
        if not _denied(toks, start, ends[0], _PLAIN, language)
    )


def quieted(text: str, language: nlp.Lang, rule: str) -> bool:
    """Whether ``text`` holds a concept that frames ``rule``'s words as something else."""
    names = lexicon(language).quiet.get(rule, ())
    if not names:
        return False
    _, hits = _analyse(text, lexicon(language), language)
    return any(hits.get(name) for name in names)


def concept_spans(text: str, language: nlp.Lang, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the named concepts in ``text``, not denied ("sin alcohol") and not
    excused where the lexicon's rule of that one concept excuses it ("cosmética sin receta": the
    rule ``NO_RX`` is not a finding near ``OTC``)."""
    lex = lexicon(language)
    toks, hits = _analyse(text, lex, language)
    return sorted(
        (toks[start].start, toks[end - 1].end)
        for name in names
        for start, ends in hits.get(name, {}).items()
        for end in ends
        if not _denied(toks, start, end, _PLAIN, language)
        and not any(_near(hits, near, start, end, toks) for near in lex.excuses.get(name, ()))
    )


def _analyse(
    text: str, lex: Lexicon, language: nlp.Lang
) -> tuple[_Tokens, dict[str, dict[int, list[int]]]]:
    """The tokens of ``text`` and where each concept is: concept -> start token -> end tokens
    (one pass over the tokens builds both)."""
    doc = nlp.doc(text, language)
    strings = doc.vocab.strings
    hits: dict[str, dict[int, list[int]]] = {}
    for match_id, start, end in [*lex.matcher(doc), *lex.exact(doc)]:
        hits.setdefault(strings[match_id], {}).setdefault(start, []).append(end)
    words = [t.text for t in doc]
    for i, word in enumerate(words):
        kind = _builtin(word, language)
        if kind:
            hits.setdefault(kind, {}).setdefault(i, []).append(i + 1)
    # where sentences start, for "^": after a sentence end or a colon, openers ("¿") skipped
    starts: dict[int, list[int]] = {}
    after_end = True
    for i, word in enumerate(words):
        if after_end and (word in _OPENERS or not word.strip()):
            continue
        if after_end:
            starts[i] = [i]
        after_end = word in _SENTENCE_ENDS or word == ":"
    hits["^"] = starts
    toks = _Tokens(doc, language, words)
    return toks, hits


class _Tokens(Sequence[nlp.Token]):
    """A doc's tokens as :class:`nlp.Token`, each made when first read: the walk reads a few
    around each concept hit, not the whole line."""

    def __init__(self, doc: Doc, language: nlp.Lang, words: list[str]) -> None:
        self._doc = doc
        self._language = language
        self._made: dict[int, nlp.Token] = {}
        self.words = words
        self._questions: list[bool] | None = None

    def in_question(self, index: int) -> bool:
        """Whether token ``index`` is in a question: its sentence ends in "?" or has a "¿"
        (every sentence worked out in one pass, on first use)."""
        if self._questions is None:
            flags: list[bool] = []
            begin, opened = 0, False
            for i, word in enumerate(self.words):
                opened = opened or word == "¿"
                if word in _SENTENCE_ENDS:
                    flags.extend([word == "?" or opened] * (i + 1 - begin))
                    begin, opened = i + 1, False
            flags.extend([opened] * (len(self.words) - begin))
            self._questions = flags
        return self._questions[index]

    def __len__(self) -> int:
        return len(self._doc)

    @overload
    def __getitem__(self, index: int) -> nlp.Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[nlp.Token]: ...

    def __getitem__(self, index: int | slice) -> nlp.Token | list[nlp.Token]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        made = self._made.get(index)
        if made is None:
            t = self._doc[index]
            made = nlp.Token(
                t.text, t.lower_, t.norm_, t.idx, t.idx + len(t.text), t.is_stop, t.like_num
            )
            self._made[index] = made
        return made


@functools.lru_cache(maxsize=65536)
def _builtin(word: str, language: nlp.Lang) -> str:
    """The builtin concept a word is ("NUM", "CLOCK"...), or ""."""
    if _NUMBER.match(word):
        return "NUM"
    if _MULTIPLE.match(word):
        return "MULT_NUM"
    if _CLOCK.match(word):
        return "CLOCK"
    lower = word.lower()
    lex = nlp.tokenizer(language).vocab[word]
    if lex.like_num:
        return "NUM"
    if language == "en" and _superlative(lower, nlp.lemma(lower, language)):
        return "SUPERLATIVE"
    return ""


def _superlative(lower: str, lemma: str) -> bool:
    return (
        len(lower) > 5
        and lower.endswith("est")
        and lemma != lower
        and lower not in _NOT_SUPERLATIVE
        and lower.isalpha()
    )


Path = tuple[tuple[int, int], ...]  # (start token, end token) per slot; gaps and ^ included


def _matches(
    structure: Structure, hits: dict[str, dict[int, list[int]]], toks: Sequence[nlp.Token]
) -> Iterator[Path]:
    slots = structure.slots
    first = slots[1] if slots[0].kind == "start" else slots[0]
    if first.kind == "gap":  # "^ ~2 NAME": any sentence start
        starts = set(hits["^"])
    else:
        starts = {start for name in first.names for start in hits.get(name, {})}
    for start in sorted(starts):
        yield from _walk(slots, 0, start, (), hits, toks)


def _walk(
    slots: tuple[Slot, ...],
    i: int,
    pos: int,
    path: Path,
    hits: dict[str, dict[int, list[int]]],
    toks: Sequence[nlp.Token],
) -> Iterator[Path]:
    if i == len(slots):
        yield path
        return
    slot = slots[i]
    if slot.kind == "start":
        if pos in hits["^"]:
            yield from _walk(slots, i + 1, pos, (*path, (pos, pos)), hits, toks)
    elif slot.kind == "end":
        if _clause_goes_on(toks, pos):
            return
        yield from _walk(slots, i + 1, pos, (*path, (pos, pos)), hits, toks)
    elif slot.kind == "gap":
        for size in range(slot.size + 1):
            if pos + size > len(toks):
                break
            if size and not slot.names and toks[pos + size - 1].text in _SENTENCE_ENDS:
                break
            yield from _walk(slots, i + 1, pos + size, (*path, (pos, pos + size)), hits, toks)
    else:
        for name in slot.names:
            for end in hits.get(name, {}).get(pos, ()):
                yield from _walk(slots, i + 1, end, (*path, (pos, end)), hits, toks)


def _clause_goes_on(toks: Sequence[nlp.Token], pos: int) -> bool:
    """The word at ``pos`` carries the phrase on ("a single click", "diabetes-friendly")."""
    if pos >= len(toks):
        return False
    token = toks[pos]
    if token.text in {"-", "–"}:
        return True
    return any(c.isalnum() for c in token.text) and not token.is_stop


def _around(
    hits: dict[str, dict[int, list[int]]], near: tuple[str, int], start: int, end: int
) -> bool:
    """Concept ``near[0]`` starts within ``near[1]`` tokens of start..end, whatever lies between."""
    name, window = near
    found = hits.get(name, {})
    return any(at in found for at in range(max(0, start - window), end + window))


def _excepted(
    structure: Structure, hits: dict[str, dict[int, list[int]]], toks: _Tokens, path: Path
) -> bool:
    """Whether the match ``path`` is an exception: an unless_near word beside it ("massage
    gun"), or no only_near word near a copy that is about something else (see lexicon.py)."""
    start, end = path[0][0], path[-1][1]
    if any(_near(hits, near, start, end, toks) for near in structure.unless_near):
        return True
    return bool(
        structure.only_near
        and not _around(hits, structure.only_near, start, end)
        and _about_else(toks, structure, path)
    )


# Content words, not the rule's own, that show the copy is about something of its own.
ABOUT_ELSE_WORDS = 3


def _about_else(toks: _Tokens, structure: Structure, path: Path) -> bool:
    """Whether the text names a subject of its own: at least ABOUT_ELSE_WORDS content words
    (letters only, four or more, not stop words) outside the concepts the rule matched. "Semana
    1 frente a semana 10: mira el cambio" names none (read as the person it shows); "semana 1 →
    semana 12 del huerto en el balcón, de semillas a tomates" names a garden, and "my progress
    learning Spanish after 90 days" a language."""
    own = {
        i
        for slot, (a, b) in zip(structure.slots, path, strict=True)
        if slot.kind == "concept"
        for i in range(a, b)
    }
    content = 0
    for i, word in enumerate(toks.words):
        if i not in own and len(word) >= 4 and word.isalpha() and not toks[i].is_stop:
            content += 1
            if content >= ABOUT_ELSE_WORDS:
                return True
    return False


def _near(
    hits: dict[str, dict[int, list[int]]],
    near: tuple[str, int],
    start: int,
    end: int,
    toks: _Tokens,
) -> bool:
    """Concept ``near[0]`` is inside start..end, or within ``near[1]`` tokens of it with no
    sentence end between them (a mark inside the match itself, "vs.", does not part them;
    looked up around the match: a long text with many hits stays linear)."""
    name, window = near
    found = hits.get(name, {})
    for at in range(max(0, start - window), end + window):
        for stop in found.get(at, ()):
            if start <= at and stop <= end:
                return True
            if stop <= end + window:
                between = toks.words[min(at, start) : start] + toks.words[end : max(stop, end)]
                if not any(word in _SENTENCE_ENDS for word in between):
                    return True
    return False


def _denied(
    toks: Sequence[nlp.Token], start: int, end: int, structure: Structure, language: nlp.Lang
) -> bool:
    """Slot tokens start..end are denied: a negator before them, or an affix that makes the
    word its absence ("smoke-free", "alcohol free", "non-alcoholic", "libre de humo")."""
    if nlp.negated(
        toks,
        start,
        language,
        through_commas=structure.negate_lists,
        window=12 if structure.negate_lists else nlp.NEGATION_WINDOW,
    ):
        return True
    after = [t.lower for t in toks[end : end + 2]]
    before = [t.lower for t in toks[max(0, start - 2) : start]]
    return (
        after[:2] == ["-", "free"]
        or after[:1] == ["free"]
        or after[:1] == ["-free"]
        or before[-2:] == ["non", "-"]
        or before[-2:] == ["-", "free"]
        or before[-1:] == ["non"]
        or before[-2:] == ["libre", "de"]
        or before[-2:] == ["libres", "de"]
    )
