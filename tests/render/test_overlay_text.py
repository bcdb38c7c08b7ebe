"""On-screen text stays inside the frame: wrapped to the safe zone's width, two lines at most."""

from __future__ import annotations

import re

import pysubs2

from gpu_jobs.captions import CaptionLook, OnScreenText, build_ass

LOOK = CaptionLook(
    style="word_pop", font="DejaVu Sans", text_color="#ffffff", highlight_color="#f5b700"
)


def overlay_lines(text: str, width: int, height: int) -> list[str]:
    ass = build_ass([], width, height, LOOK, overlays=[OnScreenText(text, 0.0, 2.0, "top")])
    [event] = [e for e in pysubs2.SSAFile.from_string(ass).events if e.style == "Overlay"]
    return event.text.split(r"\N")


def test_a_long_headline_wraps_to_two_lines_inside_the_frame() -> None:
    text = "Meet GlowDrop Vitamin C Serum, the one-step routine"
    lines = [re.sub(r"\{[^}]*\}", "", line) for line in overlay_lines(text, 1080, 1920)]
    assert 1 < len(lines) <= 2
    assert " ".join(lines) == text, lines  # every word kept


def test_a_short_cta_stays_on_one_line_and_landscape_fits_more() -> None:
    assert overlay_lines("Shop Now", 1080, 1920) == ["Shop Now"]
    assert len(overlay_lines("Meet GlowDrop Vitamin C Serum", 1920, 1080)) == 1


def test_a_headline_too_long_for_two_lines_is_drawn_smaller_not_cut_short() -> None:
    """On-screen text used to be wrapped by a character estimate and cut at two lines: the
    words past the second line were silently dropped. Measured in the font, every word stays
    and the lines fit between the margins."""
    from gpu_jobs.caption_fit import Sizer
    from gpu_jobs.captions import caption_font_size
    from gpu_jobs.layouts.draw import font_file
    from gpu_jobs.targets import ui_margins

    text = "Meet GlowDrop Vitamin C Serum, the one-step morning routine for brighter skin today"
    ass = build_ass([], 1080, 1920, LOOK, overlays=[OnScreenText(text, 0.0, 2.0, "top")])
    [event] = [e for e in pysubs2.SSAFile.from_string(ass).events if e.style == "Overlay"]
    size = int(re.search(r"\\fs(\d+)", event.text).group(1))
    assert size < round(caption_font_size(1080, 1920) * 0.9)  # smaller than the style's
    lines = re.sub(r"\{[^}]*\}", "", event.text).split(r"\N")
    assert len(lines) == 2 and " ".join(lines) == text  # no word dropped
    margins = ui_margins(1080, 1920)
    sizer = Sizer(font_file(LOOK.font))
    assert all(sizer.width(line, size) <= 1080 - margins.left - margins.right for line in lines)
