"""Captions: at most two lines, the spoken word highlighted, inside the safe zone."""

from __future__ import annotations

import pysubs2

from gpu_jobs.captions import CaptionLook, build_ass, chunk_lines
from gpu_jobs.targets import ui_margins
from gpu_jobs.voice import WordTiming

LOOK = CaptionLook("word_pop", "DejaVu Sans", "#ffffff", "#f5b700")


def _words(text: str) -> list[WordTiming]:
    return [WordTiming(w, i * 0.3, i * 0.3 + 0.3) for i, w in enumerate(text.split())]


def test_captions_never_exceed_two_lines() -> None:
    words = _words("one two three four five six seven eight nine ten eleven twelve " * 4)
    for caption in chunk_lines(words, 16):
        assert 1 <= len(caption) <= 2
        assert all(len(" ".join(w.text for w in line)) <= 16 for line in caption if len(line) > 1)


def test_spoken_word_is_highlighted_while_spoken() -> None:
    subs = pysubs2.SSAFile.from_string(
        build_ass(_words("Meet the canción bottle"), 1080, 1920, LOOK)
    )
    events = [e for e in subs.events if e.style == "Caption"]
    assert len(events) == 4
    third = events[2]
    assert (third.start, third.end) == (600, 900)
    assert r"\c&H00B7F5&" in third.text.split("canción")[0]  # highlight opens right before it
    assert third.text.count(r"\N") <= 1


def test_caption_margins_keep_tiktok_and_reels_ui_clear() -> None:
    subs = pysubs2.SSAFile.from_string(build_ass(_words("hola qué tal"), 1080, 1920, LOOK))
    style = subs.styles["Caption"]
    assert style.marginv >= max(440, round(0.35 * 1920))
    assert style.marginr >= 150
    assert subs.info["PlayResX"] == "1080" and subs.info["PlayResY"] == "1920"
    m = ui_margins(1080, 1920)
    assert m.top >= max(150, round(0.14 * 1920))


def test_accents_survive_and_braces_are_escaped() -> None:
    text = build_ass(_words("¿Qué tal? canción {x}"), 1080, 1080, LOOK)
    assert "¿Qué" in text and "canción" in text and "{x}" not in text
