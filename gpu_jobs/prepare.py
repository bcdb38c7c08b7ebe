"""Per target, once per video: framed stills, the product composite and the logo, as files ffmpeg
reads. All the image analysis (faces, detail, light) happens here, before the one ffmpeg run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from gpu_jobs.assets import Resolved
from gpu_jobs.composite import load_bgra, prepare_product
from gpu_jobs.filtergraph import ZOOM, Overlay, SceneInput
from gpu_jobs.media_probe import CLIP, check_media
from gpu_jobs.placement import Image, choose_zone
from gpu_jobs.scenes import (
    VideoGen,
    clip_frame,
    crop_around,
    frame_still,
    read_image,
    salient_point,
    write_y4m,
)
from gpu_jobs.targets import Rect, Target, safe_rect
from shared.models.render import RenderSpec


@dataclass(frozen=True)
class SceneSource:
    """What a scene is made from, loaded once and shared by every target."""

    kind: str  # still | clip | generated
    image: Image | None  # stills: the picture; clips: a frame from the middle
    path: Path | None
    salient: tuple[float, float] = (0.5, 0.5)


def load_sources(spec: RenderSpec, resolved: Resolved) -> list[SceneSource]:
    """Read each image or clip once; generated scenes are made per target later."""
    sources = []
    for i, (scene, path) in enumerate(zip(spec.scenes, resolved.scenes, strict=True)):
        if scene.kind == "image" and path:
            image = read_image(path, f"scenes.{i}.source")
            # found once here, not per target: face detection is the costly part of framing
            sources.append(SceneSource("still", image, path, salient_point(image)))
        elif scene.kind == "clip" and path:
            frame, _ = clip_frame(path, f"scenes.{i}.source")
            sources.append(SceneSource("clip", frame, path, salient_point(frame)))
        else:
            sources.append(SceneSource("generated", None, None))
    return sources


def even(v: float) -> int:
    return int(round(v / 2)) * 2


def scene_inputs(
    spec: RenderSpec,
    sources: Sequence[SceneSource],
    target: Target,
    work: Path,
    gen: VideoGen,
    durations: Sequence[float],
) -> tuple[list[SceneInput], list[Image]]:
    """Scene inputs for ``target`` and, for placement, each scene's first view at output size."""
    w, h = target.width, target.height
    pw, ph = even(w * ZOOM), even(h * ZOOM)
    inputs, views = [], []
    for i, (scene, src, dur) in enumerate(zip(spec.scenes, sources, durations, strict=True)):
        if src.kind == "clip" and src.path and src.image is not None:
            crop = crop_around(src.image.shape[1], src.image.shape[0], w / h, *src.salient)
            view = cv2.resize(src.image[crop.y : crop.bottom, crop.x : crop.right], (w, h))
            inputs.append(SceneInput("clip", src.path, dur, crop=crop))
            views.append(view)
            continue
        if src.kind == "generated":
            made = gen.generate(
                scene.prompt or "",
                duration_s=dur,
                width=pw,
                height=ph,
                brand_colors=spec.brand.colors,
                out_dir=work,
            )
            if made.kind == "clip":
                # A generated video (Runway, Veo) is used like a given clip: cropped around its
                # salient region for this aspect. A provider's file is probed like a user's.
                check_media(made.path, CLIP, f"scenes.{i}.prompt")
                frame, _ = clip_frame(made.path, f"scenes.{i}.prompt")
                crop = crop_around(frame.shape[1], frame.shape[0], w / h, *salient_point(frame))
                inputs.append(SceneInput("clip", made.path, dur, crop=crop))
                views.append(cv2.resize(frame[crop.y : crop.bottom, crop.x : crop.right], (w, h)))
                continue
            framed = read_image(made.path, f"scenes.{i}.prompt", own=True)
        else:
            assert src.image is not None
            framed = frame_still(src.image, pw, ph, src.salient)
        path = work / f"scene{i}-{target.slug}.y4m"
        write_y4m(path, framed, spec.fps)
        inputs.append(SceneInput("still", path, dur, scene.motion))
        views.append(cv2.resize(framed, (w, h), interpolation=cv2.INTER_AREA))
    return inputs, views


def place_products(
    spec: RenderSpec,
    resolved: Resolved,
    inputs: list[SceneInput],
    views: Sequence[Image],
    target: Target,
    avoid: Sequence[Rect],
    work: Path,
) -> list[SceneInput]:
    """Each scene with its product overlay, placed clear of faces, detail and text."""
    if not resolved.products:
        return inputs
    products = [load_bgra(p, f"product_images.{i}") for i, p in enumerate(resolved.products)]
    allowed = safe_rect(target.width, target.height)
    box_w, box_h = even(allowed.w * 0.5), even(allowed.h * 0.42)
    placed = []
    for i, (scene, inp, view) in enumerate(zip(spec.scenes, inputs, views, strict=True)):
        if not scene.show_product:
            placed.append(inp)
            continue
        zone = choose_zone(view, box_w, box_h, allowed, avoid)
        out = work / f"product{i}-{target.slug}.png"
        x, y = prepare_product(products[i % len(products)], view, zone, out)
        placed.append(
            SceneInput(inp.kind, inp.path, inp.duration_s, inp.motion, inp.crop, Overlay(out, x, y))
        )
    return placed


def place_logo(logo: Path | None, target: Target, work: Path) -> Overlay | None:
    """The logo at the top left of the safe zone, 14 % of the frame's width."""
    if logo is None:
        return None
    image = load_bgra(logo, "brand.logo")
    width = even(target.width * 0.14)
    height = max(2, even(image.shape[0] * width / image.shape[1]))
    out = work / f"logo-{target.slug}.png"
    cv2.imwrite(str(out), cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA))
    safe = safe_rect(target.width, target.height)
    return Overlay(out, safe.x, safe.y)


def logo_height(overlay: Overlay | None) -> int:
    if overlay is None:
        return 0
    image = cv2.imread(str(overlay.path), cv2.IMREAD_UNCHANGED)
    return int(np.shape(image)[0])
