"""Captions: at most two lines, the spoken word highlighted, inside the safe zone."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pysubs2
import pytest

from gpu_jobs.captions import CaptionLook, build_ass, caption_font_size, chunk_lines
from gpu_jobs.targets import TARGETS, safe_rect, ui_margins
from gpu_jobs.voice import WordTiming
from tests.conftest import load_script

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


# An outside attack: a URL in the voice script was one caption line 1076 px wide on a 1080 px
# frame (the safe area is x 60..930), clipped on both sides.
LONG = "Visit www.glowdropserum-officialstore-example.com/offer today for the deal"
ROOT = Path(__file__).resolve().parents[2]


def _caption_events(ass: str) -> list[pysubs2.SSAEvent]:
    return [e for e in pysubs2.SSAFile.from_string(ass).events if e.style == "Caption"]


def test_a_word_too_wide_for_the_caption_box_starts_its_own_line_smaller_and_still_pops() -> None:
    size = caption_font_size(1080, 1920)
    events = _caption_events(build_ass(_words(LONG), 1080, 1920, LOOK))
    url = "www.glowdropserum-officialstore-example.com/offer"
    spoken = next(e for e in events if r"\c&H00B7F5&" in e.text.split(url)[0].split(r"\N")[-1])
    before, _ = spoken.text.split(url)
    assert before.startswith(r"Visit\N")  # the line breaks before the long word
    shrunk = int(re.findall(r"\\fs(\d+)", before)[-1])
    assert 20 <= shrunk < size  # drawn smaller, but not to nothing
    # the words around it keep the caption's size
    assert not any(re.search(r"\\fs\d", e.text) for e in events if url not in e.text)


@pytest.mark.parametrize("aspect", ["9:16", "1:1", "16:9"])
@pytest.mark.parametrize("uppercase", [False, True])
def test_libass_draws_every_caption_of_long_words_inside_the_safe_area(
    aspect: str, uppercase: bool, tmp_path: Path
) -> None:
    quality = load_script(ROOT / "bench" / "render_quality.py")
    t = TARGETS[aspect]
    look = CaptionLook("word_pop", "DejaVu Sans", "#ffffff", "#f5b700", uppercase=uppercase)
    text = LONG + " Donaudampfschifffahrtsgesellschaft sells wonderfully comfortable shoes"
    words = _words(text)
    ass = tmp_path / "c.ass"
    ass.write_text(build_ass(words, t.width, t.height, look), encoding="utf-8")
    safe = safe_rect(t.width, t.height)
    drawn_widths = []
    # each caption with its longest word popped (fully grown: 90 ms after it is spoken)
    for i in (1, 2, 7, 8, 10):
        at = words[i].start_s + 0.2
        frame = quality.captions_alone(ass, t.width, t.height, at, "white", 30)
        ys, xs = np.nonzero(frame.min(axis=2) < 231)
        assert len(xs), f"nothing drawn at {at}"
        assert safe.x <= xs.min() and xs.max() < safe.right, (words[i].text, xs.min(), xs.max())
        assert ys.max() < safe.bottom
        drawn_widths.append(int(np.ptp(xs)))
    # a word shrunk to fit still fills most of the box: it is made only as small as it must be
    assert max(drawn_widths) > 0.8 * safe.w


def _drawn_caption(tmp_path: Path, text: str) -> np.ndarray:
    """The first frame libass (through ffmpeg's ass filter) draws for a caption of ``text``."""
    import subprocess

    ass = tmp_path / f"c{abs(hash(text))}.ass"
    ass.write_text(build_ass([WordTiming(text, 0.0, 1.0)], 640, 360, LOOK), encoding="utf-8")
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=black:s=640x360:d=0.5",
            "-vf",
            f"ass=filename={ass}",
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(360, 640)


def test_braces_and_backslashes_are_drawn_as_written(tmp_path: Path) -> None:
    """Render attack L3: "%{localtime}" was drawn as "%(localtime)". libass, which draws the
    captions, must show the braces themselves (not parentheses, and not swallow "{b}" as an
    override block), and a backslash must not start a line break ("a\\Nb")."""
    braces = _drawn_caption(tmp_path, "x{b}x")
    assert not np.array_equal(braces, _drawn_caption(tmp_path, "x(b)x"))
    assert not np.array_equal(braces, _drawn_caption(tmp_path, "xx"))
    # a caption made of "{x}" alone is still drawn (a swallowed block would leave no ink)
    assert (_drawn_caption(tmp_path, "{x}") > 128).sum() > 0
    one_line = _drawn_caption(tmp_path, "a\\Nb")
    rows = np.flatnonzero((one_line > 128).any(axis=1))
    two_lines = _drawn_caption(tmp_path, "a b")  # one line, for its height
    tall = np.flatnonzero((two_lines > 128).any(axis=1))
    assert rows.max() - rows.min() <= (tall.max() - tall.min()) * 1.3
