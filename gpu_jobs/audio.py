"""The soundtrack: voice over a music bed ducked under speech, mastered to -14 LUFS, ≤ -1 dBTP.

Integrated loudness is a property of the whole programme, so a streaming pass (loudnorm's
dynamic mode) lands only near it. Short audio-only passes mix and measure (ebur128), then apply
gain and a peak limiter until the result measures on target; the video run only encodes the
mastered track. The argvs are built by pure functions here; :func:`master` runs them.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from gpu_jobs.ffmpeg import FfmpegError
from gpu_jobs.media_probe import AUDIO_FORMATS, WAV_FORMATS, input_options, source
from gpu_jobs.music import music_chain, write_bed

LOUDNESS_LUFS = -14.0
LIMIT_DBFS = -2.0  # sample-peak ceiling; leaves room for inter-sample peaks and AAC overshoot


@dataclass(frozen=True)
class AudioPlan:
    voice: Path | None
    voice_start_s: float = 0.3
    music: Literal["generated", "file", "none"] = "generated"
    music_path: Path | None = None
    bpm: int = 96
    gain_db: float = -8.0
    # The generated bed, once written (:func:`master` writes it; gpu_jobs/music.py)
    bed: Path | None = None


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float


def mix_graph(
    audio: AudioPlan, duration_s: float, voice_index: int | None, music_index: int | None
) -> str:
    """Filtergraph text ending in ``[mix]``: ducked bed + compressed voice, measured."""
    d = f"{duration_s:.3f}"
    parts, mix = [], []
    music = audio.music in ("generated", "file") and music_index is not None
    if voice_index is not None:
        delay = round(audio.voice_start_s * 1000)
        # Every filter output must be used: the voice is split only when music is there to duck.
        tail = ",asplit=2[vkey][vmix]" if music else "[vmix]"
        parts.append(
            f"[{voice_index}:a]aresample=48000,aformat=channel_layouts=mono,"
            f"acompressor=threshold=-24dB:ratio=4:attack=5:release=120:makeup=6dB,"
            f"adelay={delay}:all=1,apad,atrim=0:{d}{tail}"
        )
        mix.append("[vmix]")
    if audio.music == "generated" and music_index is not None:
        parts.append(music_chain(music_index, duration_s, audio.gain_db, "music"))
    elif audio.music == "file" and music_index is not None:
        parts.append(
            f"[{music_index}:a]aresample=48000,aformat=channel_layouts=mono,"
            f"apad,atrim=0:{d},volume={audio.gain_db:g}dB[music]"
        )
    if music:
        if voice_index is not None:
            # the voice keys a compressor on the music: the bed dips while a word is spoken
            parts.append(
                "[music][vkey]sidechaincompress=threshold=0.02:ratio=8:attack=15:"
                "release=350:makeup=1[ducked]"
            )
            mix.append("[ducked]")
        else:
            mix.append("[music]")
    if not mix:
        parts.append(f"anullsrc=r=48000:cl=mono,atrim=0:{d}[silence]")
        mix.append("[silence]")
    joined = (
        f"{''.join(mix)}amix=inputs={len(mix)}:duration=first:normalize=0"
        if len(mix) > 1
        else f"{mix[0]}anull"
    )
    parts.append(f"{joined},atrim=0:{d},ebur128=peak=true[mix]")
    return ";".join(parts)


def mix_argv(audio: AudioPlan, duration_s: float, out: Path, ffmpeg: str = "ffmpeg") -> list[str]:
    """The audio-only pass: writes the mix as 32-bit float WAV and logs its ebur128 summary."""
    inputs: list[str] = []
    voice = music = None
    if audio.voice:
        inputs += [*input_options(AUDIO_FORMATS), "-i", source(audio.voice)]
        voice = 0
    track = audio.music_path if audio.music == "file" else audio.bed
    if audio.music == "generated" and track is None:
        raise ValueError("a generated bed is read from its WAV: write it first (music.write_bed)")
    if audio.music != "none" and track:
        music = 1 if voice is not None else 0
        inputs += [*input_options(AUDIO_FORMATS), "-i", source(track)]
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-nostats",
        "-loglevel",
        "info",
        *inputs,
        "-filter_complex",
        mix_graph(audio, duration_s, voice, music),
        "-map",
        "[mix]",
        "-c:a",
        "pcm_f32le",
        str(out),
    ]


def parse_loudness(log: str) -> Loudness:
    """Integrated loudness and true peak from ebur128's summary in ffmpeg's log."""
    summary = log[log.rfind("Summary:") :]
    found_i = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    found_p = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not found_i or not found_p:
        raise ValueError("no ebur128 summary in the log")
    return Loudness(float(found_i.group(1)), float(found_p.group(1)))


def master_gain(measured: Loudness, current_db: float = 0.0) -> float:
    """Gain that moves a mix measured at ``measured`` (after ``current_db``) to the target.

    Silence (-70 LUFS and below) is left alone.
    """
    if measured.integrated_lufs <= -69:
        return current_db
    return round(current_db + LOUDNESS_LUFS - measured.integrated_lufs, 2)


def limit_argv(src: Path, gain_db: float, out: Path, ffmpeg: str = "ffmpeg") -> list[str]:
    """Gain, then a peak limiter, measured: the mastering step, in stereo as delivered."""
    limit = 10 ** (LIMIT_DBFS / 20)
    chain = (
        f"volume={gain_db:g}dB,alimiter=limit={limit:.4f}:attack=2:release=60:level=false,"
        "aformat=sample_fmts=flt:sample_rates=48000:channel_layouts=stereo,ebur128=peak=true"
    )
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-nostats",
        "-loglevel",
        "info",
        *input_options(WAV_FORMATS),
        "-i",
        source(src),
        "-af",
        chain,
        "-c:a",
        "pcm_f32le",
        str(out),
    ]


def master_chain(index: int, duration_s: float, outputs: int) -> str:
    """Filtergraph text: the mastered soundtrack as AAC wants it, split per target."""
    outs = "".join(f"[a{i}]" for i in range(outputs))
    return (
        f"[{index}:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,"
        f"atrim=0:{duration_s:.3f},asplit={outputs}{outs}"
    )


def master(
    audio: AudioPlan, duration_s: float, work: Path, tries: int = 3
) -> tuple[Path, Loudness]:
    """Mix, then apply gain and limiting until the result measures -14 LUFS (±0.3)."""
    mix, out = work / "mix.wav", work / "master.wav"
    if audio.music == "generated":
        audio = replace(audio, bed=write_bed(audio.bpm, duration_s, work / "music.wav"))
    measured = _run_measured(mix_argv(audio, duration_s, mix))
    gain = 0.0
    for _ in range(tries):
        gain = master_gain(measured, gain)
        measured = _run_measured(limit_argv(mix, gain, out))
        if abs(measured.integrated_lufs - LOUDNESS_LUFS) <= 0.3:
            break
    return out, measured


def _run_measured(argv: list[str]) -> Loudness:
    proc = subprocess.run(argv, capture_output=True, text=True, errors="replace", check=False)
    if proc.returncode != 0:
        raise FfmpegError(argv, proc.returncode, proc.stderr[-3000:])
    return parse_loudness(proc.stderr)
