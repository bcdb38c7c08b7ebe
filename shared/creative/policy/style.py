"""Style rules every platform's editorial policy has: shouting in capitals and gimmicky
punctuation (Google Ads editorial: https://support.google.com/adspolicy/answer/6021546).
Language-neutral: they look at letters and marks, not words."""

from __future__ import annotations

import functools
import gzip
import re
from importlib.resources import files

from shared.creative.nlp import fold
from shared.models.creative import Finding

# All-caps words of 4+ letters: one is emphasis ("FREE"), more is shouting. Longer copy may
# carry one per CAPS_PER_WORDS words. Acronyms people write in capitals are not shouting.
CAPS_ALLOWANCE = 1
CAPS_PER_WORDS = 10
# Acronyms past five letters, or with a letter tripled, that people write in capitals: the public
# bodies a Mexican, Spanish or US ad names (IMSS, ISSSTE, INFONAVIT, FOVISSSTE, CONDUSEF,
# PROFECO, COFEPRIS; the SEPE; FEMA, OSHA) beside the usual ones.
_ACRONYMS = frozenset(
    (
        *("USDA", "NASA", "HTML", "HIIT", "UNESCO", "NYSE", "FIFA", "UEFA", "IKEA"),
        *("IMSS", "ISSSTE", "INFONAVIT", "FOVISSSTE", "CONDUSEF", "PROFECO", "COFEPRIS"),
        *("CONAGUA", "PEMEX", "SEPE", "FEMA", "OSHA", "NOAA", "NHTSA", "MEDICARE", "MEDICAID"),
    )
)
# Short words that are words, not acronyms: in capitals they shout as loud as long ones
# ("SAVE BIG", "SO CUTE", "BRAND NEW"). Anything else of 2-3 capitals reads as an acronym (UK,
# SPF, USB, LED).
_SHORT_WORDS = frozenset(
    [
        "SO",
        "NEW",
        "BIG",
        "HOT",
        "WOW",
        "NOW",
        "OFF",
        "TOP",
        "BUY",
        "GET",
        "WIN",
        "YES",
        "ALL",
        "AND",
        "THE",
        "FOR",
        "YOU",
        "OUR",
        "ONE",
        "TWO",
        "OMG",
        "OH",
        "MY",
        "GO",
        "DO",
        "NO",
        "IS",
        "IN",
        "ON",
        "AT",
        "TO",
        "UP",
        "OUT",
        "NOT",
        "ANY",
        "LOW",
        "FUN",
        "RUN",
        "HUGE",
        "ME",
        "WE",
        "HOY",
        "YA",
        "MÁS",
        "MAS",
        "TU",
        "SÍ",
        "SI",
        "LOS",
        "LAS",
        "DEL",
        "CON",
        "POR",
        "UN",
        "UNA",
        "EL",
        "LA",
        "ES",
        "MUY",
        "HAY",
        "VER",
        "FIN",
        "YO",
        "SIN",
        "QUE",
        "TUS",
        "MIS",
        "SUS",
        "DOS",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Repeated marks ("!!", "¿¿", "$$$", "....") and letters spelt out with dots ("F.L.O.R.E.S.";
# "U.S.A." stays: three).
# An emoji mark is two marks in one ("‼️" is "!!"), and an emoji's variation selector (U+FE0F)
# does not break a run of it ("✔️✔️✔️").
_PUNCTUATION = re.compile(
    r"[!?¡¿❗❕❓❔]\ufe0f?(?:[!?¡¿❗❕❓❔]\ufe0f?)+|[‼⁉]|\.{4,}|([^\w\s.!?¡¿\ufe0f])\ufe0f?(?:\1\ufe0f?){2,}"
    r"|(?<![\w.])(?:[^\W\d_]\.){4,}"
)
# Google's editorial policy also names gimmicky symbols, numbers and letters
# (https://support.google.com/adspolicy/answer/6021546): "$$", a word spelt with "@" ("p@ra";
# an e-mail address is not one), a number for a word ("2 your door", "4 a free quote").
_GIMMICK = re.compile(
    r"\$\$|(?<![\w.@])[^\W\d_]+@[^\W\d_]+(?![\w@]*\.\w)"
    r"|(?<![\w$£€.,])(?:2\s+(?:your|you|u|ur)|4\s+(?:you|your|u|ur|a\s+free|sale|less))\b"
    r"|(?<![\w$£€.,])[4x]\s+(?:ti|vos)\b"  # "4 ti", "x ti": "para ti", "por ti"
    r"|\b(?:b4|gr8|l8r|2day|2nite|4ever|4u)\b",
    re.IGNORECASE,
)
# Decorative symbols used as separators: one is a bullet, two or more in a line is gimmickry
# ("★ Sydney ★ fixed quotes ★", "~ from $29/day ~", "→ → →"); so is a trail of ellipses, three
# or more ("Wait... what... really..."): a quote cut short and said twice (on screen and in the
# voice-over) carries two honest ones.
_SEPARATOR = re.compile(r"[★☆~→➜➡►▶✦✧✪♦◆✿❀]")
_ELLIPSIS = re.compile(r"\.{3}|…")
_TRAILS = ((_SEPARATOR, 2), (_ELLIPSIS, 3))


def _leet_word(word: str) -> bool:
    """A capital word with digits standing in for letters, not a model number ("GR4TIS";
    not "4K", "MP3", "COVID19", "B2B")."""
    letters = sum(c.isalpha() for c in word)
    inner = word.strip("0123456789")
    return (
        letters >= 4
        and any(c.isdigit() for c in inner)
        and not _acronym(inner.translate(_DIGIT_LETTERS))
    )


def _acronym(word: str) -> bool:
    """An acronym people write in capitals: a known one, or four or five capitals that are
    not a common English or Spanish word ("CFDI", "SPEI", "ITIN"; "GRATIS", "FREE" are)."""
    if word in _ACRONYMS:
        return True
    if not 4 <= len(word) <= 5 or not word.isalpha():  # "DON'T" is a word
        return False
    if _STRETCHED.search(word):  # "FREEE", "SIII": a word drawn out, not initials
        return False
    lower = word.lower()
    return not any(spelt in _common_words() for spelt in _respelt(lower))


def _respelt(lower: str) -> tuple[str, ...]:
    """``lower`` as written, without accents, and with a slangy plural "z" for "s" undone
    ("DEALZ" is a word shouted, not initials). A "k" for a "c" is left: "NIKE" would read as
    "nice"."""
    plain = fold(lower)
    return (lower, plain, plain[:-1] + "s" if plain.endswith("z") else plain)


_STRETCHED = re.compile(r"(.)\1\1")


def _drawn_out(word: str) -> bool:
    """Capitals with a letter tripled, five or more of them ("GRATISSS"; not "XXX", "III")."""
    return (
        len(word) >= 5
        and word.isupper()
        and word not in _ACRONYMS  # "ISSSTE", "FOVISSSTE"
        and bool(_STRETCHED.search(word))
    )


@functools.cache
def _common_words() -> frozenset[str]:
    """English and Spanish words of four or five letters (bench/common_words.py writes them
    from spaCy's published word frequencies)."""
    raw = files("shared.creative.policy").joinpath("common_words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode().split())


# Letters spaced out or hyphenated one by one ("S U P E R", "F R E E", "C-U-R-A"): Google's
# editorial policy calls it gimmicky spacing; in capitals it is shouting too.
_SPACED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:(?:\s|-)[^\W\d_]){3,}(?![^\W\d_])")
# A capital word spelt with digits for letters ("GR4TIS", "DESCUENT0") shouts the same.
_LEET = re.compile(r"\b[^\W\d_a-zà-ÿ]*[0-9][^\W_a-zà-ÿ]*\b")
_DIGIT_LETTERS = str.maketrans("013457", "OIEAST")
# Alternating case inside a word ("EnViO GrAtIs"): two switches or more from lower to upper.
_ALTERNATING = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ].*[a-zà-ÿ][A-ZÀ-Þ]")


def caps(text: str) -> list[tuple[int, Finding]]:
    words = list(_WORD.finditer(text))
    shouted = [
        m
        for m in words
        if m.group().isupper()
        and (len(m.group()) >= 4 or m.group() in _SHORT_WORDS)
        and not _acronym(m.group())
        and not _code(text, m)
    ]
    shouted += [m for m in _LEET.finditer(text) if _leet_word(m.group())]
    shouted.sort(key=lambda m: m.start())
    found = _gimmicky(text, words)
    allowance = max(CAPS_ALLOWANCE, len(words) // CAPS_PER_WORDS)
    if len(shouted) <= allowance and not _shouted_run(text, shouted):
        return found
    reason = (
        f"{len(shouted)} words in ALL CAPS (allowed {allowance}); platforms reject "
        "excessive capitalisation"
    )
    return found + [
        (m.start(), Finding(rule="excessive_caps", span=m.group(), reason=reason)) for m in shouted
    ]


def _code(text: str, word: re.Match[str]) -> bool:
    """A coupon or product code written in capitals with its digits ("WELCOME20", "SAVE10"):
    Google's editorial policy allows capitals there (answer 14848295)."""
    return text[word.end() : word.end() + 1].isdigit()


def _gimmicky(text: str, words: list[re.Match[str]]) -> list[tuple[int, Finding]]:
    """Capitals spaced out ("S U P E R"), and words in alternating case when there are two
    ("EnViO GrAtIs"; one such word is more likely a brand's own spelling)."""
    spaced = [m for m in _SPACED.finditer(text) if m.group().isupper()]
    # a word drawn out in capitals ("GRATISSS", "FREEEE") is gimmickry even alone
    spaced += [m for m in words if _drawn_out(m.group())]
    alternating = [m for m in words if len(m.group()) >= 4 and _ALTERNATING.search(m.group())]
    marks = spaced + (alternating if len(alternating) > 1 else [])
    reason = (
        "letters spaced out, drawn out or in alternating case; platforms reject gimmicky capitals"
    )
    return [
        (m.start(), Finding(rule="excessive_caps", span=m.group(), reason=reason)) for m in marks
    ]


# Three words in capitals in a row ("ENVÍO GRATIS A TODO CHILE") shout a line, however long
# the copy around them: the allowance is for single emphasised words.
RUN_OF_CAPS = 2
# A one-letter word may sit between ("GRATIS a TODO"), or a short one in capitals that is part
# of the shout ("REBAJAS DE INVIERNO", "BURDA DE BUENO").
_BETWEEN_CAPS = re.compile(r"(?:\s+(?:[^\W\d_]|[^\W\d_a-zà-ÿ]{2,3})(?=\s))?\s+")


def _shouted_run(text: str, shouted: list[re.Match[str]]) -> bool:
    run = 1
    for before, after in zip(shouted, shouted[1:], strict=False):
        between = text[before.end() : after.start()]
        run = run + 1 if _BETWEEN_CAPS.fullmatch(between) else 1
        if run >= RUN_OF_CAPS:
            return True
    return False


def punctuation(text: str) -> list[tuple[int, Finding]]:
    reason = "repeated punctuation or symbols; platforms reject gimmicky punctuation"
    marks = [*_PUNCTUATION.finditer(text), *_GIMMICK.finditer(text)]
    marks += [m for m in _SPACED.finditer(text) if not m.group().isupper()]
    for repeated, count in _TRAILS:
        found = list(repeated.finditer(text))
        if len(found) >= count:
            marks.append(found[count - 1])
    return [
        (m.start(), Finding(rule="excessive_punctuation", span=m.group(), reason=reason))
        for m in sorted(marks, key=lambda m: m.start())
    ]
