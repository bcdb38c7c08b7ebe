"""Finding the checkable claims in a piece of copy (see shared/creative/claims/__init__.py)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from shared.creative import nlp
from shared.creative.claims import patterns, words

# Web addresses: their digits are a path, not a claim.
_DOMAIN_ENDS = r"(?:com|net|org|io|co|app|shop|store|example|es|mx|us)\b"
_URL = re.compile(
    rf"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.{_DOMAIN_ENDS}(?:/\S*)?", re.IGNORECASE
)
# What every web address _URL finds holds: a cheap scan first, the full one only then.
_URL_MARK = re.compile(rf"://|www\.|\.{_DOMAIN_ENDS}", re.IGNORECASE)
# Kinds read on words (so negation applies: "won't sting", "not free", "sin garantía").
WORD_KINDS = frozenset(
    {"comparative", "superlative", "health", "body", "money", "guarantee", "discount", "timeframe"}
)
# Words that end a claim verb's object ("reduces redness in 7 days": the object is "redness").
_OBJECT_ENDS = words.word_set(
    "in within for with after during and or but while than to at on by en durante con tras "
    "y e o pero mientras que para por a"
)
_OBJECT_WORDS = 4  # a verb's object: at most this many words after it


@dataclass(frozen=True)
class Claim:
    """One checkable claim: its kind, the exact words (``text[start:start + len(span)]``)."""

    kind: str
    span: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.span)


# Characters that show nothing but split a word for a pattern ("sev\u00adven days"): soft
# hyphen, zero-width space/joiners, word joiner, byte-order mark.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def extract(text: str, language: str, *, names: Sequence[str] = ()) -> list[Claim]:
    """Every checkable claim in ``text`` (written in ``language``), in text order, none
    overlapping. Numbers inside a web address or inside one of ``names`` (the product's, the
    brand's) are not claims. Invisible characters hide no claim: they are read past, and each
    span is still the exact words of ``text``, invisible characters included."""
    if _INVISIBLE.search(text) is None:
        return _extract(text, language, names)
    # A zero-width space parts words ("seven\u200bdays" reads "seven days"); the rest join.
    kept = [i for i, c in enumerate(text) if c == "\u200b" or not _INVISIBLE.match(c)]
    seen = "".join(" " if text[i] == "\u200b" else text[i] for i in kept)
    claims = []
    for claim in _extract(seen, language, names):
        start, end = kept[claim.start], kept[claim.end - 1] + 1
        claims.append(Claim(claim.kind, text[start:end], start))
    return claims


def _extract(text: str, language: str, names: Sequence[str]) -> list[Claim]:
    lang: nlp.Lang = "es" if language == "es" else "en"
    # Tokens (a spaCy pass) only when a claim word or a denial is there to read: most lines
    # of copy are read on the patterns alone, which keeps lint-copy fast.
    toks: Sequence[nlp.Token] | None = None
    found: list[tuple[int, int, int, str]] = []  # start, -length, priority, kind
    numbered = patterns.numberish(lang).search(text) is not None
    scanned, compiled = patterns.scan(text, lang)  # same offsets as text
    for priority, (kind, pattern) in enumerate(compiled):
        if kind in patterns.NUMBER_KINDS and not numbered:
            continue
        for match in pattern.finditer(scanned):
            start, end = _trim(text, match.start(), match.end())
            if end <= start:
                continue
            if kind in WORD_KINDS and _may_be_denied(text, start, lang):
                toks = nlp.tokens(text, lang) if toks is None else toks
                if _denied(toks, start, lang):
                    continue
            found.append((start, start - end, priority, kind))
    if _may_hold_claim_words(text, lang):
        found.extend(_word_claims(nlp.tokens(text, lang) if toks is None else toks, lang))
    if not found:
        return []
    blocked = _blocked(text, names)
    claims: list[Claim] = []
    reach = 0
    for start, negative_length, _, kind in sorted(found):
        end = start - negative_length
        if start < reach or any(s < end and start < e for s, e in blocked):
            continue
        claims.append(Claim(kind, text[start:end], start))
        reach = end
    return claims


_WORD = re.compile(r"[^\W\d_]+")


def _may_hold_claim_words(text: str, lang: nlp.Lang) -> bool:
    """Whether a word of ``text`` is a claim verb, result adjective or body noun (by lemma or
    as written), so that reading its tokens may find a word claim."""
    triggers = words.triggers(lang)
    return any(w in triggers or nlp.lemma(w, lang) in triggers for w in _WORD.findall(text.lower()))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "%$€£★"):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _may_be_denied(text: str, start: int, lang: nlp.Lang) -> bool:
    """Whether a negator is among the few words before ``start`` (then the tokens decide)."""
    before = text[max(0, start - 40) : start].lower()
    return (
        "n't" in before
        or "n’t" in before
        or any(w in nlp.NEGATORS[lang] for w in _WORD.findall(before))
    )


def _denied(toks: Sequence[nlp.Token], start: int, lang: nlp.Lang) -> bool:
    index = next((i for i, t in enumerate(toks) if t.end > start), None)
    return index is not None and nlp.negated(toks, index, lang)


# Phone numbers ("555-0100", "(55) 1234 5678"): a way to call, not a claim.
_PHONE = re.compile(r"(?<![\w.])(?:\+?\d{1,3}[\s.-])?(?:\(\d{2,4}\)\s?)?\d{3,4}[\s.-]\d{4}\b")


def _blocked(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    # Every web address holds "://", "www." or a dot before its domain's ending, every phone
    # number a digit: most copy is spared the scans.
    scans: list[re.Pattern[str]] = [_URL] if _URL_MARK.search(text) else []
    if any(c.isdigit() for c in text):
        scans.append(_PHONE)
    spans = [(m.start(), m.end()) for rx in scans for m in rx.finditer(text)]
    lower = text.lower()
    for needle in _needles(tuple(names)):
        at = lower.find(needle)
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = lower.find(needle, at + 1)
    return spans


@functools.lru_cache(maxsize=64)
def _needles(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(part for name in names for part in _name_parts(name))


def _name_parts(name: str) -> list[str]:
    """The name, and each pair of its words that holds a digit ("Serum 24 by Lab 7": "serum 24",
    "24 by", "lab 7"), since copy often names a product by part of its name."""
    name_words = name.lower().split()
    parts = [" ".join(name_words)] if len(name.strip()) >= 2 else []
    for first, second in zip(name_words, name_words[1:], strict=False):
        if any(c.isdigit() for c in first + second):
            parts.append(f"{first} {second}")
    return parts


_LATE = 1000  # word claims rank after every pattern of the same start and length


def _word_claims(toks: Sequence[nlp.Token], lang: nlp.Lang) -> list[tuple[int, int, int, str]]:
    """Claim verbs acting on a body, health or money target, and result promises."""
    found = []
    for i, tok in enumerate(toks):
        end = _result_promise(toks, i, lang)
        kind = "body"
        if end is None:
            kind, end = _claim_verb(toks, i, lang)
        if end is not None and not nlp.negated(toks, i, lang):
            found.append((tok.start, tok.start - end, _LATE, kind))
    return found


def _result_promise(toks: Sequence[nlp.Token], i: int, lang: nlp.Lang) -> int | None:
    """The end of "bright even skin" (English: adjectives then the body noun) or "piel
    luminosa" (Spanish: the noun then adjectives), starting at token ``i``, or None."""
    adjectives, nouns = words.RESULT_ADJ[lang], words.BODY_NOUNS[lang]
    first, wanted = (adjectives, nouns) if lang == "en" else (nouns, adjectives)
    key = toks[i].lower if lang == "en" else toks[i].lemma
    if key not in first:
        return None
    for tok in toks[i + 1 : i + 4]:
        word = tok.lower if lang == "en" else tok.lemma
        if (tok.lemma if lang == "en" else word) in wanted:
            return tok.end
        if not (
            word in first
            or word in adjectives
            or tok.text in {"-", ","}
            or word in {"and", "y", "e", "más", "more", "looking"}
        ):
            return None
    return None


def _claim_verb(toks: Sequence[nlp.Token], i: int, lang: nlp.Lang) -> tuple[str, int | None]:
    tok = toks[i]
    strong = words.STRONG[lang].get(tok.lemma)
    kind = strong or words.VERBS[lang].get(tok.lemma)
    if kind is None:
        return "", None
    obj = []
    for t in toks[i + 1 : i + 1 + _OBJECT_WORDS]:
        if t.lower in _OBJECT_ENDS or t.like_num or not any(c.isalnum() for c in t.text):
            break
        obj.append(t)
    targets = words.TARGETS[lang]
    hit = [t for t in obj if {t.lemma, t.lower, t.lower.removesuffix("s")} & targets]
    if hit:
        return kind, hit[-1].end
    return (kind, tok.end) if strong else ("", None)
