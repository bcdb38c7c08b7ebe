"""Bad specs fail before rendering, with a message naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpu_jobs.assets import resolve
from gpu_jobs.cli import render_command
from gpu_jobs.settings import RenderSettings
from shared.errors import BadInput
from shared.models.render import Motion, parse_spec, spec_from_prompt
from tests.render.conftest import base_spec, write_spec


def _fails(assets: Path, data: dict[str, object]) -> str:
    with pytest.raises(BadInput) as err:
        resolve(parse_spec(__import__("json").dumps(data)), assets)
    return str(err.value)


def test_missing_file_names_the_field(assets: Path) -> None:
    data = base_spec(product_images=["nope.png"])
    assert "product_images.0" in _fails(assets, data)


def test_unknown_font_names_the_field(assets: Path) -> None:
    data = base_spec(brand={"colors": ["#000000"], "font": "Comic Nonexistent"})
    assert "brand.font" in _fails(assets, data)


def test_zero_duration_names_the_field(assets: Path) -> None:
    assert "duration_s" in _fails(assets, base_spec(duration_s=0))


def test_ten_thousand_word_script_names_the_field(assets: Path) -> None:
    data = base_spec(voice={"script": "word " * 10_000})
    assert "voice.script" in _fails(assets, data)


def test_path_outside_the_allowed_folder_is_refused(assets: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(b"x")
    data = base_spec()
    data["scenes"][0]["source"] = "../secret.jpg"
    message = _fails(assets, data)
    assert "scenes.0.source" in message and "outside" in message


def test_loopback_url_is_refused(assets: Path) -> None:
    message = _fails(assets, base_spec(product_images=["http://127.0.0.1:8080/p.png"]))
    assert "product_images.0" in message and "private" in message


def test_scenes_longer_than_the_video_are_refused(assets: Path) -> None:
    data = base_spec()
    data["scenes"][1]["duration_s"] = 5
    assert "scenes add up" in _fails(assets, data)


def test_a_scene_too_short_to_cut_is_refused_before_rendering(assets: Path) -> None:
    # The second outside attack: 20 scenes of 0.01 s passed, then ffmpeg failed mid-render.
    data = base_spec(duration_s=0.2)
    data["scenes"] = [{**data["scenes"][0], "duration_s": 0.01} for _ in range(20)]
    assert "scenes.0 lasts 0.01 s; every scene needs at least 0.50 s" in _fails(assets, data)


def test_cli_exits_2_and_names_the_field(assets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(assets, base_spec(duration_s=0))
    assert render_command(spec, assets / "out", RenderSettings()) == 2
    assert "duration_s" in capsys.readouterr().err
    assert not (assets / "out").exists()  # nothing rendered


def test_spec_from_prompt_builds_three_moving_generated_scenes() -> None:
    spec = spec_from_prompt(
        video_id="V1",
        prompt="a bottle on a mountain",
        headline="Cold 24 h",
        script="Cold water, all day long.",
        cta="Shop now",
        language="es",
        brand_colors=["#112233"],
        product_images=[],
        targets=["9:16", "1:1"],
        duration_s=15,
    )
    assert [s.kind for s in spec.scenes] == ["generated"] * 3
    assert all(s.motion is not Motion.NONE for s in spec.scenes)
    assert abs(sum(spec.scene_durations()) - 15) < 1e-6
    assert spec.voice is not None and spec.voice.voice == "es"
    assert [t.text for t in spec.on_screen_text] == ["Cold 24 h", "Shop now"]


def test_a_stretched_spec_keeps_its_timeline_in_proportion() -> None:
    from tests.render.conftest import base_spec

    data = base_spec(on_screen_text=[{"text": "Hi", "start_s": 0.0, "end_s": 1.0}])
    spec = parse_spec(json.dumps(data)).stretched(6.0)
    assert spec.duration_s == 6.0
    assert [s.duration_s for s in spec.scenes] == [3.0, None]
    assert spec.scene_durations() == [3.0, 3.0]
    assert (spec.on_screen_text[0].start_s, spec.on_screen_text[0].end_s) == (0.0, 2.0)


def test_a_stretchable_voice_may_at_most_double_the_video() -> None:
    """Render attack L1: ``fit: stretch`` turned a 15.7 s spec with 264 spoken words into an
    84 s video, silently. A script too long for twice the duration is refused up front, with
    what to change."""
    words = " ".join(["word"] * 25)  # 3 s doubled is 6 s: at four words a second, 24 at most
    data = base_spec(voice={"script": words, "voice": "en-us", "fit": "stretch"})
    with pytest.raises(
        BadInput, match=r"25 words; a 3 s video \(stretched to 6 s\) fits at most 24"
    ):
        parse_spec(json.dumps(data))
    data = base_spec(voice={"script": " ".join(["word"] * 24), "voice": "en-us", "fit": "stretch"})
    assert parse_spec(json.dumps(data)).longest_s() == 6.0
