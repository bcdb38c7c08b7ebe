"""``adloop render SPEC.json --out DIR``: the render job, locally."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gpu_jobs.bootstrap import bootstrap
from gpu_jobs.ffmpeg import FfmpegError
from gpu_jobs.render import render
from gpu_jobs.settings import RenderSettings
from shared.errors import AdloopError, BadInput
from shared.models.render import load_spec


def render_command(
    spec_path: Path, out_dir: Path, settings: RenderSettings, *, all_targets: bool | None = None
) -> int:
    """Render a spec whose assets sit beside it, with the voice and video generator
    ``settings`` choose; print progress; return the exit code.

    Exit 0 on success, 2 for a bad spec (the message names the field), 1 for a failed render.
    """
    try:
        spec = load_spec(spec_path)
        services = bootstrap(settings)
        manifest = render(
            spec,
            spec_path.parent,
            out_dir,
            voice=services.voice,
            video_gen=services.video_gen,
            all_targets=bool(all_targets),
            on_progress=lambda pct: print(f"render {spec.video_id}: {pct:3.0f}%", flush=True),
        )
    except BadInput as e:
        print(f"bad render spec {spec_path}:\n{e}", file=sys.stderr)
        return 2
    except FfmpegError as e:
        print(f"render failed: {e}\nargv: {' '.join(e.argv)}", file=sys.stderr)
        return 1
    except AdloopError as e:
        print(f"render failed: {e}", file=sys.stderr)
        return 1
    if "stretched_from_s" in manifest:
        print(
            f"render {spec.video_id}: the voice-over needed {manifest['duration_s']:g} s; the "
            f"{manifest['stretched_from_s']:g} s video was lengthened to fit (voice.fit: stretch)",
            file=sys.stderr,
        )
    print(json.dumps(manifest["outputs"], indent=2))
    return 0
