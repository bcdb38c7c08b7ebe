"""Running ffmpeg: typed errors with argv and stderr, progress in percent, encoder detection."""

from __future__ import annotations

import pytest

from gpu_jobs.encoder import detect_encoder
from gpu_jobs.ffmpeg import FfmpegError, progress_percent, run_ffmpeg


def test_failure_is_typed_and_carries_argv_and_stderr() -> None:
    argv = [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-f",
        "lavfi",
        "-i",
        "nosuchsource",
        "-f",
        "null",
        "-",
    ]
    with pytest.raises(FfmpegError) as err:
        run_ffmpeg(argv, duration_s=1)
    assert err.value.argv == argv
    assert "nosuchsource" in err.value.stderr_tail
    assert err.value.returncode != 0


def test_progress_reaches_100_percent_in_steps() -> None:
    seen: list[float] = []
    argv = [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-progress",
        "pipe:1",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=64x64:r=30:d=1",
        "-f",
        "null",
        "-",
    ]
    run_ffmpeg(argv, duration_s=1, on_progress=seen.append)
    assert seen[-1] == 100.0 and seen == sorted(seen)


def test_progress_line_parsing() -> None:
    assert progress_percent("out_time_us=1500000", 3.0) == 50.0
    assert progress_percent("out_time_us=N/A", 3.0) is None
    assert progress_percent("frame=10", 3.0) is None


def test_encoder_detected_at_run_time() -> None:
    # This machine has no GPU, so the NVENC test encode fails and x264 is chosen.
    assert detect_encoder().codec in ("libx264", "h264_nvenc")
