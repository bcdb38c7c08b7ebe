"""Copy as a reader sees it: the disguises that hide a word from the rules and not from a person.

A rule that knows "casino" does not know "Саsino" (a Cyrillic С and а), "Casinο" (a Greek ο),
"c@sino", "c4sino", "depre\u200bssed" (a zero-width space), "ｄｅｐｒｅｓｓｅｄ" (full-width
letters) or "V a p e s" (letters spaced out): an outside attack passed gambling and vape ads
with a single such letter. :func:`as_seen` undoes them, and says for every character of its
result which character of the text it came from, so a finding's span is still cut from the
text as written. The gimmick itself (an "@" in a word, letters spaced out) is the style rules'
to report, on the text as written.

Which letters look like Latin ones is Unicode's confusables table (UTS #39), as the
``confusable_homoglyphs`` package ships it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# What may disguise a word: invisible characters, anything past the Latin alphabets (full-width
# forms, other scripts, styled letters, combining lines), a digit or symbol between letters, and
# four or more single letters spaced out.
DISGUISE = re.compile(
    "[\u00ad\u200b-\u200d\u2060\ufeff]|[^\x00-\u024f]"
    r"|(?<=[^\W\d_])[@$013457!¡](?=[^\W\d_])"
    r"|(?<![^\W\d_])[^\W\d_](?:[ .·_-][^\W\d_]){3,}(?![^\W\d_])"
)
# The Unicode name of a styled Latin letter: "LATIN LETTER SMALL CAPITAL V", "NEGATIVE CIRCLED
# LATIN CAPITAL LETTER W", "SQUARED LATIN CAPITAL LETTER A".
_STYLED = re.compile(r"\bLATIN (?:LETTER SMALL CAPITAL|(CAPITAL|SMALL) LETTER) ([A-Z])$")
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
# Digits and symbols read as letters inside a word ("c4sino", "gr4tis", "c@sino", "ca$ino");
# a digit at a word's edge is a model or a quantity ("MP3", "4K", "B2B") and stays.
_LEET = {
    **{"@": "a", "$": "s", "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"},
    **{"!": "i", "¡": "i"},
}
_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[@$013457!¡]+(?=[^\W\d_])")
# Four or more single letters each set apart by one space, dot or hyphen ("V a p e s",
# "C-A-S-I-N-O"): read as the word they spell.
_SPACED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[ .·_-][^\W\d_]){3,}(?![^\W\d_])")
# The characters :func:`_latin` may change, and those :func:`_dropped` may drop (the invisible
# ones and the combining marks, all past Latin).
_MAY_CHANGE = re.compile(r"[^\x00-\u024f]|[@$013457!¡]")
_MAY_DROP = re.compile(r"[^\x00-\u00ac\u00ae-\u02ff]")


def as_seen(text: str) -> tuple[str, list[int]]:
    """``text`` as a reader takes it in (see the module docstring), and for each character of
    the result the index in ``text`` it came from."""
    dropped = _dropped(text)
    # Only these characters can read as another: the rest are copied as they stand (an emoji
    # or a curly quote is no disguise, and most copy has nothing else past Latin).
    changed = {
        m.start(): new
        for m in _MAY_CHANGE.finditer(text)
        if (new := _latin(m.group(), text, m.start())) != m.group()
    }
    if not dropped and not changed:
        return text, list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if index in dropped:
            continue
        chars.append(changed.get(index, char))
        origin.append(index)
    return "".join(chars), origin


def _dropped(text: str) -> set[int]:
    """Indices read as nothing: invisible characters, and the gaps of letters spaced out."""
    gone = {
        m.start()
        for m in _MAY_DROP.finditer(text)
        if m.group() in _INVISIBLE or _is_line_mark(m.group())
    }
    for match in _SPACED.finditer(text):
        gone.update(range(match.start() + 1, match.end(), 2))
    return gone


def _latin(char: str, text: str, index: int) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:  # full-width forms of ASCII
        return chr(code - 0xFEE0)
    if code == 0x3000:  # the ideographic space
        return " "
    if char in _LEET and _INSIDE_WORD.match(text, index):
        return _LEET[char]
    if code > 0x024F:
        return _look_alike(char)
    return char


@functools.lru_cache(maxsize=512)
def _is_line_mark(char: str) -> bool:
    """A combining line or stroke drawn over a letter ("v̲a̲p̲e̲s̲"): decoration, not spelling (an
    accent is spelling, and stays)."""
    if unicodedata.category(char) != "Mn":
        return False
    name = unicodedata.name(char, "")
    return any(word in name for word in ("LINE", "STROKE", "OVERLAY", "UNDERBAR"))


@functools.lru_cache(maxsize=2048)
def _look_alike(char: str) -> str:
    """The Latin letter ``char`` is drawn as, or ``char`` itself when it is none: a styled form
    of a Latin letter (mathematical bold or script "𝓿", circled "ⓥ", small capital "ᴠ",
    squared "🅦"), or a letter of another script confusable with one (Greek "Ο" -> "O",
    Cyrillic "с" -> "c", Canadian syllabics "ᐯ" -> "V")."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and folded.isascii() and folded.isalpha():
        return folded
    styled = _STYLED.search(unicodedata.name(char, ""))
    if styled:
        letter = styled.group(2)
        return letter if styled.group(1) == "CAPITAL" else letter.lower()
    # imported here: its tables take 50 ms to load, which only copy in another script needs
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            latin = glyph["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                # UTS #39 gives a lower-case "l" for the capital iota and I: keep the case
                return "I" if latin == "l" and char.isupper() else latin
    return char
