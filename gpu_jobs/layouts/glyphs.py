"""Which installed font draws each character (fontconfig), so no text is drawn as tofu boxes.

A brand font without CJK or emoji draws a box (.notdef) for them. Characters it lacks are drawn
in an installed font that has them (``fc-list :charset=...``); a character no installed font
has is left out of the drawn text, and the caller records a warning.
"""

from __future__ import annotations

import bisect
import subprocess
import unicodedata
from functools import cache

from PIL import ImageFont

# A size to check that Pillow can load a fallback at all: colour emoji fonts (CBDT bitmaps)
# load only at their strike sizes and are skipped as fallbacks.
_PROBE_SIZE = 48


def _ranges(charset: str) -> tuple[tuple[int, int], ...]:
    """fontconfig's charset text (``20-7e a0 ...``, hex) as sorted (first, last) pairs."""
    out = []
    for part in charset.split():
        first, _, last = part.partition("-")
        out.append((int(first, 16), int(last or first, 16)))
    return tuple(sorted(out))


@cache
def charset(path: str) -> tuple[tuple[int, int], ...]:
    out = subprocess.run(
        ["fc-query", "--format", "%{charset}\n", path], capture_output=True, text=True, check=True
    )
    return _ranges(out.stdout.splitlines()[0] if out.stdout else "")


def _within(ranges: tuple[tuple[int, int], ...], ch: str) -> bool:
    i = bisect.bisect_right(ranges, (ord(ch), 0x10FFFF)) - 1
    return i >= 0 and ranges[i][0] <= ord(ch) <= ranges[i][1]


def covers(path: str, ch: str) -> bool:
    return _within(charset(path), ch)


@cache
def fallback(ch: str) -> str | None:
    """An installed font file that draws ``ch`` (a bold face first), or None."""
    out = subprocess.run(
        ["fc-list", "--format", "%{file}\t%{style}\n", f":charset={ord(ch):x}"],
        capture_output=True,
        text=True,
        check=False,
    )
    found = [line.split("\t", 1) for line in out.stdout.splitlines() if "\t" in line]
    found.sort(key=lambda f: ("Bold" not in f[1], f[0]))
    for path, _ in found:
        try:
            ImageFont.truetype(path, _PROBE_SIZE)
        except OSError:
            continue
        return path
    return None


def invisible(ch: str) -> bool:
    """Joiners, variation selectors and marks that draw nothing on their own."""
    return unicodedata.category(ch) in ("Cf", "Mn", "Me") and not ch.isspace()


def font_for(ch: str, primary: str) -> str | None:
    if ch.isspace() or covers(primary, ch):
        return primary
    return fallback(ch)


def runs(text: str, primary: str) -> list[tuple[str, str]]:
    """``text`` as (font file, piece) runs; characters no installed font draws are left out
    (an invisible one rides with the run before it)."""
    out: list[tuple[str, str]] = []
    for ch in text:
        path = font_for(ch, primary)
        if path is None:
            if invisible(ch) and out:
                out[-1] = (out[-1][0], out[-1][1] + ch)
            continue
        if out and out[-1][0] == path:
            out[-1] = (path, out[-1][1] + ch)
        else:
            out.append((path, ch))
    return out


def missing(text: str, primary: str) -> str:
    """The visible characters of ``text`` that no installed font draws, each once."""
    seen = dict.fromkeys(ch for ch in text if not invisible(ch) and font_for(ch, primary) is None)
    return "".join(seen)


def drawable(text: str, primary: str) -> str:
    """``text`` without what no installed font draws (spaces tidied where it was)."""
    lost = missing(text, primary)
    if not lost:
        return text
    kept = "".join(ch for ch in text if ch not in lost)
    return " ".join(kept.split())
