"""The product hero from any image a marketer uploads: a cut-out only where GrabCut's cut can be
believed, else the photo as a card; sized and placed to be the hero of its aspect (issue 18)."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pysubs2
import pytest

from gpu_jobs.captions import Aside, CaptionLook, build_ass, caption_lift, text_zones
from gpu_jobs.cutout import Hero, hero_image
from gpu_jobs.layouts.build import areas
from gpu_jobs.layouts.hero import HeroPlan, Placed, plan_hero
from gpu_jobs.targets import TARGETS, Rect
from gpu_jobs.voice import WordTiming

Image = np.ndarray


def _studio_shot() -> Image:
    """A teal bottle on a light grey sweep with a soft floor shadow: a clean packshot."""
    image = np.full((1000, 800, 3), 236, np.uint8)
    image[:] = np.linspace(242, 226, 1000, dtype=np.uint8)[:, None, None]
    cv2.ellipse(image, (400, 905), (170, 22), 0, 0, 360, (222, 222, 222), -1)
    image = cv2.GaussianBlur(image, (0, 0), 6)
    cv2.rectangle(image, (300, 260), (500, 900), (150, 120, 20), -1)
    cv2.rectangle(image, (360, 160), (440, 260), (40, 40, 40), -1)
    return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)


def _white_on_white() -> Image:
    image = np.full((1000, 800, 3), 255, np.uint8)
    cv2.rectangle(image, (300, 150), (500, 900), (248, 248, 248), -1)
    cv2.rectangle(image, (300, 150), (500, 900), (235, 235, 235), 2)
    return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)


def _busy() -> Image:
    rng = np.random.default_rng(1)
    image = np.zeros((900, 1200, 3), np.uint8)
    for _ in range(400):
        x, y, r = int(rng.integers(0, 1200)), int(rng.integers(0, 900)), int(rng.integers(10, 80))
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.circle(image, (x, y), r, color, -1)
    cv2.rectangle(image, (500, 200), (700, 800), (200, 90, 20), -1)
    return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)


def test_a_clean_studio_shot_is_cut_out_close_to_the_bottle() -> None:
    hero = hero_image(_studio_shot())
    assert hero.presentation == "cutout", hero.reason
    h, w = hero.image.shape[:2]
    # the bottle with its cap is 201×741 px; the cut is within a few per cent of it
    assert abs(w - 201) < 16 and abs(h - 741) < 30
    assert hero.image[h // 2, w // 2, 3] == 255


@pytest.mark.parametrize(
    ("image", "why"),
    [(_white_on_white, "stands out"), (_busy, "patchwork|ragged|border|backdrop")],
    ids=["white-on-white", "busy-background"],
)
def test_a_cut_that_cannot_be_believed_shows_the_photo_as_a_rounded_card(
    image: object, why: str
) -> None:
    photo = image()  # type: ignore[operator]
    hero = hero_image(photo)
    assert hero.presentation == "card"
    assert re.search(why, hero.reason), hero.reason
    # the whole photo, opaque, with its corners rounded off
    assert hero.image.shape[:2] == photo.shape[:2]
    assert hero.image[0, 0, 3] == 0 and hero.image[photo.shape[0] // 2, 0, 3] == 255
    assert (hero.image[:, :, :3] == photo[:, :, :3]).all()


def test_an_image_with_its_own_transparency_is_kept_as_it_is() -> None:
    image = np.zeros((600, 400, 4), np.uint8)
    cv2.rectangle(image, (100, 100), (299, 549), (30, 120, 60, 255), -1)
    hero = hero_image(image)
    assert hero.presentation == "alpha" and hero.image.shape[:2] == (450, 200)


# -- the hero's size and place, per aspect ------------------------------------------------------

ASPECTS = ["9:16", "1:1", "4:5", "16:9"]


def _alpha_product(w: int, h: int) -> Hero:
    image = np.zeros((h, w, 4), np.uint8)
    image[:, :] = (30, 120, 60, 255)
    return Hero(image, "alpha")


def _plan(hero: Hero, aspect: str) -> tuple[HeroPlan, Rect, Rect, Rect]:
    t = TARGETS[aspect]
    look = CaptionLook("word_pop", "DejaVu Sans", "#ffffff", "#ffd400")
    captions = text_zones(t.width, t.height, look)[1]
    text, safe = areas(t, 0, captions.y)
    plan = plan_hero(hero, safe, text, (t.width, t.height), (240, 240, 240))
    return plan, safe, captions, Rect(0, 0, t.width, t.height)


def _solid_box(placed: Placed) -> Rect:
    ys, xs = np.nonzero(placed.image[:, :, 3] >= 200)
    return Rect(
        placed.x + int(xs.min()),
        placed.y + int(ys.min()),
        int(xs.max() - xs.min()) + 1,
        int(ys.max() - ys.min()) + 1,
    )


@pytest.mark.parametrize("aspect", ASPECTS)
@pytest.mark.parametrize(
    "shape",
    [(300, 800), (100, 1600), (2300, 200), (800, 1000)],
    ids=["bottle", "thin", "wide", "box"],
)
def test_the_hero_holds_15_percent_of_every_frame_clear_of_interface_bands_and_captions(
    aspect: str, shape: tuple[int, int]
) -> None:
    plan, safe, captions, frame = _plan(_alpha_product(*shape), aspect)
    # the product where the plan says, by its visible pixels
    product = _solid_box(plan.product)
    assert plan.share == pytest.approx(product.w * product.h / (frame.w * frame.h), abs=0.01)
    # the hero (the product, or its stage where the product alone is smaller) is >= 15 %
    assert plan.cover >= 0.15
    assert (plan.stage is None) == (plan.share >= 0.15)
    stage = plan.stage
    for box in [product, *([Rect(stage.x, stage.y, *stage.image.shape[1::-1])] if stage else [])]:
        assert safe.y <= box.y and box.bottom <= safe.bottom  # no top or bottom UI band
        assert safe.x <= box.x and box.right <= safe.right
    if plan.aside is None:  # captions keep their band: the product stays above it
        assert product.bottom <= captions.y
    else:  # captions beside the product, in a column that stays left of it
        assert plan.aside.right < product.x and plan.aside.w >= 0.3 * safe.w


def test_a_tall_bottle_in_9_16_takes_the_full_safe_height_with_the_captions_beside_it() -> None:
    plan, safe, _, _ = _plan(_alpha_product(300, 900), "9:16")
    product = _solid_box(plan.product)
    assert plan.aside is not None and product.h > 0.9 * safe.h
    # larger than it could be above the caption band
    assert product.h > _plan(_alpha_product(300, 900), "1:1")[0].product.image.shape[0] * 0.9


def test_a_wide_product_stays_above_the_captions_on_a_stage() -> None:
    plan, safe, captions, _ = _plan(_alpha_product(2300, 200), "9:16")
    assert plan.aside is None and plan.stage is not None
    product = _solid_box(plan.product)
    assert product.w >= 0.95 * safe.w
    # in the middle of its stage, not along the panel's bottom edge (render attack M2)
    stage_middle = plan.stage.y + plan.stage.image.shape[0] / 2
    assert abs(product.y + product.h / 2 - stage_middle) <= 2
    assert plan.box.y == product.y


def test_captions_spoken_during_the_hero_move_into_the_column_beside_it() -> None:
    words = [
        WordTiming(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(["one", "two", "three", "four"])
    ]
    column = Rect(60, 300, 400, 948)
    ass = build_ass(
        words,
        1080,
        1920,
        CaptionLook("word_pop", "DejaVu Sans", "#ffffff", "#ffd400"),
        aside=Aside(1.0, 1.6, column),
    )
    doc = pysubs2.SSAFile.from_string(ass)
    style = doc.styles["Aside"]
    # the column's bottom, lifted as the caption band's last line is: its box and descenders
    # stay inside the column
    lift = caption_lift(round(style.fontsize))
    assert (style.marginl, style.marginr, style.marginv) == (60, 1080 - 460, 1920 - 1248 + lift)
    assert doc.styles["AsideBox"].borderstyle == 3  # on its own box, as the band's captions
    by_style = {e.style for e in doc.events if e.start >= 1000 and e.start < 1600}
    assert by_style == {"Aside", "AsideBox"}
    assert {e.style for e in doc.events if e.start < 1000 or e.start >= 1600} == {
        "Caption",
        "CaptionBox",
    }
