"""Word timings -> ASS subtitles (pure). libass draws them inside the platform's safe zone."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pysubs2

from gpu_jobs.caption_fit import CaptionWord, Sizer, chunk_lines, fit_words, wrap_to_fit
from gpu_jobs.layouts.contrast import MIN_RATIO, luminance, ratio
from gpu_jobs.layouts.draw import font_file
from gpu_jobs.targets import Rect, safe_rect, ui_margins
from gpu_jobs.voice import WordTiming

POP_SCALE = 112
POP_GROW = (POP_SCALE - 100) / 100  # how much wider the spoken word is drawn
# Captions sit on a box of black at this opacity (ASS alpha 0x40: 75 % opaque): over a white
# backdrop it is still dark grey, so white words stay above 4.5:1 over any scene (an outline
# alone left light-grey brands' captions readable only through its thin edge).
BOX_ALPHA = 0x40
_WORST_BOX = luminance("#404040")  # the box over pure white: 25 % of 255 shows through
FALLBACK_HIGHLIGHT = "#ffd400"


@dataclass(frozen=True)
class OnScreenText:
    text: str
    start_s: float
    end_s: float
    position: str  # top | center


@dataclass(frozen=True)
class CaptionLook:
    style: str  # word_pop | phrase | none
    font: str
    text_color: str  # #rrggbb
    highlight_color: str
    font_size: int | None = None
    uppercase: bool = False


@dataclass(frozen=True)
class Aside:
    """Captions spoken from ``start_s`` to ``end_s`` go in ``column`` (bottom-aligned, smaller),
    beside a product hero that takes the safe zone's full height."""

    start_s: float
    end_s: float
    column: Rect


# Captions beside a hero are this much smaller: the column is under half the safe width.
ASIDE_SCALE = 0.8


def caption_font_size(width: int, height: int) -> int:
    """A size readable on a phone: about 1/14 of the width, a little smaller on landscape."""
    return round(min(width, height * 0.75) / 14)


def build_ass(
    words: Sequence[WordTiming],
    width: int,
    height: int,
    look: CaptionLook,
    overlays: Sequence[OnScreenText] = (),
    top_offset: int = 0,
    aside: Aside | None = None,
    drawable: Callable[[str], str] = str,
    font_path: str | None = None,
) -> str:
    """The ASS document for one target size: captions, and on-screen text ``top_offset`` px
    below the top of the safe zone (room for a logo). ``drawable`` takes out of each word what
    no installed font draws (libass would draw a box for it). Words spoken during ``aside``'s
    window go in its column, smaller, on their own box.

    Every caption line fits its box: words are measured in ``font_path`` (the file libass
    draws ``look.font`` from; fontconfig's match when None), a line breaks before a word that
    would not fit, and a word too wide alone is drawn smaller."""
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": str(width), "PlayResY": str(height), "WrapStyle": "2"})
    subs.styles.pop("Default", None)
    size = look.font_size or caption_font_size(width, height)
    margins = ui_margins(width, height)
    look = CaptionLook(
        look.style,
        look.font,
        look.text_color,
        legible_highlight(look.highlight_color),
        look.font_size,
        look.uppercase,
    )
    caption = _style(
        look, size, 2, margins.left, margins.right, margins.bottom + caption_lift(size)
    )
    subs.styles["Caption"] = caption
    subs.styles["CaptionBox"] = _box_style(caption, size)
    words = [WordTiming(t, w.start_s, w.end_s) for w in words if (t := drawable(w.text))]
    subs.styles["Overlay"] = _style(
        look, round(size * 0.9), 8, margins.left, margins.right, margins.top + top_offset
    )
    if look.style != "none":
        box = safe_rect(width, height)
        sizer = Sizer(font_path or font_file(look.font))
        for run, column in _runs(words, aside):
            style, run_size, wide = "Caption", size, box.w
            if column is not None:
                style, run_size, wide = "Aside", round(size * ASIDE_SCALE), column.w
                beside = _style(
                    look,
                    run_size,
                    2,
                    column.x,
                    width - column.right,
                    height - column.bottom + caption_lift(run_size),
                )
                subs.styles["Aside"] = beside
                subs.styles["AsideBox"] = _box_style(beside, run_size)
            # libass draws within about 0.5 % of the font's measured width, and anti-aliases a
            # pixel past it: the slack keeps the box's rim inside the column too
            room = wide - 2 * box_pad(run_size) - (2 + wide // 100)
            fitted = fit_words(run, sizer, run_size, room, POP_GROW, lambda t: _drawn(t, look))
            space = sizer.width(" ", run_size)
            for caption in chunk_lines(fitted, room, _width, space, POP_GROW):
                subs.events.extend(_caption_events(caption, look, run_size, style))
    # WrapStyle 2 keeps libass from wrapping the word-by-word captions on its own; on-screen
    # text is wrapped here instead, measured in the font, to the width between its margins:
    # two lines at most, drawn smaller where its words need more.
    overlay_size = round(size * 0.9)
    room = width - margins.left - margins.right - (2 + width // 100)
    sizer = Sizer(font_path or font_file(look.font))
    for item in overlays:
        tag = r"{\an5}" if item.position == "center" else ""
        fitted, lines = wrap_to_fit(_drawn(item.text, look), sizer, overlay_size, room)
        if fitted != overlay_size:
            tag += rf"{{\fs{fitted}}}"
        body = r"\N".join(_escape(line) for line in lines)
        subs.events.append(_event(item.start_s, item.end_s, tag + body, "Overlay"))
    return subs.to_string("ass")


def text_zones(width: int, height: int, look: CaptionLook, top_offset: int = 0) -> list[Rect]:
    """Where captions (two lines on their box) and top on-screen text (two lines) will be
    drawn."""
    size = look.font_size or caption_font_size(width, height)
    m = ui_margins(width, height)
    caption_h = round(2 * 1.25 * size * POP_SCALE / 100) + 2 * box_pad(size)
    overlay_h = round(2 * 1.25 * size * 0.9)
    zones = [Rect(0, m.top + top_offset, width, overlay_h)]
    if look.style != "none":
        bottom = height - m.bottom - caption_lift(size) + box_pad(size)
        zones.append(Rect(0, bottom - caption_h, width, caption_h))
    return zones


def _runs(
    words: Sequence[WordTiming], aside: Aside | None
) -> list[tuple[list[WordTiming], Rect | None]]:
    """The words in runs: those spoken during ``aside``'s window with its column, the rest with
    None (the caption band)."""
    runs: list[tuple[list[WordTiming], Rect | None]] = []
    for w in words:
        column = aside.column if aside and aside.start_s <= w.start_s < aside.end_s else None
        if runs and runs[-1][1] == column:
            runs[-1][0].append(w)
        else:
            runs.append(([w], column))
    return runs


def _box_style(style: pysubs2.SSAStyle, size: int) -> pysubs2.SSAStyle:
    """The box under ``style``'s words: its own event, held still while they pop (a box drawn
    with each word event would follow the popped word's scale and overlap its neighbours')."""
    box = style.copy()
    box.borderstyle = 3  # an opaque box in the outline colour, padded by the outline width
    box.outline = box_pad(size)
    box.outlinecolor = pysubs2.Color(0, 0, 0, BOX_ALPHA)
    box.primarycolor = pysubs2.Color(0, 0, 0, 255)  # letters drawn by the word events above
    return box


def box_pad(size: int) -> int:
    """How far the caption box reaches past the letters."""
    return max(4, size // 6)


def caption_lift(size: int) -> int:
    """How far above the safe zone's bottom the last caption line sits: its box's padding and
    the descenders libass draws below the line, so neither dips into the platform's band."""
    return box_pad(size) + round(size * 0.16)


def legible_highlight(color: str) -> str:
    """The spoken word's colour if it reads at 4.5:1 on the caption box over any backdrop,
    else a yellow that does."""
    if ratio(luminance(color), _WORST_BOX) >= MIN_RATIO:
        return color
    return FALLBACK_HIGHLIGHT


def _width(word: CaptionWord) -> float:
    return word.width


def _drawn(text: str, look: CaptionLook) -> str:
    """The word as the caption draws it (what its width is measured on)."""
    return text.upper() if look.uppercase else text


def _shown(text: str, look: CaptionLook) -> str:
    """The word as the subtitle file writes it (escaped for libass)."""
    return _escape(_drawn(text, look))


def _caption_events(
    lines: list[list[CaptionWord]], look: CaptionLook, size: int, style: str = "Caption"
) -> list[pysubs2.SSAEvent]:
    flat = [w for line in lines for w in line]
    # The popped word widens its line by its own growth, half on each side: the box reaches that
    # far past the letters sideways, so no popped line leaves its box.
    grow = POP_GROW * max(w.width for w in flat) / 2
    reach = rf"{{\xbord{box_pad(size) + math.ceil(grow)}\ybord{box_pad(size)}}}"
    text = reach + _text(lines, None, look, size)
    box = _event(flat[0].start_s, flat[-1].end_s, text, f"{style}Box")
    return [box, *(_layered(e) for e in _word_events(lines, look, size, style))]


def _layered(event: pysubs2.SSAEvent) -> pysubs2.SSAEvent:
    event.layer = 1
    return event


def _word_events(
    lines: list[list[CaptionWord]], look: CaptionLook, size: int, style: str = "Caption"
) -> list[pysubs2.SSAEvent]:
    flat = [w for line in lines for w in line]
    if look.style == "phrase":
        return [_event(flat[0].start_s, flat[-1].end_s, _text(lines, None, look, size), style)]
    return [
        _event(
            w.start_s,
            flat[i + 1].start_s if i + 1 < len(flat) else w.end_s,
            _text(lines, w, look, size),
            style,
        )
        for i, w in enumerate(flat)
    ]


def _text(
    lines: list[list[CaptionWord]], spoken: CaptionWord | None, look: CaptionLook, size: int
) -> str:
    rendered = []
    for line in lines:
        parts = []
        for w in line:
            text = _shown(w.text, look)
            # a word made smaller to fit gets its own size, and the caption's back after it
            small = rf"\fs{w.size}" if w.size != size else ""
            if w is spoken:
                pop = (
                    rf"{{\c{_ass_color(look.highlight_color)}{small}\fscx100\fscy100"
                    rf"\t(0,90,\fscx{POP_SCALE}\fscy{POP_SCALE})}}"
                )
                parts.append(pop + text + r"{\r}")
            else:
                parts.append(f"{{{small}}}{text}{{\\fs{size}}}" if small else text)
        rendered.append(" ".join(parts))
    return r"\N".join(rendered)


def _style(
    look: CaptionLook, size: int, align: int, left: int, right: int, vertical: int
) -> pysubs2.SSAStyle:
    return pysubs2.SSAStyle(
        fontname=look.font,
        fontsize=size,
        bold=True,
        primarycolor=_color(look.text_color),
        outlinecolor=pysubs2.Color(0, 0, 0),
        backcolor=pysubs2.Color(0, 0, 0, 128),
        outline=max(2, size // 14),
        shadow=0,
        alignment=pysubs2.Alignment(align),
        marginl=left,
        marginr=right,
        marginv=vertical,
    )


def _event(start_s: float, end_s: float, text: str, style: str) -> pysubs2.SSAEvent:
    return pysubs2.SSAEvent(
        start=round(start_s * 1000), end=round(end_s * 1000), text=text, style=style
    )


def _escape(text: str) -> str:
    """``text`` drawn as written: a bare "{" opens an override block and a backslash starts a
    tag, so libass is given "\\{" and "\\}" (which it draws as braces) and a backslash followed by
    a word joiner (drawn as a backslash; libass issues 194 and 462). Render attack L3: braces
    used to be drawn as parentheses ("%{localtime}" as "%(localtime)")."""
    return text.replace("\\", "\\\u2060").replace("{", "\\{").replace("}", "\\}")


def _color(hex_color: str) -> pysubs2.Color:
    h = hex_color.lstrip("#")
    return pysubs2.Color(int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def _ass_color(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return f"&H{h[4:6]}{h[2:4]}{h[0:2]}&".upper()
