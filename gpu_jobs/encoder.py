"""Which H.264 encoder to use: NVENC where the GPU has one (L4 does, H100 does not), else x264.

Detected at run time by a tiny test encode, because ffmpeg lists h264_nvenc whenever it was built
with it, whether or not a GPU with an encoder is present.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from typing import Literal

Codec = Literal["libx264", "h264_nvenc"]


@dataclass(frozen=True)
class Encoder:
    codec: Codec
    preset: str = "veryfast"
    crf: int = 21

    def video_args(self, fps: int) -> list[str]:
        """H.264 High, yuv420p, a keyframe every two seconds."""
        common = ["-profile:v", "high", "-pix_fmt", "yuv420p", "-g", str(2 * fps)]
        if self.codec == "h264_nvenc":
            # p4 is NVENC's balanced preset; constant quality with no bitrate cap mirrors crf.
            return [
                "-c:v",
                "h264_nvenc",
                "-preset",
                "p4",
                "-tune",
                "hq",
                "-rc",
                "vbr",
                "-cq",
                str(self.crf + 2),
                "-b:v",
                "0",
                *common,
            ]
        return ["-c:v", "libx264", "-preset", self.preset, "-crf", str(self.crf), *common]


def nvenc_probe_argv(ffmpeg: str = "ffmpeg") -> list[str]:
    """A one-frame NVENC encode to nowhere: it succeeds only where a GPU can encode."""
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=256x256:r=30:d=0.1",
        "-frames:v",
        "1",
        "-c:v",
        "h264_nvenc",
        "-f",
        "null",
        "-",
    ]


@cache
def detect_encoder(ffmpeg: str = "ffmpeg") -> Encoder:
    """NVENC if a test encode works, otherwise x264 (cached for the process)."""
    try:
        probe = subprocess.run(
            nvenc_probe_argv(ffmpeg), capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return Encoder("libx264")
    return Encoder("h264_nvenc" if probe.returncode == 0 else "libx264")
