"""One layout slot -> its RGBA layers and text boxes, drawn once (Pillow), moved by ffmpeg.

Text boxes sit inside the layout area (the platform safe zone, less the logo and caption
bands) and take the colour (or plate) that reads at >= 4.5:1 against the pixels behind them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from gpu_jobs.cutout import Hero
from gpu_jobs.filtergraph import ZOOM, Layer
from gpu_jobs.layouts import draw
from gpu_jobs.layouts.contrast import BLACK, WHITE, Ink, choose_ink, on_plate, visible_fill
from gpu_jobs.layouts.cta import fit_cta
from gpu_jobs.layouts.hero import HeroPlan, plan_hero, stage_color
from gpu_jobs.layouts.planner import Layout, Slot
from gpu_jobs.targets import TARGETS, Rect
from shared.models.render import AdFacts

BGR = NDArray[np.uint8]
STAGGER_S = 0.14  # between the lines of a kinetic headline
LEGIBLE_PX = 36
# The end card's parts: their size as a share of the headline size, and their most lines.
END_TEXT = {"brand": (1.0, 2), "cta": (0.8, 1), "domain": (0.62, 3), "offer": (0.5, 3)}
# How far the end card's sizes shrink together, step by step, to fit its area.
END_SCALES = (1.0, 0.9, 0.8, 0.7, 0.62, 0.55, 0.48, 0.42)


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
        return choose_ink(
            self.behind(rect), candidates or [WHITE, BLACK, *self.c.colors], self.c.colors
        )

    def behind(self, rect: Rect) -> BGR:
        """Every backdrop pixel the box at ``rect`` may sit over while the scene plays. The still
        (``bg``) shows the whole ZOOM-times frame scaled to the output; the video shows a window
        of it that pans and scales: a frame point x lies in the still between x / ZOOM (window at
        the frame's origin, full size) and x + the window's travel (window at the far edge)."""
        w, h = self.c.width, self.c.height
        gx, gy = round(w * (ZOOM - 1) / ZOOM), round(h * (ZOOM - 1) / ZOOM)
        x0, y0 = math.floor(rect.x / ZOOM), math.floor(rect.y / ZOOM)
        x1, y1 = min(w, rect.right + gx), min(h, rect.bottom + gy)
        if self.slot.layout is Layout.END:  # the end card's ground stands still
            x0, y0, x1, y1 = rect.x, rect.y, rect.right, rect.bottom
        return self.bg[max(0, y0) : max(y0 + 1, y1), max(0, x0) : max(x0 + 1, x1)]

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
            lines = draw.wrap(" ".join(lines), self.c.font, size, self.c.area.w)
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
        """A kinetic headline: each line its own layer, rising in turn. Lines on plates are
        spaced by a whole plate and a gap, so no plate covers the descenders above it."""
        a = self.c.area
        cx = a.x + a.w // 2
        line_h = round(size * draw.LEADING) + round(size * 0.16)
        wide = max(round(draw.line_width(line, self.c.font, size)) for line in lines)
        # one colour for the whole headline, chosen against everything behind it
        ink = self.ink(Rect(cx - wide // 2, y, wide, line_h * len(lines)))
        if ink.plate:
            line_h = draw.block_height(1, size, True) + round(size * 0.12)
        y = max(a.y, min(y, a.bottom - line_h * len(lines)))
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
            mark = round(size * 1.1)
            fill = visible_fill(accent, self.behind(Rect(a.x, y, mark, mark)), self.c.colors)
            t = draw.tick(mark, fill, on_plate([fill]).text)
            self.put(Image.fromarray(np.asarray(t)), a.x, y, "slide", i * step)
            probe = draw.text_block(lines, self.c.font, size, Ink(WHITE, None, 0), align="left")
            x = a.x + round(size * 1.5)
            rect = Rect(x, y, min(probe.width, a.right - x), probe.height)
            ink = self.ink(rect)
            image = draw.text_block(lines, self.c.font, size, ink, align="left")
            rect = self.put(image, x, y, "slide", i * step)
            self.box(item, rect, ink, i * step)

    def proof(self, facts: AdFacts) -> None:
        """Stars, the rating and the proof line; the stars and the figure shrink to leave the
        proof line room for two lines at the legible size (a tall caption band left it none)."""
        a = self.c.area
        cx = a.x + a.w // 2
        big = _big(self.c)
        y = a.y + a.h // 5
        if facts.rating is not None:
            star_px, figure_px = min(a.w / 6.5, big * 1.2), big * 1.5
            room = a.bottom - y - (draw.block_height(2, LEGIBLE_PX, True) if facts.proof else 0)
            tall = star_px + big / 3 + draw.block_height(1, round(figure_px), True) + big / 4
            k = max(0.4, min(1.0, room / tall))
            star = draw.stars(facts.rating, round(star_px * k))
            self.put(star, cx - star.width // 2, y, "pop")
            y += star.height + round(big * k / 3)
            figure = f"{facts.rating:g}"
            r = self.text(figure, [figure], round(figure_px * k), cx, y, "rise", 0.2)
            y = r.bottom + round(big * k / 4)
        if facts.proof:
            size, lines = draw.fit(
                facts.proof, self.c.font, a.w, a.bottom - y, 3, big * 2 // 3, LEGIBLE_PX
            )
            self.text(facts.proof, lines, size, cx, y, "rise", 0.45)

    def offer(self, facts: AdFacts) -> None:
        a = self.c.area
        cx = a.x + a.w // 2
        y = a.y + a.h // 8
        if facts.offer_figure:
            d = round(min(a.w * 0.62, a.h * 0.5))
            fill = visible_fill(
                _accent(self.c.colors), self.behind(Rect(cx - d // 2, y, d, d)), self.c.colors
            )
            ink = on_plate([fill])
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
        """Brand (or logo), CTA button, domain and offer, stacked inside the text area: sizes
        shrink together until the stack fits; a line too long even at the legible size wraps at
        word boundaries, a name is shortened with an ellipsis, nothing is dropped or overflows."""
        a = self.c.area
        cx = a.x + a.w // 2
        for scale in END_SCALES:
            parts = self.end_parts(facts, logo, scale)
            gap = round(_big(self.c) * 0.3 * scale)
            total = sum(h for _, h in parts) + gap * (len(parts) - 1)
            if total <= a.h:
                break
        y = a.y + max(0, (a.h - total) // 3)
        for (kind, h), delay in zip(parts, (0.0, 0.25, 0.45, 0.6), strict=False):
            self.end_part(kind, facts, logo, scale, cx, y, delay)
            y += h + gap

    def end_parts(self, facts: AdFacts, logo: BGR | None, scale: float) -> list[tuple[str, int]]:
        """The end card's parts at ``scale`` with the height each takes."""
        parts = []
        if logo is not None:
            parts.append(("logo", self.logo_size(logo, scale)[1]))
        elif facts.brand:
            size, lines = self.end_fit("brand", facts.brand, scale)
            parts.append(("brand", draw.block_height(len(lines), size, True)))
        if facts.cta:
            size, lines = self.end_fit("cta", facts.cta, scale)
            parts.append(("cta", draw.button_size(lines, self.c.font, size)[1]))
        if facts.domain:
            size, lines = self.end_fit("domain", facts.domain, scale)
            parts.append(("domain", draw.block_height(len(lines), size, True)))
        if facts.offer:
            size, lines = self.end_fit("offer", facts.offer, scale)
            parts.append(("offer", draw.block_height(len(lines), size, True)))
        return parts

    def end_fit(self, kind: str, text: str, scale: float) -> tuple[int, list[str]]:
        share, lines = END_TEXT[kind]
        a, big, least = self.c.area, _big(self.c), _legible(self.c)
        top = max(least, round(big * share * scale))
        if kind == "cta":  # said whole, or the render is refused
            return fit_cta(text, self.c.font, a.w, top, least, _aspect(self.c))
        # the text's own plate (if it gets one) takes 0.7 sizes of the width
        width = round(a.w - 0.7 * top)
        return draw.fit(text, self.c.font, width, a.h, lines, top, least, domain=kind == "domain")

    def logo_size(self, logo: BGR, scale: float) -> tuple[int, int]:
        a = self.c.area
        lw = round(min(a.w * 0.45, a.h * 0.18 * scale * logo.shape[1] / logo.shape[0]))
        return lw, max(2, round(logo.shape[0] * lw / logo.shape[1]))

    def end_part(
        self,
        kind: str,
        facts: AdFacts,
        logo: BGR | None,
        scale: float,
        cx: int,
        y: int,
        delay: float,
    ) -> None:
        if kind == "logo" and logo is not None:
            lw, lh = self.logo_size(logo, scale)
            small = cv2.resize(logo, (lw, lh), interpolation=cv2.INTER_AREA)
            image = Image.fromarray(cv2.cvtColor(small, cv2.COLOR_BGRA2RGBA))
            self.put(image, cx - lw // 2, y, "fade")
            return
        text = {"brand": facts.brand, "cta": facts.cta, "domain": facts.domain}.get(kind)
        text = text or facts.offer or ""
        size, lines = self.end_fit(kind, text, scale)
        if kind != "cta":
            self.text(text, lines, size, cx, y, "fade" if kind == "brand" else "rise", delay)
            return
        w, h = draw.button_size(lines, self.c.font, size)
        fill = visible_fill(
            _accent(self.c.colors), self.behind(Rect(cx - w // 2, y, w, h)), self.c.colors
        )
        ink = on_plate([fill])
        image = draw.button(lines, self.c.font, size, ink)
        rect = self.put(image, cx - image.width // 2, y, "pop", delay)
        self.box(text, rect, ink, delay)


def _aspect(c: Canvas) -> str:
    return next(
        (t.name for t in TARGETS.values() if (t.width, t.height) == (c.width, c.height)),
        f"{c.width}x{c.height}",
    )


def _legible(c: Canvas) -> int:
    """The smallest text size the end card uses: OCR (and a viewer at arm's length) misread
    letters smaller than about 36 px on a 1080 px frame."""
    return max(LEGIBLE_PX, round(_big(c) * 0.4))


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
