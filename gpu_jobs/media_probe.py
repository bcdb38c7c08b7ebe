"""What a media file really is, read by ffprobe before anything else opens it.

A file's name says nothing: an HLS playlist, an ffconcat list or a DASH manifest named ``clip.mp4``
is opened by ffmpeg (and OpenCV, which is ffmpeg inside) as a list of *other* files to read, from
anywhere on the disk or the network. So every clip and audio file a spec names is probed with only
the ``file`` protocol and only plain media demuxers allowed, and is accepted by the demuxer ffprobe
reports, never by its extension. The render's ffmpeg runs pass the same whitelists on every input
(:func:`input_options`), so a file that changes after the probe still cannot open anything else.

Demuxer names are ffmpeg's own (``ffmpeg -demuxers``; https://ffmpeg.org/ffmpeg-formats.html#Demuxers).
``-format_whitelist`` matches any one of a demuxer's comma-separated names, so ``mov`` admits the
demuxer ffprobe reports as ``mov,mp4,m4a,3gp,3g2,mj2`` and ``matroska`` the ``matroska,webm`` one
(https://ffmpeg.org/ffmpeg-formats.html#Format-Options: protocol_whitelist, format_whitelist).
The mov demuxer follows external data references only with ``enable_drefs``, off by default.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from shared.errors import BadInput

# Plain media containers that hold their own samples and name no other file.
CLIP_FORMATS = ("mov", "matroska")
AUDIO_FORMATS = ("wav", "mp3", "ogg", "flac", "mov", "matroska")
# Files the render writes itself: stills as one-frame YUV4MPEG, overlays as PNG, audio as WAV.
STILL_FORMATS = ("yuv4mpegpipe",)
OVERLAY_FORMATS = ("png_pipe",)
WAV_FORMATS = ("wav",)
PROTOCOLS = "file"
PROBE_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class MediaKind:
    """What a field must hold: the demuxers allowed and the stream it must carry."""

    formats: tuple[str, ...]
    stream: str  # "video" or "audio"
    described: str


CLIP = MediaKind(CLIP_FORMATS, "video", "a video file (MP4, MOV, Matroska or WebM)")
AUDIO = MediaKind(AUDIO_FORMATS, "audio", "an audio file (WAV, MP3, Ogg, FLAC, M4A or WebM)")


def input_options(formats: tuple[str, ...]) -> list[str]:
    """ffmpeg/ffprobe options placed before one ``-i``: local files only, these demuxers only."""
    return ["-protocol_whitelist", PROTOCOLS, "-format_whitelist", ",".join(formats)]


def source(path: Path) -> str:
    """An input name ffmpeg reads as a local file whatever the name holds (``concat:``, ``|``)."""
    return f"file:{path}"


def probe_argv(path: Path, kind: MediaKind, ffprobe: str = "ffprobe") -> list[str]:
    """The ffprobe command that reads the container and stream types of ``path`` as JSON."""
    return [
        ffprobe,
        "-v",
        "error",
        *input_options(kind.formats),
        "-show_entries",
        "format=format_name:stream=codec_type",
        "-of",
        "json",
        source(path),
    ]


def check_media(path: Path, kind: MediaKind, field_name: str) -> str:
    """Probe ``path``; return its demuxer name or raise :class:`BadInput` naming ``field_name``."""
    argv = probe_argv(path, kind)
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, errors="replace", timeout=PROBE_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as e:
        raise BadInput(
            f"{field_name}: {path.name} could not be read within {PROBE_TIMEOUT_S:g} s; "
            f"give {kind.described}"
        ) from e
    return accept_probe(
        done.returncode, done.stdout, done.stderr, kind, f"{field_name}: {path.name}"
    )


def accept_probe(returncode: int, stdout: str, stderr: str, kind: MediaKind, what: str) -> str:
    """Decide from ffprobe's answer (pure): the demuxer name, or :class:`BadInput` saying why."""
    if returncode != 0:
        refused = re.search(r"\[([\w,]+) @ 0x[0-9a-f]+\] Format not on whitelist", stderr)
        if refused:  # e.g. hls, concat, dash: formats that would open the files they list
            said = f"it reads as {refused.group(1)!r}, a format not allowed here"
        else:  # ffprobe's last line is "<input>: <reason>"; the reason, not our path
            lines = stderr.strip().splitlines() or ["unreadable"]
            said = lines[-1].rpartition(": ")[2][:200]
        raise BadInput(f"{what} is not {kind.described} ({said})")
    try:
        found = json.loads(stdout)
        name = str(found["format"]["format_name"])
        streams = {str(s.get("codec_type")) for s in found.get("streams", [])}
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise BadInput(f"{what} is not {kind.described} (ffprobe could not read it)") from e
    if not set(name.split(",")) & set(kind.formats):
        raise BadInput(f"{what} is {name!r}, not {kind.described}")
    if kind.stream not in streams:
        raise BadInput(f"{what} has no {kind.stream} stream; give {kind.described}")
    return name
