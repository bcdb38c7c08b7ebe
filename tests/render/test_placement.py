"""Product placement and composite: clear of detail and text, shadowed, lit like the scene."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from gpu_jobs.composite import match_light, prepare_product, with_shadow
from gpu_jobs.placement import choose_zone
from gpu_jobs.targets import Rect


def _scene_busy_on_the_left() -> np.ndarray:
    image = np.full((1920, 1080, 3), 120, np.uint8)
    rng = np.random.default_rng(1)
    image[:, :540] = rng.integers(0, 255, (1920, 540, 3), dtype=np.uint8)  # detail
    return image


def test_zone_avoids_detail_and_text_zones() -> None:
    allowed = Rect(60, 269, 870, 979)
    caption = Rect(0, 1000, 1080, 250)
    zone = choose_zone(_scene_busy_on_the_left(), 400, 400, allowed, [caption])
    assert zone.x >= 480  # on the calm right half
    assert zone.overlap(caption) == 0
    assert allowed.x <= zone.x and zone.right <= allowed.right


def test_shadow_extends_below_and_is_soft() -> None:
    product = np.zeros((100, 60, 4), np.uint8)
    product[:, :, :3], product[:, :, 3] = 200, 255
    out, dx, dy = with_shadow(product)
    alpha = out[:, :, 3]
    assert (dx, dy) != (0, 0)
    below = alpha[dy + 100 + 2, dx + 30]
    assert 0 < below < 255  # partly transparent shadow under the product


def test_light_moves_toward_a_dark_scene() -> None:
    product = np.zeros((50, 50, 4), np.uint8)
    product[:, :, :3], product[:, :, 3] = 200, 255
    dark = np.full((50, 50, 3), 30, np.uint8)
    lit = match_light(product, dark)
    assert lit[:, :, :3].mean() < 200 and lit[:, :, 3].min() == 255


def test_prepared_product_is_an_rgba_png(tmp_path: Path) -> None:
    product = np.zeros((80, 40, 4), np.uint8)
    product[10:70, 10:30] = (0, 0, 255, 255)
    x, y = prepare_product(
        product, np.full((400, 400, 3), 128, np.uint8), Rect(100, 100, 200, 200), tmp_path / "p.png"
    )
    written = cv2.imread(str(tmp_path / "p.png"), cv2.IMREAD_UNCHANGED)
    assert written.shape[2] == 4 and 50 < x < 200 and 50 < y < 200
