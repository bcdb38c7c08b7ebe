"""A designed video for one target: the planner's slots drawn over the scene inputs, the end
card appended (it takes the last scene's closing seconds), and what was drawn, for the manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from gpu_jobs.composite import load_bgra
from gpu_jobs.cutout import Hero, hero_image
from gpu_jobs.filtergraph import ZOOM, SceneInput
from gpu_jobs.layouts import glyphs
from gpu_jobs.layouts.design import BGR, Canvas, TextBox, compose, end_backdrop
from gpu_jobs.layouts.hero import HeroPlan
from gpu_jobs.layouts.planner import Layout, Slot, plan
from gpu_jobs.scenes import write_y4m
from gpu_jobs.targets import Rect, Target, safe_rect
from shared.errors import BadInput
from shared.models.render import Motion, RenderSpec

# Room kept between the layouts' text and the caption band below it.
CAPTION_GAP = 16
# Texts the end card must show whole or not at all (see drawable).
WHOLE = ("design.facts.cta", "design.facts.domain")


@dataclass(frozen=True)
class Designed:
    scenes: list[SceneInput]
    slots: list[Slot]
    boxes: list[TextBox]
    hero: Rect | None  # where the product rests in its hero slot
    hero_window: tuple[float, float] | None
    end_start_s: float
    product: Hero | None = None
    hero_plan: HeroPlan | None = None
    warnings: tuple[str, ...] = ()

    @property
    def aside(self) -> Rect | None:
        """Where the captions go during the hero window (beside a tall product), if moved."""
        return self.hero_plan.aside if self.hero_plan else None

    def manifest(self) -> dict[str, Any]:
        return {
            "layouts": [s.layout.value for s in self.slots],
            "slots": [
                {
                    "layout": s.layout.value,
                    "start_s": round(s.start_s, 3),
                    "end_s": round(s.start_s + s.duration_s, 3),
                }
                for s in self.slots
            ],
            "text_boxes": [asdict(b) for b in self.boxes],
            "hero": asdict(self.hero) if self.hero else None,
            "hero_window": list(self.hero_window) if self.hero_window else None,
            # alpha (the image's own cut-out), cutout (GrabCut) or card (the photo, because
            # the cut failed: hero_reason says why)
            "hero_presentation": self.product.presentation if self.product else None,
            "hero_reason": self.product.reason if self.product else None,
            "captions_aside": asdict(self.aside) if self.aside else None,
            # the product's visible pixels, and the hero's (stage or product box), per frame
            "hero_share": self.hero_plan.share if self.hero_plan else None,
            "hero_cover": self.hero_plan.cover if self.hero_plan else None,
            "hero_stage": self.hero_plan.stage is not None if self.hero_plan else None,
            "hero_product": asdict(self.hero_plan.box) if self.hero_plan else None,
            "end_card_start_s": round(self.end_start_s, 3),
            "warnings": list(self.warnings),
        }


def areas(target: Target, logo_offset: int, caption_top: int | None) -> tuple[Rect, Rect]:
    """Where text may go (the safe zone less the logo and the caption band) and where the
    product hero may go: the safe zone, whose top and bottom keep every platform's interface
    bands clear (:data:`gpu_jobs.targets.UI_OVERLAYS`); the hero layout keeps it off the
    captions."""
    w, h = target.width, target.height
    safe = safe_rect(w, h)
    top = safe.y + logo_offset
    bottom = (caption_top - CAPTION_GAP) if caption_top else safe.bottom
    text = Rect(safe.x, top, safe.w, max(1, min(bottom, safe.bottom) - top))
    return text, safe


def design(
    spec: RenderSpec,
    inputs: Sequence[SceneInput],
    views: Sequence[BGR],
    target: Target,
    products: Sequence[Path],
    logo: Path | None,
    font: str,
    logo_offset: int,
    caption_top: int | None,
    work: Path,
) -> Designed:
    assert spec.design is not None
    spec, warnings = drawable(spec, font)
    d = spec.design
    assert d is not None
    durations = [s.duration_s for s in inputs]
    product = hero_image(load_bgra(products[0], "product_images.0")) if products else None
    logo_img = load_bgra(logo, "brand.logo") if logo else None
    slots = plan(
        spec.scenes,
        durations,
        d.facts,
        d.variant,
        has_product=product is not None,
        end_card_s=d.end_card_s,
    )
    text, hero = areas(target, logo_offset, caption_top)
    canvas = Canvas(
        target.width,
        target.height,
        text,
        hero,
        font,
        spec.brand.colors,
        work,
        f"design-{target.slug}",
    )
    end = slots[-1]
    scenes = list(inputs)
    scenes[-1] = replace(scenes[-1], duration_s=scenes[-1].duration_s - end.duration_s)
    # the end card's own ground, framed like a still scene (ZOOM times the frame)
    pw, ph = _even(target.width * ZOOM), _even(target.height * ZOOM)
    ground = end_backdrop(pw, ph, spec.brand.colors)
    path = work / f"end-{target.slug}.y4m"
    write_y4m(path, ground, spec.fps)
    scenes.append(SceneInput("still", path, end.duration_s, Motion.NONE))
    x0, y0 = (pw - target.width) // 2, (ph - target.height) // 2
    backdrops = [
        *views,
        np.ascontiguousarray(ground[y0 : y0 + target.height, x0 : x0 + target.width]),
    ]
    starts = [sum(durations[:i]) for i in range(len(durations))] + [end.start_s]
    layers: list[list[Any]] = [[] for _ in scenes]
    boxes: list[TextBox] = []
    hero_rect, hero_window, hero_plan = None, None, None
    for n, slot in enumerate(slots):
        at = len(scenes) - 1 if slot.scene < 0 else slot.scene
        drawn = compose(
            slot, slot.start_s - starts[at], backdrops[at], canvas, d.facts, product, logo_img, n
        )
        layers[at] += drawn.layers
        boxes += drawn.boxes
        if slot.layout is Layout.HERO and drawn.layers and drawn.hero:
            top = drawn.layers[-1]  # the product (a stage, if any, is under it)
            hero_rect = Rect(top.x, top.y, top.w, top.h)
            hero_plan = drawn.hero
            hero_window = (round(slot.start_s, 3), round(slot.start_s + slot.duration_s, 3))
    scenes = [
        replace(s, layers=tuple(ls), product=None) for s, ls in zip(scenes, layers, strict=True)
    ]
    return Designed(
        scenes, slots, boxes, hero_rect, hero_window, end.start_s, product, hero_plan, warnings
    )


def drawable(spec: RenderSpec, font: str) -> tuple[RenderSpec, tuple[str, ...]]:
    """``spec`` with the characters no installed font draws left out of its designed text (a
    text left empty is no text), and a warning for each text that lost some: a box drawn for a
    character (tofu) would state nothing, and a half-drawn name is better flagged than hidden.

    The CTA and the landing domain are refused instead (BadInput): with characters left out
    they are another call to action and an address that leads elsewhere (an outside attack:
    a CJK domain was drawn as ".example")."""
    assert spec.design is not None
    warnings: list[str] = []

    def keep(where: str, text: str | None) -> str | None:
        if not text:
            return text
        lost = glyphs.missing(text, font)
        if not lost:
            return text
        if where in WHOLE:
            raise BadInput(
                f"{where}: no installed font draws {lost!r} of {text!r}, and the end card "
                "cannot show it without them; install a font that has them (the render "
                "image's Dockerfile installs fonts-noto-cjk) or give the text in a script "
                "the brand font has"
            )
        warnings.append(
            f"{where}: no installed font draws {lost!r}; left out of the drawn text "
            "(install a font that has them, e.g. fonts-noto-cjk)"
        )
        return glyphs.drawable(text, font) or None

    f = spec.design.facts
    facts = f.model_copy(
        update={
            name: keep(f"design.facts.{name}", getattr(f, name))
            for name in ("brand", "cta", "domain", "offer", "offer_figure", "proof", "quote")
        }
        | {"benefits": [b for b in (keep("design.facts.benefits", x) for x in f.benefits) if b]}
    )
    scenes = [
        s.model_copy(update={"text": keep(f"scenes.{i}.text", s.text)})
        for i, s in enumerate(spec.scenes)
    ]
    design = spec.design.model_copy(update={"facts": facts})
    return spec.model_copy(update={"scenes": scenes, "design": design}), tuple(warnings)


def _even(v: float) -> int:
    return int(round(v / 2)) * 2
