"""Where the product goes: away from faces, busy regions and the text zones (OpenCV)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import cv2
import numpy as np
from numpy.typing import NDArray

from gpu_jobs.targets import Rect

Image = NDArray[np.uint8]
# Analysis runs on a small copy: faces and edge density need no more than this.
ANALYSIS_WIDTH = 360


@cache
def _face_detector() -> cv2.CascadeClassifier:
    return cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")


def find_faces(image: Image) -> list[Rect]:
    """Frontal faces in a BGR image, in its own pixel coordinates."""
    scale = ANALYSIS_WIDTH / image.shape[1]
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
    found = _face_detector().detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24)
    )
    return [Rect(*(round(v / scale) for v in box)) for box in found]


def busy_map(image: Image) -> NDArray[np.float32]:
    """Edge density in 0..1 per analysis pixel: high where the scene has detail to keep clear."""
    scale = ANALYSIS_WIDTH / image.shape[1]
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    edges = cv2.Canny(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), 80, 160)
    return cv2.blur(edges.astype(np.float32) / 255.0, (15, 15))


def choose_zone(image: Image, box_w: int, box_h: int, allowed: Rect, avoid: Sequence[Rect]) -> Rect:
    """The ``box_w``×``box_h`` spot inside ``allowed`` with the least detail, clear of faces
    and of the ``avoid`` rectangles (text and caption zones) wherever the frame allows it."""
    faces = [_grow(f, 0.25) for f in find_faces(image)]
    busy = busy_map(image)
    scale = busy.shape[1] / image.shape[1]
    best: tuple[float, Rect] | None = None
    for cand in _candidates(allowed, box_w, box_h):
        blocked = sum(cand.overlap(r) for r in [*faces, *avoid]) / (box_w * box_h)
        score = 10 * blocked + _mean(busy, cand, scale)
        if best is None or score < best[0]:
            best = (score, cand)
    assert best is not None  # _candidates always yields at least one
    return best[1]


def _candidates(allowed: Rect, box_w: int, box_h: int, steps: int = 6) -> list[Rect]:
    xs = np.linspace(allowed.x, max(allowed.x, allowed.right - box_w), steps)
    ys = np.linspace(allowed.y, max(allowed.y, allowed.bottom - box_h), steps)
    return [Rect(int(x), int(y), box_w, box_h) for y in ys for x in xs]


def _mean(busy: NDArray[np.float32], r: Rect, scale: float) -> float:
    x0, y0 = int(r.x * scale), int(r.y * scale)
    x1, y1 = max(x0 + 1, int(r.right * scale)), max(y0 + 1, int(r.bottom * scale))
    return float(busy[y0:y1, x0:x1].mean())


def _grow(r: Rect, share: float) -> Rect:
    dx, dy = int(r.w * share), int(r.h * share)
    return Rect(r.x - dx, r.y - dy, r.w + 2 * dx, r.h + 2 * dy)
