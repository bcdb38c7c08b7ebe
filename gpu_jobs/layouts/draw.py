"""Drawing primitives for layout layers (Pillow): fitted text, plates, buttons, stars, ticks.

Every layer is drawn once as an RGBA PNG; ffmpeg only moves and fades it (gpu_jobs/filtergraph)."""

from __future__ import annotations

import math
import subprocess
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from gpu_jobs.layouts.contrast import Ink, hex_rgb

# Line height as a share of the font size, and the plate's padding as a share of it.
LEADING = 1.18
PAD = 0.35


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


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels (a single too-long word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", face) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def fit(
    text: str, path: str, width: int, height: int, max_lines: int, max_size: int, min_size: int
) -> tuple[int, list[str]]:
    """The largest size (down to ``min_size``) at which ``text`` wraps into ``max_lines`` lines
    inside width × height; at ``min_size`` the lines are cut to fit rather than overflow."""
    size = max_size
    while True:
        face = font(path, size)
        lines = wrap(text, face, width)
        tall = len(lines) * size * LEADING
        wide = max(text_width(line, face) for line in lines)
        if (len(lines) <= max_lines and tall <= height and wide <= width) or size <= min_size:
            return size, lines[:max_lines]
        size = max(min_size, int(size * 0.92))


def text_block(
    lines: list[str], path: str, size: int, ink: Ink, *, align: str = "center", radius: int = 0
) -> Image.Image:
    """The lines in ``ink`` on a transparent layer, or on a rounded plate when ``ink`` has one."""
    face = font(path, size)
    pad = round(size * PAD) if ink.plate else round(size * 0.08)
    line_h = round(size * LEADING)
    width = math.ceil(max(text_width(line, face) for line in lines)) + 2 * pad
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
        lw = text_width(line, face)
        x = pad + {"center": (width - 2 * pad - lw) / 2, "left": 0.0}[align]
        y = pad + i * line_h + (line_h - size) / 2
        draw.text((x, y), line, font=face, fill=(*hex_rgb(ink.text), 255))
    return image


def button(label: str, path: str, size: int, ink: Ink) -> Image.Image:
    """A call to action as a pill-shaped button: the label on a solid plate."""
    assert ink.plate is not None, "a button always has its plate"
    face = font(path, size)
    pad_x, pad_y = round(size * 0.9), round(size * 0.5)
    w = math.ceil(text_width(label, face)) + 2 * pad_x
    h = round(size * LEADING) + 2 * pad_y
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), h // 2, fill=(*hex_rgb(ink.plate), 255))
    draw.text(
        (pad_x, pad_y + (round(size * LEADING) - size) / 2),
        label,
        font=face,
        fill=(*hex_rgb(ink.text), 255),
    )
    return image


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
    points = [
        (
            c + (r if k % 2 == 0 else r * 0.92) * math.cos(k * math.pi / teeth),
            c + (r if k % 2 == 0 else r * 0.92) * math.sin(k * math.pi / teeth),
        )
        for k in range(2 * teeth)
    ]
    draw.polygon(points, fill=(*hex_rgb(ink.plate), 255))
    inner = round(diameter * 0.7)
    size, lines = fit(figure, path, inner, inner, 2, round(diameter * 0.3), 18)
    face = font(path, size)
    line_h = round(size * LEADING)
    top = c - line_h * len(lines) / 2
    for i, line in enumerate(lines):
        draw.text(
            (c - text_width(line, face) / 2, top + i * line_h + (line_h - size) / 2),
            line,
            font=face,
            fill=(*hex_rgb(ink.text), 255),
        )
    return image
