"""Drawing primitives for layout layers (Pillow): fitted text, plates, buttons, stars, ticks.

Every layer is drawn once as an RGBA PNG; ffmpeg only moves and fades it (gpu_jobs/filtergraph)."""

from __future__ import annotations

import math
import re
import subprocess
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from gpu_jobs.layouts import glyphs
from gpu_jobs.layouts.contrast import Ink, hex_rgb

RGBA = tuple[int, int, int, int]

# Line height as a share of the font size, and the plate's padding as a share of it.
LEADING = 1.18
PAD = 0.35
ELLIPSIS = "\u2026"
# Below this no text is drawn, whatever it takes to fit it (a last resort, never the plan).
SMALLEST = 12


@cache
def font_file(family: str, fonts_dir: Path | None = None, *, bold: bool = True) -> str:
    """A font file for ``family``: the brand's own file when the spec gave one, else the
    installed face fontconfig matches (bold for display text)."""
    if fonts_dir is not None:
        for path in sorted(fonts_dir.iterdir()):
            if path.suffix.lower() in (".ttf", ".otf", ".ttc"):
                return str(path)
    pattern = f"{family}:bold" if bold else family
    out = subprocess.run(
        ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


@cache
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def text_width(text: str, face: ImageFont.FreeTypeFont) -> float:
    return float(face.getlength(text))


def line_width(line: str, path: str, size: int) -> float:
    """The drawn width of ``line``, its characters the font lacks in their fallback fonts."""
    return sum(float(font(p, size).getlength(piece)) for p, piece in glyphs.runs(line, path))


def draw_line(
    draw: ImageDraw.ImageDraw, x: float, top: float, line: str, path: str, size: int, fill: RGBA
) -> None:
    """``line`` with its top at ``top``: each run in the font that has its characters, all on
    the primary font's baseline."""
    baseline = top + font(path, size).getmetrics()[0]
    for p, piece in glyphs.runs(line, path):
        face = font(p, size)
        draw.text((x, baseline), piece, font=face, fill=fill, anchor="ls")
        x += float(face.getlength(piece))


def _pieces(text: str, domain: bool) -> list[str]:
    """Where a line may break: between words, or for a domain after its dots and hyphens."""
    if domain:
        return re.findall(r"[^.\-/]+[.\-/]*|[.\-/]+", text)
    return text.split()


def wrap(text: str, path: str, size: int, width: int, *, domain: bool = False) -> list[str]:
    """Greedy wrap to ``width`` pixels at word boundaries (a single too-long word keeps its own
    line; a domain breaks only after a dot or a hyphen)."""
    joiner = "" if domain else " "
    lines: list[str] = []
    for piece in _pieces(text, domain):
        if lines and line_width(f"{lines[-1]}{joiner}{piece}", path, size) <= width:
            lines[-1] = f"{lines[-1]}{joiner}{piece}"
        else:
            lines.append(piece)
    return lines or [""]


def shorten(text: str, path: str, size: int, width: int, max_lines: int) -> list[str]:
    """As many whole words of ``text`` as fit ``max_lines`` lines of ``width``, the last line
    ending in an ellipsis: a name is never cut mid-word."""
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n]).rstrip(" ,;:-") + ELLIPSIS
        lines = wrap(head, path, size, width)
        if len(lines) <= max_lines and all(line_width(x, path, size) <= width for x in lines):
            return lines
    return wrap(text, path, size, width)[:max_lines]


def fits(lines: list[str], path: str, size: int, width: int, height: int, max_lines: int) -> bool:
    tall = len(lines) * size * LEADING
    wide = max(line_width(line, path, size) for line in lines)
    return len(lines) <= max_lines and tall <= height and wide <= width


def fit(
    text: str,
    path: str,
    width: int,
    height: int,
    max_lines: int,
    max_size: int,
    min_size: int,
    *,
    domain: bool = False,
) -> tuple[int, list[str]]:
    """The largest size (down to ``min_size``, the smallest OCR and people read) at which
    ``text`` wraps into ``max_lines`` lines inside width x height. Text too long for that is
    shortened at a word boundary with an ellipsis at ``min_size``; a domain is never shortened
    (a cut address leads nowhere), and neither is a single word too wide for a line: they
    shrink below ``min_size`` instead, down to the point where they fit."""
    size = max_size
    while True:
        lines = wrap(text, path, size, width, domain=domain)
        if fits(lines, path, size, width, height, max_lines):
            return size, lines
        if size <= min_size:
            break
        size = max(min_size, int(size * 0.92))
    room = max(1, min(max_lines, int(height // (size * LEADING))))
    if not domain:
        lines = shorten(text, path, size, width, room)
        if fits(lines, path, size, width, height, room):
            return size, lines
    while size > SMALLEST and not fits(lines, path, size, width, height, room):
        size = max(SMALLEST, int(size * 0.92))
        lines = wrap(text, path, size, width, domain=domain)
        if not domain and len(lines) > room:
            lines = shorten(text, path, size, width, room)
    return size, lines[:room]


def text_block(
    lines: list[str], path: str, size: int, ink: Ink, *, align: str = "center", radius: int = 0
) -> Image.Image:
    """The lines in ``ink`` on a transparent layer, or on one rounded plate behind them all
    when ``ink`` has one."""
    pad = round(size * PAD) if ink.plate else round(size * 0.08)
    line_h = round(size * LEADING)
    width = math.ceil(max(line_width(line, path, size) for line in lines)) + 2 * pad
    height = line_h * len(lines) + 2 * pad
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if ink.plate:
        draw.rounded_rectangle(
            (0, 0, width - 1, height - 1),
            radius or round(size * 0.4),
            fill=(*hex_rgb(ink.plate), 255),
        )
    for i, line in enumerate(lines):
        lw = line_width(line, path, size)
        x = pad + {"center": (width - 2 * pad - lw) / 2, "left": 0.0}[align]
        y = pad + i * line_h + (line_h - size) / 2
        draw_line(draw, x, y, line, path, size, (*hex_rgb(ink.text), 255))
    return image


def block_height(lines: int, size: int, plate: bool) -> int:
    """The height ``text_block`` gives ``lines`` lines."""
    pad = round(size * PAD) if plate else round(size * 0.08)
    return round(size * LEADING) * lines + 2 * pad


def button(lines: list[str], path: str, size: int, ink: Ink) -> Image.Image:
    """A call to action as a pill-shaped button: its lines centred on a solid plate (a label
    of two lines keeps the one-line pill's corner radius, so no corner cuts a letter)."""
    assert ink.plate is not None, "a button always has its plate"
    pad_x, pad_y = round(size * 0.9), round(size * 0.5)
    line_h = round(size * LEADING)
    w, h = button_size(lines, path, size)
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, w - 1, h - 1), (line_h + 2 * pad_y) // 2, fill=(*hex_rgb(ink.plate), 255)
    )
    for i, line in enumerate(lines):
        x = pad_x + (w - 2 * pad_x - line_width(line, path, size)) / 2
        top = pad_y + i * line_h + (line_h - size) / 2
        draw_line(draw, x, top, line, path, size, (*hex_rgb(ink.text), 255))
    return image


def button_size(lines: list[str], path: str, size: int) -> tuple[int, int]:
    """The width and height ``button`` gives ``lines`` at ``size``."""
    w = math.ceil(max(line_width(line, path, size) for line in lines)) + 2 * round(size * 0.9)
    return w, round(size * LEADING) * len(lines) + 2 * round(size * 0.5)


def stars(rating: float, size: int, color: str = "#f5b700") -> Image.Image:
    """Five stars, filled to ``rating`` (a partial star is cut at its share)."""
    gap = size // 6
    w, h = 5 * size + 4 * gap, size
    full = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    empty = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    for i in range(5):
        cx, cy, r = i * (size + gap) + size / 2, size / 2 + size * 0.04, size / 2
        points = [
            (
                cx + (r if k % 2 == 0 else r * 0.45) * math.sin(k * math.pi / 5),
                cy - (r if k % 2 == 0 else r * 0.45) * math.cos(k * math.pi / 5),
            )
            for k in range(10)
        ]
        ImageDraw.Draw(full).polygon(points, fill=(*hex_rgb(color), 255))
        ImageDraw.Draw(empty).polygon(points, fill=(255, 255, 255, 90))
    whole = int(rating)
    cut = round(whole * (size + gap) + (rating - whole) * size)
    empty.paste(full.crop((0, 0, cut, h)), (0, 0))
    return empty


def tick(size: int, color: str, mark: str) -> Image.Image:
    """A round bullet with a check mark, for benefit lines."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=(*hex_rgb(color), 255))
    s = size / 100
    draw.line(
        [(28 * s, 52 * s), (44 * s, 68 * s), (73 * s, 35 * s)],
        fill=(*hex_rgb(mark), 255),
        width=max(2, round(11 * s)),
        joint="curve",
    )
    return image


def badge(figure: str, path: str, diameter: int, ink: Ink) -> Image.Image:
    """The offer's figure in a round badge (a starburst edge reads as 'deal' at a glance)."""
    assert ink.plate is not None
    image = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c, r = diameter / 2, diameter / 2
    teeth = 24

    def burst(radius: float) -> list[tuple[float, float]]:
        return [
            (
                c + (radius if k % 2 == 0 else radius * 0.92) * math.cos(k * math.pi / teeth),
                c + (radius if k % 2 == 0 else radius * 0.92) * math.sin(k * math.pi / teeth),
            )
            for k in range(2 * teeth)
        ]

    draw.polygon(burst(r), fill=(*hex_rgb(ink.plate), 255))
    inner = round(diameter * 0.7)
    size, lines = fit(figure, path, inner, inner, 2, round(diameter * 0.3), 18)
    line_h = round(size * LEADING)
    top = c - line_h * len(lines) / 2
    for i, line in enumerate(lines):
        x = c - line_width(line, path, size) / 2
        draw_line(
            draw,
            x,
            top + i * line_h + (line_h - size) / 2,
            line,
            path,
            size,
            (*hex_rgb(ink.text), 255),
        )
    return image
