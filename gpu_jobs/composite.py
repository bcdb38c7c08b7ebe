"""Product composite, prepared once as an RGBA still: fitted to its zone, lit like the scene, with
a soft shadow. ffmpeg only overlays it, so no per-frame work happens in Python."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image as PILImage

from gpu_jobs.targets import Rect
from shared.errors import BadInput
from shared.media.images import check_image_file
from shared.media.product import upright

Image = NDArray[np.uint8]
# How far the product moves toward the scene's light: enough to sit in it, not to lose its colour.
LIGHT_STRENGTH = 0.35
WARMTH_STRENGTH = 0.3


def load_bgra(path: Path, field_name: str) -> Image:
    """Any image as BGRA, turned upright as its EXIF orientation says (a phone photo is stored
    sideways with a tag; OpenCV's unchanged read ignores the tag); no alpha means opaque."""
    check_image_file(path, f"{field_name}: {path.name}")
    try:
        with PILImage.open(path) as opened:
            rgba = np.asarray(upright(opened).convert("RGBA"))
    except (OSError, ValueError) as e:
        raise BadInput(f"{field_name}: {path.name} is damaged and cannot be read ({e})") from e
    return np.ascontiguousarray(cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))


def fit(image: Image, width: int, height: int) -> Image:
    """Scaled to fit inside ``width``×``height``, keeping its shape."""
    scale = min(width / image.shape[1], height / image.shape[0])
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def match_light(product: Image, scene: Image) -> Image:
    """Move the product's brightness and warmth part way toward the scene region's (Lab)."""
    mask = product[:, :, 3] > 16
    if not mask.any():
        return product
    lab = cv2.cvtColor(product[:, :, :3], cv2.COLOR_BGR2LAB).astype(np.float32)
    scene_lab = cv2.cvtColor(scene, cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float32)
    p_l, p_b = lab[:, :, 0][mask].mean(), lab[:, :, 2][mask].mean()
    s_l, s_b = scene_lab[:, 0].mean(), scene_lab[:, 2].mean()
    gain = float(np.clip((max(s_l, 1.0) / max(p_l, 1.0)) ** LIGHT_STRENGTH, 0.8, 1.2))
    lab[:, :, 0] *= gain
    lab[:, :, 2] += float(np.clip(WARMTH_STRENGTH * (s_b - p_b), -12, 12))
    bgr = cv2.cvtColor(np.clip(lab, 0, 255).astype(np.uint8), cv2.COLOR_LAB2BGR)
    return np.dstack([bgr, product[:, :, 3]])


def with_shadow(image: Image, *, opacity: float = 0.45) -> tuple[Image, int, int]:
    """The image over a blurred drop shadow; returns it and where the image's corner now sits."""
    h, w = image.shape[:2]
    blur = max(3, (min(w, h) // 18) | 1)
    off_x, off_y = max(2, w // 40), max(3, h // 28)
    pad = blur * 2
    canvas = np.zeros((h + 2 * pad + off_y, w + 2 * pad + off_x, 4), np.float32)
    shadow = np.zeros(canvas.shape[:2], np.float32)
    shadow[pad + off_y : pad + off_y + h, pad + off_x : pad + off_x + w] = image[:, :, 3] / 255
    shadow = cv2.GaussianBlur(shadow, (0, 0), blur / 2) * opacity
    top = np.zeros_like(shadow)
    top[pad : pad + h, pad : pad + w] = image[:, :, 3] / 255
    alpha = top + shadow * (1 - top)  # "over" operator
    color = np.zeros((*shadow.shape, 3), np.float32)
    color[pad : pad + h, pad : pad + w] = image[:, :, :3]
    color *= (top / np.maximum(alpha, 1e-6))[:, :, None]
    canvas[:, :, :3], canvas[:, :, 3] = color, alpha * 255
    return np.clip(canvas, 0, 255).astype(np.uint8), pad, pad


def prepare_product(product: Image, scene: Image, zone: Rect, out: Path) -> tuple[int, int]:
    """Write the product ready to overlay for ``zone`` of ``scene``; return its top-left corner."""
    fitted = fit(product, zone.w, zone.h)
    x = zone.x + (zone.w - fitted.shape[1]) // 2
    y = zone.y + (zone.h - fitted.shape[0]) // 2
    region = scene[max(0, y) : y + fitted.shape[0], max(0, x) : x + fitted.shape[1]]
    lit = match_light(fitted, region if region.size else scene)
    shadowed, dx, dy = with_shadow(lit)
    cv2.imwrite(str(out), shadowed)
    return x - dx, y - dy
