"""How wide libass draws a caption word, so captions are broken and sized to fit their box.

A caption is one libass event with WrapStyle 2 (no wrapping of its own): a line it is given too
wide simply runs off the frame (an outside attack: a URL in the voice script became one caption
line 1076 px wide on a 1080 px frame). The words are measured here with the caption font.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol, TypeVar

from fontTools.ttLib import TTFont

from gpu_jobs.layouts import draw
from gpu_jobs.voice import WordTiming

# Pillow's width times the em share matches libass's to within half a percent (DejaVu Sans
# Bold, 35 letters: 1176 px measured, 1181 px drawn); the rest is anti-aliasing and kerning.
SAFETY = 1.02
_PROBE = 100  # the size words are measured at; widths scale with the size


@cache
def em_share(path: str) -> float:
    """The em size libass gives a font of size 1. libass asks FreeType for a size whose
    ascender plus descender (from OS/2 usWinAscent/usWinDescent, as GDI does) is the font
    size, so glyphs are smaller than Pillow's at the same size (libass ass_font.c,
    set_font_metrics and ass_face_set_size: https://github.com/libass/libass)."""
    font = TTFont(path, fontNumber=0, lazy=True)
    try:
        os2 = font.get("OS/2")
        upm = font["head"].unitsPerEm
        if os2 is not None and os2.usWinAscent + os2.usWinDescent > 0:
            return float(upm / (os2.usWinAscent + os2.usWinDescent))
        hhea = font["hhea"]
        return float(upm / (hhea.ascent - hhea.descent))
    finally:
        font.close()


@dataclass(frozen=True)
class Sizer:
    """Caption widths in ASS pixels for the font file libass will use."""

    path: str

    def width(self, text: str, size: float) -> float:
        """How wide libass draws ``text`` at font size ``size`` (a little over, never under)."""
        probe = draw.line_width(text, self.path, _PROBE) * em_share(self.path)
        return probe * size / _PROBE * SAFETY

    def fitting_size(self, text: str, size: int, room: float) -> int:
        """``size``, or the largest smaller size at which ``text`` is at most ``room`` wide."""
        wide = self.width(text, size)
        if wide <= room:
            return size
        fitted = max(1, int(size * room / wide))
        while fitted > 1 and self.width(text, fitted) > room:
            fitted -= 1
        return fitted


class Texted(Protocol):
    @property
    def text(self) -> str: ...


W = TypeVar("W", bound=Texted)


@dataclass(frozen=True)
class CaptionWord:
    """A spoken word as a caption draws it: at ``size`` (the caption's, or smaller where the
    word alone is too wide for the box), ``width`` ASS pixels wide before it pops."""

    text: str
    start_s: float
    end_s: float
    size: int
    width: float


def fit_words(
    words: Sequence[WordTiming],
    sizer: Sizer,
    size: int,
    room: float,
    grow: float,
    shown: Callable[[str], str],
) -> list[CaptionWord]:
    """The words measured as ``shown`` draws them; one too wide for ``room`` even alone and
    popped (``grow``: the pop's extra width as a share) made smaller until it fits."""
    out = []
    for w in words:
        text = shown(w.text)
        fitted = sizer.fitting_size(text, size, room / (1 + grow))
        out.append(CaptionWord(w.text, w.start_s, w.end_s, fitted, sizer.width(text, fitted)))
    return out


def _chars(word: Texted) -> float:
    return len(word.text)


def chunk_lines(
    words: Sequence[W],
    room: float,
    width: Callable[[W], float] = _chars,
    space: float = 1.0,
    grow: float = 0.0,
) -> list[list[list[W]]]:
    """Group words into captions of at most two lines, each at most ``room`` wide (``width``
    of its words plus a ``space`` between them) with its widest word grown by ``grow`` of its
    width (the spoken word pops); by default ``room`` counts characters.

    A line that would not fit breaks before the word; a caption also ends after a sentence
    ends, so a new sentence starts on a fresh caption."""

    def fits(lines: list[list[W]]) -> bool:
        widest = max(width(w) for line in lines for w in line)
        longest = max(sum(width(w) for w in line) + space * (len(line) - 1) for line in lines)
        return longest + grow * widest <= room

    captions: list[list[list[W]]] = []
    lines: list[list[W]] = [[]]
    for word in words:
        if lines[-1] and not fits([*lines[:-1], [*lines[-1], word]]):
            if len(lines) == 2 or not fits([*lines, [word]]):
                captions.append(lines)
                lines = [[]]
            else:
                lines.append([])
        lines[-1].append(word)
        if word.text[-1] in ".!?":
            captions.append(lines)
            lines = [[]]
    if lines[0]:
        captions.append(lines)
    return captions


def wrap_to_fit(
    text: str, sizer: Sizer, size: int, room: float, most_lines: int = 2
) -> tuple[int, list[str]]:
    """``text`` broken into at most ``most_lines`` lines, each at most ``room`` wide as libass
    draws it, at ``size`` or the largest smaller size where it fits (a line is never dropped:
    a headline of three lines' words is drawn smaller, not cut short). Greedy by words; a word
    wider than ``room`` alone sets the size."""
    words = text.split() or [text]
    for candidate in _sizes(size):
        lines = _greedy(words, sizer, candidate, room)
        if len(lines) <= most_lines and all(sizer.width(x, candidate) <= room for x in lines):
            return candidate, lines
    return candidate, _greedy(words, sizer, candidate, room)


def _sizes(size: int) -> list[int]:
    """``size`` down to a third of it, about 4 % a step (a dozen widths measured at most)."""
    least = max(8, size // 3)
    out, at = [], size
    while at > least:
        out.append(at)
        at = min(at - 1, int(at * 0.96))
    return [*out, least]


def _greedy(words: list[str], sizer: Sizer, size: int, room: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and sizer.width(joined, size) <= room:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines
