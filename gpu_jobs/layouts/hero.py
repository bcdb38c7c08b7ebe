"""The product hero's composition for one aspect (pure: images in, images and places out).

The product goes where it is largest without entering a platform's interface bands (the zone is
the safe zone, :func:`gpu_jobs.targets.safe_rect`) or the captions: above the caption band, or,
for a tall product, the safe zone's full height at its right with the captions moved into the
column beside it. Sized by its visible pixels (alpha), not its box: when even the largest fit
leaves the product under :data:`MIN_SHARE` of the frame (a thin bottle, a wide bar), a stage (a
soft panel in a brand colour) stands behind it so the hero still holds the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from gpu_jobs.composite import with_shadow
from gpu_jobs.cutout import Hero, rounded_mask, with_contact_shadow
from gpu_jobs.layouts.contrast import WHITE, hex_rgb, luminance, luminance_rgb, ratio
from gpu_jobs.targets import Rect

BGRA = NDArray[np.uint8]
# Issue 18: the hero covers at least 15 % of the frame; a little more, as the entrance settles.
MIN_SHARE = 0.15
STAGE_SHARE = 0.155
# The share of the safe width left beside a tall product for the captions, and the gap.
ASIDE_SHARE = 0.42
ASIDE_GAP = 24
# The product's visible pixels at or above this alpha count (not its soft shadow or fringe).
SOLID_ALPHA = 200


@dataclass(frozen=True)
class Placed:
    image: BGRA  # ready to overlay, shadow included
    x: int
    y: int


@dataclass(frozen=True)
class HeroPlan:
    product: Placed
    box: Rect  # the product's own pixels (its image without the shadow)
    stage: Placed | None  # behind the product, when the product alone is under MIN_SHARE
    aside: Rect | None  # where the captions go while the hero shows
    share: float  # the product's visible pixels as a share of the frame
    cover: float  # the hero's (stage or product box) share of the frame


def plan_hero(
    hero: Hero, safe: Rect, text: Rect, frame: tuple[int, int], stage_bgr: tuple[int, int, int]
) -> HeroPlan:
    """Where and how large ``hero`` goes in a ``frame`` (width, height) whose safe zone is
    ``safe`` and whose text area (above the caption band, below the logo) is ``text``."""
    area = frame[0] * frame[1]
    above = Rect(safe.x, text.y, safe.w, text.bottom - text.y)
    room = round(safe.w * (1 - ASIDE_SHARE))
    beside = Rect(safe.right - room, safe.y, room, safe.h)
    fits = [(_fit(hero, z), z) for z in (above, beside)]
    (placed, box), zone = max(fits, key=lambda f: _solid(f[0][0].image))
    share = _solid(placed.image) / area
    stage = None
    cover = box.w * box.h / area
    if share < MIN_SHARE:
        stage, cover = _stage(box, zone, STAGE_SHARE * area, stage_bgr)
        cover /= area
        placed, box = _centred(placed, box, stage)
    aside = None
    if zone is beside:
        left = min(box.x, stage.x) if stage else box.x
        aside = Rect(safe.x, text.y, left - ASIDE_GAP - safe.x, safe.bottom - text.y)
    return HeroPlan(placed, box, stage, aside, round(share, 4), round(cover, 4))


def _fit(hero: Hero, zone: Rect) -> tuple[Placed, Rect]:
    """The product as large as ``zone`` holds it, standing on the zone's floor and centred
    across it; and the product's own box. A cut-out's contact shadow may hang below the zone
    (it is not product); a card's drop shadow, all round it, stays inside."""
    ph, pw = hero.image.shape[:2]
    scale = min(zone.w / pw, zone.h / ph)
    for _ in range(4):  # a card's shadow grows with the card: shrink until both fit
        size = (max(2, round(pw * scale)), max(2, round(ph * scale)))
        fitted = cv2.resize(hero.image, size, interpolation=cv2.INTER_AREA)
        if hero.presentation != "card":
            shadowed, _ = with_contact_shadow(fitted)
            pad = 0
            break
        shadowed, pad, _ = with_shadow(fitted)
        over = max(shadowed.shape[0] / zone.h, shadowed.shape[1] / zone.w)
        if over <= 1:
            break
        scale /= over
    left = zone.x + (zone.w - size[0]) // 2
    top = zone.bottom - shadowed.shape[0] + pad if pad else zone.bottom - size[1]
    return Placed(shadowed, left - pad, top - pad), Rect(left, top, size[0], size[1])


def _centred(placed: Placed, box: Rect, stage: Placed) -> tuple[Placed, Rect]:
    """The product moved up to the middle of its stage: standing on the zone's floor, a wide
    bar lay along the panel's bottom edge under an empty panel (render attack M2)."""
    middle = stage.y + stage.image.shape[0] // 2
    rise = max(0, box.y + box.h // 2 - middle)
    return (
        Placed(placed.image, placed.x, placed.y - rise),
        Rect(box.x, box.y - rise, box.w, box.h),
    )


def _solid(image: BGRA) -> int:
    return int((image[:, :, 3] >= SOLID_ALPHA).sum())


def _stage(box: Rect, zone: Rect, need: float, bgr: tuple[int, int, int]) -> tuple[Placed, float]:
    """A rounded panel behind the product's ``box``, inside ``zone``, of about ``need`` square
    pixels (less where the zone is smaller): a margin round the product, widened across it."""
    w, h = min(zone.w, round(box.w * 1.25)), min(zone.h, round(box.h * 1.08))
    # grow across the product's short side (a thin bottle gets a wider panel, a bar a taller one)
    if box.h / zone.h >= box.w / zone.w:
        w = min(zone.w, max(w, math.ceil(need / h)))
        h = min(zone.h, max(h, math.ceil(need / w)))
    else:
        h = min(zone.h, max(h, math.ceil(need / w)))
        w = min(zone.w, max(w, math.ceil(need / h)))
    x = int(np.clip(box.x + box.w // 2 - w // 2, zone.x, zone.right - w))
    y = int(np.clip(box.y + box.h // 2 - h // 2, zone.y, zone.bottom - h))
    alpha = rounded_mask(w, h, max(4, round(min(w, h) * 0.08)), scale=3)
    panel = np.dstack([np.full((h, w, 3), bgr, np.uint8), alpha])
    return Placed(panel, x, y), float(w * h)


def stage_color(backdrop: NDArray[np.uint8], colors: list[str]) -> tuple[int, int, int]:
    """The stage's colour (BGR): the brand colour, or white, that stands out most from the
    backdrop's mean, blended a fifth toward it so it reads as a panel in the scene."""
    mean = backdrop.reshape(-1, 3).mean(axis=0)
    ground = float(luminance_rgb(mean[::-1]))
    best = max([*colors, WHITE], key=lambda c: ratio(luminance(c), ground))
    r, g, b = hex_rgb(best)
    return (
        int(0.8 * b + 0.2 * mean[0]),
        int(0.8 * g + 0.2 * mean[1]),
        int(0.8 * r + 0.2 * mean[2]),
    )
