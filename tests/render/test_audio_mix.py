"""The soundtrack's mix pass for every combination of voice and music (issue 13, finding 15):
the argv is checked as built, then run through the real ffmpeg for a second of audio."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from gpu_jobs.audio import AudioPlan, mix_argv, mix_graph, parse_loudness
from gpu_jobs.music import MUSIC_RATE, bed, write_bed

VOICE = (True, False)
MUSIC = ("generated", "file", "none")


def _labels(graph: str) -> tuple[list[str], list[str]]:
    """Labels the chains of ``graph`` produce (at their end) and consume (at their start)."""
    made, used = [], []
    for chain in graph.split(";"):
        head = re.match(r"(\[[^\]]+\])*", chain).group(0)  # type: ignore[union-attr]
        tail = re.search(r"(\[[^\]]+\])*$", chain).group(0)  # type: ignore[union-attr]
        used += re.findall(r"\[([^\]]+)\]", head)
        made += re.findall(r"\[([^\]]+)\]", tail)
    return made, used


def _plan(voice: bool, music: str, tmp: Path) -> AudioPlan:
    return AudioPlan(
        voice=tmp / "voice.wav" if voice else None,
        music=music,  # type: ignore[arg-type]
        music_path=tmp / "bed.flac" if music == "file" else None,
        bed=tmp / "music.wav" if music == "generated" else None,
    )


@pytest.mark.parametrize("music", MUSIC)
@pytest.mark.parametrize("voice", VOICE)
def test_every_filter_output_is_used_once_and_the_mix_is_the_only_output(
    voice: bool, music: str, tmp_path: Path
) -> None:
    argv = mix_argv(_plan(voice, music, tmp_path), 2.0, tmp_path / "mix.wav")
    graph = argv[argv.index("-filter_complex") + 1]
    made, used = _labels(graph)
    inputs = {f"{i}:a" for i in range(argv.count("-i"))}
    # every label made is consumed exactly once, except the one output, [mix]
    assert len(made) == len(set(made)), graph
    assert sorted(u for u in used if u not in inputs) == sorted(set(made) - {"mix"}), graph
    assert "mix" in made and "mix" not in used
    assert ("sidechaincompress" in graph) == (voice and music != "none")
    assert ("asplit" in graph) == (voice and music != "none")


@pytest.mark.parametrize("music", MUSIC)
@pytest.mark.parametrize("voice", VOICE)
def test_ffmpeg_runs_the_mix_for_every_combination(voice: bool, music: str, tmp_path: Path) -> None:
    for name, source in (("voice.wav", "sine=f=220:d=1"), ("bed.flac", "sine=f=110:d=2")):
        subprocess.run(
            ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", source, str(tmp_path / name)],
            check=True,
        )
    write_bed(96, 2.0, tmp_path / "music.wav")
    argv = mix_argv(_plan(voice, music, tmp_path), 2.0, tmp_path / "mix.wav")
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-800:]
    loud = parse_loudness(done.stderr)
    silent = not voice and music == "none"
    assert (loud.integrated_lufs < -69) == silent


def test_music_none_with_a_voice_is_the_voice_alone() -> None:
    graph = mix_graph(AudioPlan(voice=Path("/v.wav"), music="none"), 2.0, 0, None)
    assert "[vkey]" not in graph and "amix" not in graph
    assert graph.endswith("[vmix]anull,atrim=0:2.000,ebur128=peak=true[mix]")


@pytest.mark.parametrize("music", MUSIC)
def test_every_audio_input_is_a_local_file_read_by_a_plain_audio_demuxer(
    music: str, tmp_path: Path
) -> None:
    """Issue 13, finding 2: music.path is a user's file; a playlist there must open nothing."""
    argv = mix_argv(_plan(True, music, tmp_path), 2.0, tmp_path / "mix.wav")
    for i in (i for i, a in enumerate(argv) if a == "-i"):
        assert argv[i + 1].startswith("file:/")
        assert argv[i - 4 : i] == [
            "-protocol_whitelist",
            "file",
            "-format_whitelist",
            "wav,mp3,ogg,flac,mov,matroska",
        ]
    assert argv.count("-i") == (1 if music == "none" else 2)


def test_a_generated_bed_must_be_written_before_the_mix_reads_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="write it first"):
        mix_argv(AudioPlan(voice=None, music="generated"), 2.0, tmp_path / "mix.wav")


def test_the_bed_is_a_loop_with_a_kick_on_every_beat() -> None:
    samples = bed(120, 4.0)  # 8 beats of half a second
    assert len(samples) == 4 * MUSIC_RATE
    assert 0.3 < float(abs(samples).max()) <= 1.0
    beat = MUSIC_RATE // 2
    onsets = [float(abs(samples[i * beat : i * beat + 200]).mean()) for i in range(8)]
    offbeats = [float(abs(samples[i * beat + 3000 : i * beat + 3200]).mean()) for i in range(8)]
    assert all(on > off for on, off in zip(onsets, offbeats, strict=True))
