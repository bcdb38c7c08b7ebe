"""The Cloud Run job: read a spec and its assets through the blobs port, render, write back."""

from __future__ import annotations

import json
import mimetypes
import posixpath
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gpu_jobs.render import render
from gpu_jobs.scenes import VideoGen
from gpu_jobs.voice import Voice
from shared.errors import BadInput
from shared.models.render import RenderSpec, parse_spec
from shared.ports.blobs import Blobs


def asset_paths(spec: RenderSpec) -> list[tuple[str, str]]:
    """(field, path) for every file the spec names, URLs excluded (the renderer fetches those)."""
    named = [(f"scenes.{i}.source", s.source) for i, s in enumerate(spec.scenes)]
    named += [(f"product_images.{i}", p) for i, p in enumerate(spec.product_images)]
    named += [("brand.logo", spec.brand.logo), ("music.path", spec.music.path)]
    if spec.brand.font.lower().endswith((".ttf", ".otf", ".ttc")):
        named.append(("brand.font", spec.brand.font))
    return [(f, p) for f, p in named if p and "://" not in p]


def run_job(
    blobs: Blobs,
    spec_path: str,
    out_prefix: str,
    *,
    voice: Voice,
    video_gen: VideoGen,
    on_progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Render the spec at blob ``spec_path``; results go under ``out_prefix``; returns the manifest.

    Asset paths in the spec are relative to the spec's blob folder and may not leave it.
    """
    spec = parse_spec(blobs.get(spec_path))
    folder = posixpath.dirname(spec_path)
    with tempfile.TemporaryDirectory(prefix="adloop-job-") as tmp:
        root, out = Path(tmp) / "in", Path(tmp) / "out"
        root.mkdir()
        for field_name, rel in asset_paths(spec):
            blob = posixpath.normpath(posixpath.join(folder, rel))
            inside = not folder or blob.startswith(folder + "/")
            if rel.startswith("/") or blob.startswith("..") or not inside:
                raise BadInput(f"{field_name}: {rel!r} is outside the spec's folder")
            if not blobs.exists(blob):
                raise BadInput(f"{field_name}: no blob at {blob!r}")
            local = root / posixpath.relpath(blob, folder or ".")
            local.parent.mkdir(parents=True, exist_ok=True)
            local.write_bytes(blobs.get(blob))
        manifest = render(
            spec, root, out, voice=voice, video_gen=video_gen, on_progress=on_progress
        )
        for path in sorted(out.iterdir()):
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            blobs.put(f"{out_prefix.rstrip('/')}/{path.name}", path.read_bytes(), content_type=kind)
    manifest["prefix"] = out_prefix.rstrip("/")
    blobs.put(
        f"{out_prefix.rstrip('/')}/manifest.json",
        json.dumps(manifest, indent=2, ensure_ascii=False).encode(),
        content_type="application/json",
    )
    return manifest
