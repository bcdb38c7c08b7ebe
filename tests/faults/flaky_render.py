"""A render job that fails its first N runs (counted in a file), then renders for real."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gpu_jobs.__main__ import main


def run() -> int:
    counter = Path(os.environ["FLAKY_COUNTER"])
    failures = int(os.environ["FLAKY_FAILURES"])
    seen = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(seen + 1))
    if seen < failures:
        print(f"simulated render crash {seen + 1} of {failures}", file=sys.stderr)
        return 1
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(run())
