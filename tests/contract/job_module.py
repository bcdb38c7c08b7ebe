"""A tiny job for the job-runner contract (run as ``python -m tests.contract.job_module``).

``job_module OUT ok|fail``: on ``ok`` writes its args and ``ADLOOP_CONTRACT_MARK`` to OUT as
JSON; on ``fail`` prints a reason and exits 3.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    out, mode = argv[0], argv[1]
    if mode == "fail":
        print("boom: the render spec names no scenes", file=sys.stderr)
        return 3
    mark = os.environ.get("ADLOOP_CONTRACT_MARK")
    Path(out).write_text(json.dumps({"args": argv, "mark": mark}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
