"""The product as the hero: cut out of its background when the image has no transparency
(OpenCV GrabCut, no model), trimmed to the product, with a soft contact shadow under it.

GrabCut fails quietly on some photos (a white product on white keeps the whole rectangle; a busy
backdrop leaves a patchwork of it around the product). Such a cut is not pasted: the photo is
shown whole as a card instead, and :class:`Hero` says which was done and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]
# GrabCut runs on a copy this wide at most: the mask is smooth enough scaled back up.
CUT_WIDTH = 480
# Pixels this close (Lab distance) to the border's colour start as probable background.
BACKDROP_DISTANCE = 18.0
GRABCUT_ITERATIONS = 5
# A cut is believed only when it passes every one of these (measured on the GrabCut copy):
MAX_KEPT = 0.85  # share of the photo kept: more means nothing was cut away
MAX_PARTS = 4  # pieces of at least MIN_PART of the photo: more is a patchwork of backdrop
MIN_PART = 0.002
MAX_BORDER = 0.2  # share of the ring just inside the border that is "product"
MAX_RAGGED = 1.6  # the largest piece's outline against its convex hull's
MIN_CONTRAST = 22.0  # Lab distance between product and backdrop medians
# The card: corner radius as a share of the photo's short side.
CARD_RADIUS = 0.05


@dataclass(frozen=True)
class Hero:
    """What the hero scene shows: ``image`` (BGRA) and how it was made: ``alpha`` (the image's
    own transparency), ``cutout`` (GrabCut) or ``card`` (the whole photo, rounded, because the
    cut failed for ``reason``)."""

    image: Image
    presentation: str
    reason: str = ""


def hero_image(bgra: Image) -> Hero:
    """The product ready to be the hero: its own cut-out, GrabCut's, or the photo as a card."""
    if has_transparency(bgra):
        return Hero(trim(bgra), "alpha")
    cut, problem = _grabcut(bgra)
    if problem:
        return Hero(card(bgra), "card", problem)
    return Hero(cut, "cutout")


def has_transparency(image: Image) -> bool:
    return image.ndim == 3 and image.shape[2] == 4 and int(image[:, :, 3].min()) < 250


def cut_out(bgra: Image) -> Image:
    """``bgra`` with its background made transparent (see :func:`hero_image`)."""
    return hero_image(bgra).image


def _grabcut(bgra: Image) -> tuple[Image, str]:
    """GrabCut seeded by the image border (the usual packshot backdrop): the cut-out, and why
    it cannot be believed ("" when it can)."""
    bgr = np.ascontiguousarray(bgra[:, :, :3])
    h, w = bgr.shape[:2]
    scale = min(1.0, CUT_WIDTH / w)
    small = cv2.resize(
        bgr, (max(8, round(w * scale)), max(8, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    mask = _seed(small)
    if (mask == cv2.GC_PR_FGD).sum() < 0.02 * mask.size:
        return bgra, "nothing in the photo stands out from its backdrop"
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(small, mask, None, bgd, fgd, GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    fg = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    problem = cut_problem(small, fg)
    fg = _largest_parts(fg)
    alpha = cv2.resize(fg, (w, h), interpolation=cv2.INTER_LINEAR)
    alpha = cv2.GaussianBlur(alpha, (0, 0), max(0.8, w / 600))  # a soft, anti-aliased edge
    return trim(np.dstack([bgr, alpha])), problem


def cut_problem(bgr: Image, fg: NDArray[np.uint8]) -> str:
    """Why the foreground mask ``fg`` (255 = product) of photo ``bgr`` is not a believable
    cut-out, or "" when it is."""
    on = fg > 0
    kept = float(on.mean())
    if kept > MAX_KEPT:
        return f"the cut kept {kept:.0%} of the photo"
    if kept < 0.01:
        return "the cut kept almost nothing of the photo"
    count, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    parts = int((stats[1:, cv2.CC_STAT_AREA] >= MIN_PART * fg.size).sum())
    if parts > MAX_PARTS:
        return f"the cut is a patchwork of {parts} pieces"
    h, w = fg.shape
    d = max(2, round(0.03 * min(h, w)))
    ring = np.concatenate([on[d], on[-d - 1], on[d:-d, d], on[d:-d, -d - 1]])
    if ring.mean() > MAX_BORDER:
        return f"the cut runs into the photo's border ({ring.mean():.0%} of it)"
    largest = np.where(labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA])), 255, 0)
    contours, _ = cv2.findContours(
        largest.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE
    )
    outline = max(contours, key=cv2.contourArea)
    hull = cv2.arcLength(cv2.convexHull(outline), True)
    if hull > 0 and cv2.arcLength(outline, True) / hull > MAX_RAGGED:
        return "the cut's edge is ragged"
    lab = cv2.cvtColor(bgr, cv2.COLOR_BGR2LAB).astype(np.float32)
    distance = float(np.linalg.norm(np.median(lab[on], axis=0) - np.median(lab[~on], axis=0)))
    if distance < MIN_CONTRAST:
        return f"the product barely differs from its backdrop (Lab distance {distance:.0f})"
    return ""


def card(bgra: Image) -> Image:
    """The whole photo with rounded corners (anti-aliased), opaque inside."""
    h, w = bgra.shape[:2]
    alpha = rounded_mask(w, h, max(2, round(CARD_RADIUS * min(h, w))), scale=4)
    return np.dstack([np.ascontiguousarray(bgra[:, :, :3]), alpha])


def rounded_mask(w: int, h: int, radius: int, scale: int) -> NDArray[np.uint8]:
    """A w x h alpha mask of a rectangle with rounded corners, drawn ``scale`` times larger and
    scaled down so its corners are smooth."""
    k, r = scale, radius
    mask = np.zeros((h * k, w * k), np.uint8)
    cv2.rectangle(mask, (r * k, 0), ((w - r) * k, h * k), 255, -1)
    cv2.rectangle(mask, (0, r * k), (w * k, (h - r) * k), 255, -1)
    for cx, cy in ((r, r), (w - r, r), (r, h - r), (w - r, h - r)):
        cv2.circle(mask, (cx * k, cy * k), r * k, 255, -1)
    resized: NDArray[np.uint8] = cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA)
    return resized


def _seed(small: Image) -> NDArray[np.uint8]:
    """Border pixels are background; pixels like the border's colour probably are too; the
    rest is probably the product."""
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2LAB).astype(np.float32)
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    backdrop = np.median(border, axis=0)
    near = np.linalg.norm(lab - backdrop, axis=2) < BACKDROP_DISTANCE
    mask = np.where(near, cv2.GC_PR_BGD, cv2.GC_PR_FGD).astype(np.uint8)
    edge = max(1, min(small.shape[:2]) // 60)
    mask[:edge], mask[-edge:], mask[:, :edge], mask[:, -edge:] = (cv2.GC_BGD,) * 4
    return mask


def _largest_parts(fg: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Drop specks: keep components of at least a tenth of the largest."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    if count <= 2:
        return fg
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = 1 + np.flatnonzero(areas >= areas.max() / 10)
    return np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)


def trim(bgra: Image) -> Image:
    """Cropped to the visible product (alpha above a trace)."""
    ys, xs = np.nonzero(bgra[:, :, 3] > 8)
    if not len(xs):
        return bgra
    return np.ascontiguousarray(bgra[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])


def with_contact_shadow(product: Image, *, opacity: float = 0.5) -> tuple[Image, int]:
    """The product standing on a soft elliptical shadow at its base (where it touches the
    ground), as one BGRA image; returns it and how many pixels the shadow adds below."""
    h, w = product.shape[:2]
    below = max(6, h // 14)
    canvas = np.zeros((h + below, w, 4), np.float32)
    shadow = np.zeros((h + below, w), np.float32)
    cx, cy = w // 2, h - below // 4
    cv2.ellipse(shadow, (cx, cy), (max(2, int(w * 0.42)), max(2, below // 2)), 0, 0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(2.0, below / 2.5)) * opacity
    top = np.zeros_like(shadow)
    top[:h] = product[:, :, 3] / 255
    alpha = top + shadow * (1 - top)
    canvas[:h, :, :3] = product[:, :, :3]
    canvas[:, :, :3] *= (top / np.maximum(alpha, 1e-6))[:, :, None]
    canvas[:, :, 3] = alpha * 255
    return np.clip(canvas, 0, 255).astype(np.uint8), below
