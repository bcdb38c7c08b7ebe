"""One layout slot -> its RGBA layers and text boxes, drawn once (Pillow), moved by ffmpeg.

Text boxes sit inside the layout area (the platform safe zone, less the logo and caption
bands) and take the colour (or plate) that reads at >= 4.5:1 against the pixels behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from gpu_jobs.cutout import Hero
from gpu_jobs.filtergraph import Layer
from gpu_jobs.layouts import draw
from gpu_jobs.layouts.contrast import BLACK, WHITE, Ink, choose_ink, on_plate
from gpu_jobs.layouts.hero import HeroPlan, plan_hero, stage_color
from gpu_jobs.layouts.planner import Layout, Slot
from gpu_jobs.targets import Rect
from shared.models.render import AdFacts

BGR = NDArray[np.uint8]
# How far the backdrop's motion (ZOOM 1.15) can move what is behind a box: contrast is measured
# over the box grown by this share of the frame, so it holds for every frame of the scene.
MOTION_SHARE = 0.06
STAGGER_S = 0.14  # between the lines of a kinetic headline


@dataclass(frozen=True)
class TextBox:
    """A drawn text element, for the manifest and the quality bench."""

    text: str
    rect: Rect  # resting position in the frame
    color: str
    plate: str | None
    contrast: float
    start_s: float  # video time
    end_s: float


@dataclass(frozen=True)
class Canvas:
    """What every layout of one target draws with."""

    width: int
    height: int
    area: Rect  # where text may go
    hero: Rect  # where the product hero may go
    font: str  # font file
    colors: list[str]  # brand colours
    work: Path
    tag: str  # file-name prefix for this target


@dataclass
class Drawn:
    layers: list[Layer]
    boxes: list[TextBox]
    hero: HeroPlan | None = None  # the hero slot's composition (its last layer: the product)


def compose(
    slot: Slot,
    local_start: float,
    backdrop: BGR,
    canvas: Canvas,
    facts: AdFacts,
    product: Hero | None,
    logo: BGR | None,
    index: int,
) -> Drawn:
    """Layers for ``slot``, timed in its scene's own clock (the slot starts at ``local_start``)."""
    d = _Drawer(slot, local_start, backdrop, canvas, index)
    a = canvas.area
    if slot.layout is Layout.HOOK and slot.text:
        size, lines = draw.fit(slot.text, canvas.font, a.w, a.h // 2, 4, _big(canvas), 36)
        d.lines(lines, size, a.y + a.h // 3, "rise")
    elif slot.layout is Layout.HERO and product is not None:
        d.hero(product)
    elif slot.layout is Layout.BENEFITS:
        d.benefits(facts.benefits)
    elif slot.layout is Layout.PROOF:
        d.proof(facts)
    elif slot.layout is Layout.OFFER and facts.offer:
        d.offer(facts)
    elif slot.layout is Layout.TESTIMONIAL and facts.quote:
        d.quote(facts.quote)
    elif slot.layout is Layout.END:
        d.end_card(facts, logo)
    return Drawn(d.layers, d.boxes, d.hero_plan)


def _big(c: Canvas) -> int:
    return round(min(c.width, c.height * 0.75) / 9)


class _Drawer:
    def __init__(self, slot: Slot, local: float, backdrop: BGR, canvas: Canvas, index: int):
        self.slot, self.local, self.bg, self.c, self.index = slot, local, backdrop, canvas, index
        self.layers: list[Layer] = []
        self.boxes: list[TextBox] = []
        self.hero_plan: HeroPlan | None = None

    # -- placing -------------------------------------------------------------------------------
    def put(self, image: Image.Image, x: int, y: int, enter: str, delay: float = 0.0) -> Rect:
        n = len(self.layers)
        path = self.c.work / f"{self.c.tag}-l{self.index}-{n}.png"
        w, h = image.size[0] + image.size[0] % 2, image.size[1] + image.size[1] % 2
        if (w, h) != image.size:  # even sizes: layers are composited as 4:2:0
            even = Image.new("RGBA", (w, h), (0, 0, 0, 0))
            even.paste(image, (0, 0))
            image = even
        image.save(path, compress_level=1)
        x = int(np.clip(x, 0, self.c.width - w))
        y = int(np.clip(y, 0, self.c.height - h))
        start = self.local + min(delay, max(0.0, self.slot.duration_s - 0.6))
        end = self.local + self.slot.duration_s
        leaves = self.slot.layout is not Layout.END
        self.layers.append(
            Layer(path, x, y, w, h, round(start, 3), round(end, 3), enter, leaves)  # type: ignore[arg-type]
        )
        return Rect(x, y, w, h)

    def ink(self, rect: Rect, candidates: list[str] | None = None) -> Ink:
        """The text colour for a box at ``rect`` over this scene's backdrop."""
        g = round(MOTION_SHARE * min(self.c.width, self.c.height))
        x0, y0 = max(0, rect.x - g), max(0, rect.y - g)
        behind = self.bg[y0 : rect.bottom + g, x0 : rect.right + g]
        return choose_ink(behind, candidates or [WHITE, BLACK, *self.c.colors], self.c.colors)

    def text(
        self,
        text: str,
        lines: list[str],
        size: int,
        cx: int,
        y: int,
        enter: str,
        delay: float,
        plate: bool = False,
        ink: Ink | None = None,
    ) -> Rect:
        """Text centred on ``cx`` at ``y``: measured, coloured for its backdrop (or the given
        ``ink``), made smaller until it fits the text area's width, placed."""
        probe = draw.text_block(lines, self.c.font, size, Ink(WHITE, None, 0))
        rect = Rect(cx - probe.width // 2, y, probe.width, probe.height)
        ink = ink or (on_plate(self.c.colors) if plate else self.ink(rect))
        image = draw.text_block(lines, self.c.font, size, ink)
        while image.width > self.c.area.w and size > 12:
            size = int(size * 0.94)
            lines = draw.wrap(" ".join(lines), draw.font(self.c.font, size), self.c.area.w)
            image = draw.text_block(lines, self.c.font, size, ink)
        rect = Rect(cx - image.width // 2, y, image.width, image.height)
        rect = self.put(image, rect.x, rect.y, enter, delay)
        self.box(text, rect, ink, delay)
        return rect

    def box(self, text: str, rect: Rect, ink: Ink, delay: float) -> None:
        s = self.slot
        self.boxes.append(
            TextBox(
                text,
                rect,
                ink.text,
                ink.plate,
                round(ink.ratio, 2),
                round(s.start_s + delay, 3),
                round(s.start_s + s.duration_s, 3),
            )
        )

    # -- layouts -------------------------------------------------------------------------------
    def lines(self, lines: list[str], size: int, y: int, enter: str) -> None:
        """A kinetic headline: each line its own layer, rising in turn."""
        cx = self.c.area.x + self.c.area.w // 2
        line_h = round(size * draw.LEADING) + round(size * 0.16)
        face = draw.font(self.c.font, size)
        wide = max(round(draw.text_width(line, face)) for line in lines)
        # one colour for the whole headline, chosen against everything behind it
        ink = self.ink(Rect(cx - wide // 2, y, wide, line_h * len(lines)))
        for i, line in enumerate(lines):
            self.text(line, [line], size, cx, y + i * line_h, enter, i * STAGGER_S, ink=ink)

    def hero(self, product: Hero) -> None:
        """The product, as large as the safe zone allows clear of the captions, scaling in over
        its shadow (and its stage, when it alone is too small to hold the frame)."""
        c = self.c
        plan = plan_hero(
            product, c.hero, c.area, (c.width, c.height), stage_color(self.bg, c.colors)
        )
        for placed, enter in ((plan.stage, "fade"), (plan.product, "pop")):
            if placed is not None:
                image = Image.fromarray(cv2.cvtColor(placed.image, cv2.COLOR_BGRA2RGBA))
                self.put(image, placed.x, placed.y, enter)
        self.hero_plan = plan

    def benefits(self, items: list[str]) -> None:
        a = self.c.area
        n = len(items[:3])
        size = min(
            draw.fit(
                b, self.c.font, round(a.w * 0.8), a.h // (n * 2), 2, _big(self.c) * 2 // 3, 30
            )[0]
            for b in items[:3]
        )
        row_h = round(a.h * 0.8 / n)
        step = min(0.6, self.slot.duration_s / (n + 2))
        accent = _accent(self.c.colors)
        for i, item in enumerate(items[:3]):
            _, lines = draw.fit(item, self.c.font, round(a.w * 0.8), row_h, 2, size, 30)
            y = a.y + round(a.h * 0.1) + i * row_h
            t = draw.tick(round(size * 1.1), accent, on_plate([accent]).text)
            self.put(Image.fromarray(np.asarray(t)), a.x, y, "slide", i * step)
            probe = draw.text_block(lines, self.c.font, size, Ink(WHITE, None, 0), align="left")
            x = a.x + round(size * 1.5)
            rect = Rect(x, y, min(probe.width, a.right - x), probe.height)
            ink = self.ink(rect)
            image = draw.text_block(lines, self.c.font, size, ink, align="left")
            rect = self.put(image, x, y, "slide", i * step)
            self.box(item, rect, ink, i * step)

    def proof(self, facts: AdFacts) -> None:
        a = self.c.area
        cx = a.x + a.w // 2
        y = a.y + a.h // 5
        big = _big(self.c)
        if facts.rating is not None:
            star = draw.stars(facts.rating, round(min(a.w / 6.5, big * 1.2)))
            self.put(star, cx - star.width // 2, y, "pop")
            y += star.height + big // 3
            figure = f"{facts.rating:g}"
            r = self.text(figure, [figure], round(big * 1.5), cx, y, "rise", 0.2)
            y = r.bottom + big // 4
        if facts.proof:
            size, lines = draw.fit(facts.proof, self.c.font, a.w, a.bottom - y, 3, big * 2 // 3, 30)
            self.text(facts.proof, lines, size, cx, y, "rise", 0.45)

    def offer(self, facts: AdFacts) -> None:
        a = self.c.area
        cx = a.x + a.w // 2
        y = a.y + a.h // 8
        if facts.offer_figure:
            d = round(min(a.w * 0.62, a.h * 0.5))
            ink = on_plate([_accent(self.c.colors)])
            image = draw.badge(facts.offer_figure, self.c.font, d, ink)
            rect = self.put(image, cx - d // 2, y, "pop")
            inner = round(d * 0.7)
            self.box(
                facts.offer_figure,
                Rect(cx - inner // 2, y + (d - inner) // 2, inner, inner),
                ink,
                0.0,
            )
            y = rect.bottom + _big(self.c) // 3
        assert facts.offer
        size, lines = draw.fit(
            facts.offer, self.c.font, a.w, a.bottom - y, 3, _big(self.c) * 2 // 3, 30
        )
        self.text(facts.offer, lines, size, cx, y, "rise", 0.35)

    def quote(self, quote: str) -> None:
        a = self.c.area
        text = f"\u201c{quote}\u201d"
        size, lines = draw.fit(
            text, self.c.font, round(a.w * 0.86), a.h // 2, 5, _big(self.c) * 2 // 3, 30
        )
        self.text(quote, lines, size, a.x + a.w // 2, a.y + a.h // 4, "rise", 0.0, plate=True)

    def end_card(self, facts: AdFacts, logo: BGR | None) -> None:
        a = self.c.area
        cx = a.x + a.w // 2
        big = _big(self.c)
        y = a.y + round(a.h * 0.02)
        if logo is not None:
            lw = round(min(a.w * 0.45, a.h * 0.18 * logo.shape[1] / logo.shape[0]))
            lh = max(2, round(logo.shape[0] * lw / logo.shape[1]))
            image = Image.fromarray(
                cv2.cvtColor(
                    cv2.resize(logo, (lw, lh), interpolation=cv2.INTER_AREA), cv2.COLOR_BGRA2RGBA
                )
            )
            y = self.put(image, cx - lw // 2, y, "fade").bottom + big // 3
        elif facts.brand:
            y = self.text(facts.brand, [facts.brand], big, cx, y, "fade", 0.0).bottom + big // 2
        if facts.cta:
            ink = on_plate([_accent(self.c.colors)])
            size = draw.fit(facts.cta, self.c.font, round(a.w * 0.7), big, 1, round(big * 0.8), 28)[
                0
            ]
            image = draw.button(facts.cta, self.c.font, size, ink)
            rect = self.put(image, cx - image.width // 2, y, "pop", 0.25)
            self.box(facts.cta, rect, ink, 0.25)
            y = rect.bottom + big // 3
        if facts.domain:
            size = draw.fit(facts.domain, self.c.font, a.w, big, 1, round(big * 0.62), 24)[0]
            y = self.text(facts.domain, [facts.domain], size, cx, y, "rise", 0.45).bottom + big // 3
        if facts.offer and y < a.bottom - big // 3:
            size, lines = draw.fit(
                facts.offer, self.c.font, a.w, a.bottom - y, 2, round(big * 0.5), 24
            )
            self.text(facts.offer, lines, size, cx, y, "rise", 0.6)


def _accent(colors: list[str]) -> str:
    """The most saturated brand colour: buttons, badges and ticks wear it."""

    def saturation(c: str) -> float:
        r, g, b = (int(c[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return max(r, g, b) - min(r, g, b)

    return max(colors, key=saturation)


def end_backdrop(width: int, height: int, colors: list[str]) -> BGR:
    """The end card's own ground: the darkest brand colour, lit a little toward the top."""
    from gpu_jobs.layouts.contrast import hex_rgb, luminance

    dark = min(colors, key=luminance)
    r, g, b = hex_rgb(dark)
    base = np.array([b, g, r], np.float32)
    ramp = np.linspace(1.18, 0.85, height, dtype=np.float32)[:, None, None]
    image = np.clip(base[None, None, :] * ramp + 6 * (ramp - 0.85), 0, 255)
    return np.ascontiguousarray(np.broadcast_to(image, (height, width, 3)).astype(np.uint8))
