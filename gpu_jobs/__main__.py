"""Container entry point: ``python -m gpu_jobs [SPEC OUT]`` or ADLOOP_RENDER_SPEC/ADLOOP_RENDER_OUT.

With ADLOOP_BLOBS_DIR (a folder) the spec and results are blob paths in that folder, as the local
job runner starts it; with ADLOOP_BACKEND=gcp and ADLOOP_BUCKET they are objects in that bucket
(the Cloud Run job); with neither they are local paths (spec file, output folder). Settings are
read once here (:mod:`gpu_jobs.settings`); providers are built by :mod:`gpu_jobs.bootstrap`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from gpu_jobs.settings import RenderSettings

if TYPE_CHECKING:
    from shared.ports.blobs import Blobs


def main(argv: list[str]) -> int:
    try:
        settings = RenderSettings()
    except ValidationError as e:
        print(f"render failed: the job's settings are invalid:\n{e}", file=sys.stderr)
        return 2
    spec = argv[0] if argv else settings.render_spec
    out = argv[1] if len(argv) > 1 else settings.render_out
    if not spec or not out:
        print(
            "usage: python -m gpu_jobs SPEC OUT (or ADLOOP_RENDER_SPEC, ADLOOP_RENDER_OUT)",
            file=sys.stderr,
        )
        return 2
    from gpu_jobs.bootstrap import build_blobs

    blobs = build_blobs(settings)
    if blobs is None:
        from gpu_jobs.cli import render_command

        return render_command(Path(spec), Path(out), settings)
    return _job(settings, blobs, spec, out)


def _job(settings: RenderSettings, blobs: Blobs, spec: str, out: str) -> int:
    """Render the spec at blob ``spec`` into blobs under ``out``."""
    from gpu_jobs.bootstrap import build_video_gen, build_voice
    from gpu_jobs.job import run_job
    from shared.errors import AdloopError

    try:
        run_job(
            blobs,
            spec,
            out,
            voice=build_voice(settings),
            video_gen=build_video_gen(settings),
            on_progress=lambda pct: print(f"render: {pct:3.0f}%", flush=True),
        )
    except AdloopError as e:
        print(f"render failed: {e}", file=sys.stderr)
        return 2 if getattr(e, "status", 500) < 500 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
