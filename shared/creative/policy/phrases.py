"""The brand's avoid list: whole-word phrase search that ignores case and accents, with spans
that stay exact substrings of the text (decomposed accents included)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence


def find_phrases(text: str, phrases: Sequence[str]) -> list[tuple[int, str]]:
    """Where each phrase occurs in ``text`` as whole words, ignoring case and accents.

    Returns ``(start, exact substring of text)`` pairs in text order.
    """
    if not phrases:
        return []  # folding a long text costs more than every rule together
    folded, origin = _fold_with_origin(text)
    hits: list[tuple[int, str]] = []
    for phrase in phrases:
        words = _fold(phrase).split()
        if not words:
            continue
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")
        for m in pattern.finditer(folded):
            start, end = origin[m.start()], _end_in_original(text, origin[m.end() - 1])
            hits.append((start, text[start:end]))
    return sorted(set(hits))


def _fold(text: str) -> str:
    return "".join(_fold_char(c) for c in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index it came from in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in _fold_char(char):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _end_in_original(text: str, last: int) -> int:
    """One past ``last``, extended over combining marks that belong to it."""
    end = last + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end
