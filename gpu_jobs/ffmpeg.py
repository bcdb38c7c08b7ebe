"""Run one ffmpeg argv: progress in percent from ``-progress``, failures as typed errors."""

from __future__ import annotations

import collections
import subprocess
import threading
from collections.abc import Callable, Sequence

from shared.errors import PermanentError, TransientError

STDERR_TAIL_LINES = 40


class FfmpegError(PermanentError):
    """ffmpeg exited non-zero. Carries the argv and the end of its stderr."""

    def __init__(self, argv: Sequence[str], returncode: int, stderr_tail: str) -> None:
        super().__init__(f"ffmpeg exited {returncode}: {stderr_tail.strip()[-600:]}")
        self.argv = list(argv)
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class FfmpegKilled(TransientError):
    """ffmpeg was killed by a signal (out of memory, a pre-empted machine): worth a retry."""

    def __init__(self, argv: Sequence[str], returncode: int, stderr_tail: str) -> None:
        super().__init__(f"ffmpeg killed by signal {-returncode}")
        self.argv = list(argv)
        self.stderr_tail = stderr_tail


def progress_percent(line: str, duration_s: float) -> float | None:
    """The percent done from one ``-progress`` line (``out_time_us=...``), else ``None``."""
    key, _, value = line.strip().partition("=")
    if key not in ("out_time_us", "out_time_ms") or not value.lstrip("-").isdigit():
        return None  # out_time_ms is microseconds too, a long-standing ffmpeg quirk
    return max(0.0, min(100.0, int(value) / 1e6 / duration_s * 100))


def run_ffmpeg(
    argv: Sequence[str],
    *,
    duration_s: float,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Run ``argv`` (which should include ``-progress pipe:1``) to completion."""
    tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
    # The context manager closes both pipes, whatever happens.
    with subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    ) as proc:
        assert proc.stderr is not None and proc.stdout is not None
        reader = threading.Thread(target=tail.extend, args=(proc.stderr,), daemon=True)
        reader.start()  # drained concurrently so a chatty stderr cannot block ffmpeg
        last = -1.0
        for line in proc.stdout:
            pct = progress_percent(line, duration_s)
            if on_progress and pct is not None and pct >= last + 1:
                last = pct
                on_progress(pct)
        code = proc.wait()
        reader.join()
    if code < 0:
        raise FfmpegKilled(argv, code, "".join(tail))
    if code != 0:
        raise FfmpegError(argv, code, "".join(tail))
    if on_progress:
        on_progress(100.0)
