"""On-screen text stays inside the frame: wrapped to the safe zone's width, two lines at most."""

from __future__ import annotations

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
    lines = overlay_lines("Meet GlowDrop Vitamin C Serum, the one-step routine", 1080, 1920)
    assert 1 < len(lines) <= 2
    assert all(len(line) <= 24 for line in lines), lines


def test_a_short_cta_stays_on_one_line_and_landscape_fits_more() -> None:
    assert overlay_lines("Shop Now", 1080, 1920) == ["Shop Now"]
    assert len(overlay_lines("Meet GlowDrop Vitamin C Serum", 1920, 1080)) == 1
