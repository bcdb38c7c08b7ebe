"""Media inputs are accepted by what ffprobe says they are, and every ffmpeg input is a local
file read by a plain demuxer (issue 13, finding 2)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from gpu_jobs.media_probe import (
    AUDIO,
    CLIP,
    CLIP_FORMATS,
    accept_probe,
    check_media,
    input_options,
    probe_argv,
)
from shared.errors import BadInput
from tests.fakes.runway_api import tiny_clip


def _answer(format_name: str, *streams: str) -> str:
    return json.dumps(
        {"streams": [{"codec_type": s} for s in streams], "format": {"format_name": format_name}}
    )


def test_the_probe_reads_only_local_files_with_plain_demuxers() -> None:
    argv = probe_argv(Path("/in/concat:a|b.mp4"), CLIP)
    assert argv[argv.index("-protocol_whitelist") + 1] == "file"
    assert argv[argv.index("-format_whitelist") + 1] == "mov,matroska"
    assert argv[-1] == "file:/in/concat:a|b.mp4"  # a name, never a protocol


@pytest.mark.parametrize(
    ("answer", "kind", "accepted"),
    [
        (_answer("mov,mp4,m4a,3gp,3g2,mj2", "video", "audio"), CLIP, True),
        (_answer("matroska,webm", "video"), CLIP, True),
        (_answer("hls", "video"), CLIP, False),  # never trusted, even if a probe let it through
        (_answer("concat", "video"), CLIP, False),
        (_answer("mov,mp4,m4a,3gp,3g2,mj2", "audio"), CLIP, False),  # no picture
        (_answer("flac", "audio"), AUDIO, True),
        (_answer("mov,mp4,m4a,3gp,3g2,mj2", "audio"), AUDIO, True),
        (_answer("mov,mp4,m4a,3gp,3g2,mj2", "video"), AUDIO, False),
        (_answer("mpegts", "audio"), AUDIO, False),
        ("not json", CLIP, False),
        ("{}", CLIP, False),
    ],
)
def test_only_plain_media_with_the_needed_stream_is_accepted(
    answer: str, kind: object, accepted: bool
) -> None:
    assert kind is CLIP or kind is AUDIO
    if accepted:
        assert accept_probe(0, answer, "", kind, "x") == json.loads(answer)["format"]["format_name"]
    else:
        with pytest.raises(BadInput, match=r"^x "):
            accept_probe(0, answer, "", kind, "x")


def test_a_refused_demuxer_is_named_and_our_paths_are_not() -> None:
    stderr = (
        "[hls @ 0x55f590c43ac0] Format not on whitelist 'mov,matroska'\n"
        "file:/srv/secret/clip.mp4: Invalid argument\n"
    )
    with pytest.raises(BadInput) as err:
        accept_probe(1, "{}", stderr, CLIP, "scenes.0.source: clip.mp4")
    assert "'hls', a format not allowed here" in str(err.value)
    assert "/srv/secret" not in str(err.value)


def test_a_real_clip_passes_and_the_same_bytes_named_wav_are_still_a_clip(tmp_path: Path) -> None:
    (tmp_path / "clip.wav").write_bytes(tiny_clip())
    assert check_media(tmp_path / "clip.wav", CLIP, "scenes.0.source").startswith("mov,")
    with pytest.raises(BadInput, match=r"music\.path: clip\.wav has no audio stream"):
        check_media(tmp_path / "clip.wav", AUDIO, "music.path")


def test_the_installed_ffmpeg_refuses_a_playlist_past_the_probe(tmp_path: Path) -> None:
    """The second line of defence: a playlist that reached the render run opens nothing."""
    secret = tmp_path / "secret.mp4"
    secret.write_bytes(tiny_clip())
    playlist = tmp_path / "clip.mp4"
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{secret}\n")
    argv = ["ffmpeg", "-v", "error", *input_options(CLIP_FORMATS), "-i", f"file:{playlist}"]
    done = subprocess.run([*argv, "-f", "null", "-"], capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "Format not on whitelist" in done.stderr
    concat = [*argv[:-1], f"concat:{secret}|{secret}", "-f", "null", "-"]
    done = subprocess.run(concat, capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "Protocol 'concat' not on whitelist" in done.stderr
