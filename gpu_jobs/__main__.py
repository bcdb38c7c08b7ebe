"""Container entry point: ``python -m gpu_jobs [SPEC OUT]`` or ADLOOP_RENDER_SPEC/ADLOOP_RENDER_OUT.

With ADLOOP_BLOBS_DIR (a folder) the spec and results are blob paths in that folder, as the local
job runner starts it; with ADLOOP_BACKEND=gcp and ADLOOP_BUCKET they are objects in that bucket
(the Cloud Run job); with neither they are local paths (spec file, output folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    spec = argv[0] if argv else os.environ.get("ADLOOP_RENDER_SPEC", "")
    out = argv[1] if len(argv) > 1 else os.environ.get("ADLOOP_RENDER_OUT", "")
    if not spec or not out:
        print(
            "usage: python -m gpu_jobs SPEC OUT (or ADLOOP_RENDER_SPEC, ADLOOP_RENDER_OUT)",
            file=sys.stderr,
        )
        return 2
    blobs_dir = os.environ.get("ADLOOP_BLOBS_DIR")
    bucket = os.environ.get("ADLOOP_BUCKET") if os.environ.get("ADLOOP_BACKEND") == "gcp" else None
    if not blobs_dir and not bucket:
        from gpu_jobs.cli import render_command

        return render_command(Path(spec), Path(out))
    from gpu_jobs.job import run_job
    from shared.errors import AdloopError
    from shared.ports.blobs import Blobs

    blobs: Blobs
    if bucket:
        from shared.adapters.gcs import GcsBlobs

        blobs = GcsBlobs(bucket, project=os.environ.get("ADLOOP_GCP_PROJECT") or None)
    else:
        from shared.adapters.local_folder import FolderBlobs

        blobs = FolderBlobs(blobs_dir or ".")
    try:
        run_job(
            blobs,
            spec,
            out,
            on_progress=lambda pct: print(f"render: {pct:3.0f}%", flush=True),
        )
    except AdloopError as e:
        print(f"render failed: {e}", file=sys.stderr)
        return 2 if getattr(e, "status", 500) < 500 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
