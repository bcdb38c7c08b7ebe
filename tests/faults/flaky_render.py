"""A render job that fails its first N runs (counted in a file), then renders for real."""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

from gpu_jobs.__main__ import main


def count_run(counter: Path) -> int:
    """How many runs came before this one. Five jobs start at once: the count is kept under
    an exclusive lock so each run reads and bumps it alone."""
    with counter.open("a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        seen = int(f.read() or 0)
        f.seek(0)
        f.truncate()
        f.write(str(seen + 1))
        f.flush()
        return seen


def run() -> int:
    failures = int(os.environ["FLAKY_FAILURES"])
    seen = count_run(Path(os.environ["FLAKY_COUNTER"]))
    if seen < failures:
        print(f"simulated render crash {seen + 1} of {failures}", file=sys.stderr)
        return 1
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(run())
