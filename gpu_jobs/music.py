"""The offline music bed: a chord loop with bass, plucks and a soft kick.

Synthesised with numpy, every sample at once, at a low rate (a bed under a voice needs no more
than 8 kHz of bandwidth) and written as a WAV the mix pass reads. It was ffmpeg's aevalsrc with
the same formula, evaluated sample by sample: 2.4 s of the mix pass for 30 s of music, on the
path every render waits on before its video starts; numpy takes a few hundredths of that.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.io import wavfile

MUSIC_RATE = 16000
# I–V–vi–IV in C: root frequency (Hz) and third ratio (major 2^(4/12), minor 2^(3/12)).
PROGRESSION = ((261.63, 1.2599), (196.00, 1.2599), (220.00, 1.1892), (174.61, 1.2599))
FIFTH = 1.4983


def bed(bpm: int, duration_s: float) -> NDArray[np.float32]:
    """The loop's samples at MUSIC_RATE, one chord per bar."""
    t = np.arange(round(duration_s * MUSIC_RATE), dtype=np.float64) / MUSIC_RATE
    beat = 60.0 / bpm
    chord = np.floor(t / (4 * beat)).astype(np.int64) % 4
    root = np.array([r for r, _ in PROGRESSION])[chord]
    third = np.array([th for _, th in PROGRESSION])[chord]
    since_beat, since_eighth = np.mod(t, beat), np.mod(t, beat / 2)
    tau = 2 * np.pi * t
    # pad: root, third, fifth, slowly breathing
    pad = np.sin(tau * root) + 0.7 * np.sin(tau * root * third) + 0.6 * np.sin(tau * root * FIFTH)
    pad *= 0.8 + 0.2 * np.sin(tau * 0.25)
    bass = 0.9 * np.sin(tau * root / 2)  # an octave down
    # pluck: alternates fifth and octave on eighth notes, decaying
    interval = np.where(np.floor(t / (beat / 2)) % 2 == 1, FIFTH, 2.0)
    pluck = np.exp(-since_eighth * 9) * np.sin(tau * root * interval)
    kick = np.exp(-since_beat * 30) * np.sin(tau * (50 + 60 * np.exp(-since_beat * 40)))
    return (0.12 * pad + 0.12 * bass + 0.18 * pluck + 0.35 * kick).astype(np.float32)


def write_bed(bpm: int, duration_s: float, path: Path) -> Path:
    """:func:`bed` as a 32-bit float mono WAV at ``path``."""
    wavfile.write(path, MUSIC_RATE, bed(bpm, duration_s))
    return path


def music_chain(index: int, duration_s: float, gain_db: float, label: str) -> str:
    """Filtergraph text producing ``[label]`` from input ``index`` (the bed): at 48 kHz, faded
    in and out."""
    fade_out = max(0.0, duration_s - 1.0)
    return (
        f"[{index}:a]lowpass=f=5000,aresample=48000,apad,atrim=0:{duration_s:.3f},"
        f"afade=t=in:d=0.5,afade=t=out:st={fade_out:.3f}:d=1,volume={gain_db:g}dB[{label}]"
    )
