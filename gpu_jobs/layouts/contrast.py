"""Legible text: WCAG 2.x contrast between a text colour and the pixels really behind it.

Relative luminance and contrast ratio as defined in WCAG 2.2 (success criterion 1.4.3 asks
4.5:1 for body text): https://www.w3.org/TR/WCAG22/#dfn-relative-luminance and
https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio; shapes a viewer must see (a button, a badge)
3:1 against what is next to them (1.4.11, https://www.w3.org/TR/WCAG22/#non-text-contrast).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MIN_RATIO = 4.5  # WCAG 2.x AA, normal text
NON_TEXT_RATIO = 3.0  # WCAG 2.x 1.4.11, user-interface components and graphical objects
# The share of background pixels allowed to fall below the ratio: anti-aliased specks of grain
# (a bright bokeh spot is more than that, and counts).
WORST_SHARE = 0.005
# Text without a plate must clear 4.5:1 by this factor against the still it was chosen on: the
# encoder's chroma and the backdrop's own light shift what is really behind it a little.
DESIGN_MARGIN = 1.12
# Pure black: with white it is the only pair that reaches 4.5:1 on every possible plate colour.
WHITE, BLACK = "#ffffff", "#000000"


def _channel(c: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


# The linear value of each 8-bit sRGB level: a table look-up gives the same numbers as the
# formula at a fraction of its cost (the power over every pixel of every text box, per target,
# was a third of the render's preparation time).
_LINEAR = _channel(np.arange(256, dtype=np.float64) / 255.0)
_WEIGHTED = (0.2126 * _LINEAR, 0.7152 * _LINEAR, 0.0722 * _LINEAR)


def luminance_rgb(rgb: NDArray[np.uint8] | NDArray[np.float64]) -> NDArray[np.float64]:
    """Relative luminance of sRGB pixels (last axis R, G, B in 0..255)."""
    if isinstance(rgb, np.ndarray) and rgb.dtype == np.uint8:
        r, g, b = _WEIGHTED
        return np.asarray(r[rgb[..., 0]] + g[rgb[..., 1]] + b[rgb[..., 2]])
    c = _channel(np.asarray(rgb, np.float64) / 255.0)
    return np.asarray(0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2])


def hex_rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def luminance(color: str) -> float:
    return float(luminance_rgb(np.array(hex_rgb(color), np.float64)))


def ratio(l1: float, l2: float) -> float:
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def worst_ratio(color: str, background_bgr: NDArray[np.uint8]) -> float:
    """The contrast of ``color`` against the background pixels least in its favour (all but
    the ``WORST_SHARE`` extreme): text is legible only if it is legible over all of them."""
    pixels = np.asarray(background_bgr, np.uint8).reshape(-1, 3)[:, ::-1]
    if not len(pixels):
        raise ValueError("no background pixels to measure contrast against")
    lum = luminance_rgb(pixels)
    text = luminance(color)
    ratios = (np.maximum(lum, text) + 0.05) / (np.minimum(lum, text) + 0.05)
    return float(np.quantile(ratios, WORST_SHARE))


@dataclass(frozen=True)
class Ink:
    """How one text box is drawn: its colour, and a plate behind it when the scene is too busy
    or too mid-toned for any candidate colour on its own."""

    text: str
    plate: str | None
    ratio: float  # against the plate, or against the scene's pixels when there is none


def choose_ink(
    background_bgr: NDArray[np.uint8], candidates: Sequence[str], plates: Sequence[str] = ()
) -> Ink:
    """The first candidate with >= 4.5:1 against every (but the rarest) pixel behind the box;
    else white or black text on the plate (of ``plates``, else white) where it reads best."""
    for color in candidates:
        r = worst_ratio(color, background_bgr)
        if r >= MIN_RATIO * DESIGN_MARGIN:
            return Ink(color, None, r)
    return on_plate(list(plates) or [WHITE])


def on_plate(colors: Sequence[str]) -> Ink:
    """Text on a solid plate: of the given plate colours, the one where white or black reads
    best (a plate can always reach 4.5:1 with one of them)."""
    best: Ink | None = None
    for plate in colors:
        lp = luminance(plate)
        for text in (WHITE, BLACK):
            r = ratio(luminance(text), lp)
            if best is None or r > best.ratio:
                best = Ink(text, plate, r)
    assert best is not None
    return best


def visible_fill(preferred: str, background_bgr: NDArray[np.uint8], others: Sequence[str]) -> str:
    """A fill for a button, badge or tick over ``background_bgr``: ``preferred`` where it stands
    >= 3:1 from the backdrop; else the first of ``others`` (the other brand colours) that does;
    else white or black, whichever stands out more (two near-identical brand blues made an
    invisible button; an outline alone kept it visible but OCR read past the ringed label)."""
    for color in (preferred, *others):
        if worst_ratio(color, background_bgr) >= NON_TEXT_RATIO:
            return color
    return max((WHITE, BLACK), key=lambda c: worst_ratio(c, background_bgr))
