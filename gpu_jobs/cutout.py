"""The product as the hero: cut out of its background when the image has no transparency
(OpenCV GrabCut, no model), trimmed to the product, with a soft contact shadow under it."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]
# GrabCut runs on a copy this wide at most: the mask is smooth enough scaled back up.
CUT_WIDTH = 480
# Pixels this close (Lab distance) to the border's colour start as probable background.
BACKDROP_DISTANCE = 18.0
GRABCUT_ITERATIONS = 5


def has_transparency(image: Image) -> bool:
    return image.ndim == 3 and image.shape[2] == 4 and int(image[:, :, 3].min()) < 250


def cut_out(bgra: Image) -> Image:
    """``bgra`` with its background made transparent: kept as given when it already has
    transparency, else GrabCut seeded by the image border (the usual packshot backdrop)."""
    if has_transparency(bgra):
        return trim(bgra)
    bgr = np.ascontiguousarray(bgra[:, :, :3])
    h, w = bgr.shape[:2]
    scale = min(1.0, CUT_WIDTH / w)
    small = cv2.resize(
        bgr, (max(8, round(w * scale)), max(8, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    mask = _seed(small)
    if (mask == cv2.GC_PR_FGD).sum() < 0.02 * mask.size:
        return trim(bgra)  # nothing stands out from the border: keep the whole picture
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(small, mask, None, bgd, fgd, GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    fg = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    fg = _largest_parts(fg)
    alpha = cv2.resize(fg, (w, h), interpolation=cv2.INTER_LINEAR)
    alpha = cv2.GaussianBlur(alpha, (0, 0), max(0.8, w / 600))  # a soft, anti-aliased edge
    return trim(np.dstack([bgr, alpha]))


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
