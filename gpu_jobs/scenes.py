"""Scene inputs: stills framed for each aspect, clips cropped around what matters, and generated
scenes behind a video-generation port (offline: procedural backdrops from brand colours + prompt).

The production generators sit beside :class:`ProceduralScenes` behind :class:`VideoGen`:
Runway (``gpu_jobs.scenes_runway``) and Veo on Vertex AI (``gpu_jobs.scenes_veo``), chosen in
``gpu_jobs.bootstrap``. A generator that ran and failed raises :class:`VideoGenerationFailed`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from gpu_jobs.placement import busy_map, find_faces
from gpu_jobs.targets import Rect
from shared.errors import BadInput, PermanentError
from shared.media.images import FORMATS, check_image_file

Image = NDArray[np.uint8]
# What read_image accepts from a spec (shared.media.images), plus the BMP stills this job writes
# itself (ProceduralScenes: fast to write and read).
OWN_FORMATS = (*FORMATS, "BMP")


class VideoGenerationFailed(PermanentError):
    """The provider ran the task and it failed (moderation, bad input): retrying will not help."""

    def __init__(self, message: str, *, task_id: str, code: str | None) -> None:
        super().__init__(message)
        self.task_id, self.code = task_id, code


@dataclass(frozen=True)
class GeneratedScene:
    path: Path
    kind: Literal["image", "clip"]


class VideoGen(Protocol):
    def generate(
        self,
        prompt: str,
        *,
        duration_s: float,
        width: int,
        height: int,
        brand_colors: list[str],
        out_dir: Path,
    ) -> GeneratedScene:
        """Make a scene for ``prompt``: a clip, or a still the renderer moves."""
        ...


class ProceduralScenes:
    """Offline scenes: a gradient in brand colours with soft light shapes, seeded by the prompt."""

    def generate(
        self,
        prompt: str,
        *,
        duration_s: float,
        width: int,
        height: int,
        brand_colors: list[str],
        out_dir: Path,
    ) -> GeneratedScene:
        seed = int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16)
        image = procedural_backdrop(seed, width, height, [_bgr(c) for c in brand_colors])
        out = out_dir / f"generated-{seed:08x}-{width}x{height}.bmp"  # fast to write and read
        cv2.imwrite(str(out), image)
        return GeneratedScene(out, "image")


def procedural_backdrop(
    seed: int, width: int, height: int, colors: list[tuple[int, int, int]]
) -> Image:
    """A deterministic backdrop: two-colour diagonal gradient, bokeh discs, a vignette."""
    rng = np.random.default_rng(seed)
    a = np.array(colors[0], np.float32)
    b = np.array(colors[1 % len(colors)] if len(colors) > 1 else _lighter(colors[0]), np.float32)
    sw, sh = 240, max(1, round(240 * height / width))  # drawn small, scaled up: it is all soft
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    ramp = (np.cos(angle) * xx / sw + np.sin(angle) * yy / sh + 1) / 2
    image = a * (1 - ramp[:, :, None]) + b * ramp[:, :, None]
    for _ in range(int(rng.integers(6, 12))):
        cx, cy, r = rng.uniform(0, sw), rng.uniform(0, sh), rng.uniform(0.05, 0.2) * sw
        disc = np.clip(1 - np.hypot(xx - cx, yy - cy) / r, 0, 1) ** 1.5 * rng.uniform(0.15, 0.4)
        image += (255 - image) * disc[:, :, None]
    vignette = 1 - 0.35 * (((xx / sw - 0.5) ** 2 + (yy / sh - 0.5) ** 2) * 2)
    image *= vignette[:, :, None]
    big = cv2.resize(
        np.clip(image, 0, 255).astype(np.uint8), (width, height), interpolation=cv2.INTER_CUBIC
    )
    grain = rng.integers(-3, 4, (height, width, 1), dtype=np.int16)  # keeps gradients unbanded
    return np.clip(big.astype(np.int16) + grain, 0, 255).astype(np.uint8)


def salient_point(image: Image) -> tuple[float, float]:
    """Where the eye goes, as fractions of width and height: faces first, else detail."""
    faces = find_faces(image)
    if faces:
        f = max(faces, key=lambda r: r.w * r.h)
        return (f.x + f.w / 2) / image.shape[1], (f.y + f.h / 2) / image.shape[0]
    busy = busy_map(image)
    total = float(busy.sum())
    if total < 1e-6:
        return 0.5, 0.5
    ys, xs = np.indices(busy.shape)
    return float((xs * busy).sum() / total / busy.shape[1]), float(
        (ys * busy).sum() / total / busy.shape[0]
    )


def crop_around(src_w: int, src_h: int, aspect: float, cx: float, cy: float) -> Rect:
    """The largest ``aspect`` (w/h) rectangle in the source, centred on (cx, cy) where it fits."""
    w, h = (
        (src_w, round(src_w / aspect)) if src_w / src_h < aspect else (round(src_h * aspect), src_h)
    )
    w, h = min(w, src_w) // 2 * 2, min(h, src_h) // 2 * 2
    x = int(np.clip(cx * src_w - w / 2, 0, src_w - w)) // 2 * 2
    y = int(np.clip(cy * src_h - h / 2, 0, src_h - h)) // 2 * 2
    return Rect(x, y, w, h)


def frame_still(
    image: Image, width: int, height: int, salient: tuple[float, float] | None = None
) -> Image:
    """``image`` cropped around its salient point (``salient``, found once per image by
    :func:`salient_point` when not given) to ``width``×``height`` and scaled to it."""
    cx, cy = salient if salient is not None else salient_point(image)
    r = crop_around(image.shape[1], image.shape[0], width / height, cx, cy)
    crop = image[r.y : r.bottom, r.x : r.right]
    interp = cv2.INTER_AREA if crop.shape[1] > width else cv2.INTER_CUBIC
    return cv2.resize(crop, (width, height), interpolation=interp)


def read_image(
    path: Path, field_name: str, *, keep_alpha: bool = False, own: bool = False
) -> Image:
    """An image file decoded by OpenCV (BGR, or as stored with ``keep_alpha``; ``own``: a still
    this job made). Its header is checked first (:func:`shared.media.images.check_image_file`):
    a decompression bomb is a BadInput naming the field, never a cv2 error or gigabytes of
    memory."""
    formats = OWN_FORMATS if own else tuple(FORMATS)
    check_image_file(path, f"{field_name}: {path.name}", formats=formats)
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED if keep_alpha else cv2.IMREAD_COLOR)
    if image is None:
        raise BadInput(f"{field_name}: {path.name} is not an image OpenCV can read")
    return image


def clip_frame(path: Path, field_name: str) -> tuple[Image, float]:
    """A frame from the middle of a clip (for framing and placement) and the clip's seconds."""
    cap = cv2.VideoCapture(str(path))
    try:
        frames = cap.get(cv2.CAP_PROP_FRAME_COUNT)
        fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
        cap.set(cv2.CAP_PROP_POS_FRAMES, max(0, int(frames // 2)))
        ok, frame = cap.read()
    finally:
        cap.release()
    if not ok or frame is None:
        raise BadInput(f"{field_name}: {path.name} is not a video OpenCV can read")
    return frame, frames / fps if frames > 0 else 0.0


def _bgr(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[4:6], 16), int(h[2:4], 16), int(h[0:2], 16)


def _lighter(c: tuple[int, int, int]) -> tuple[int, int, int]:
    b, g, r = c
    return (b + 255) // 2, (g + 255) // 2, (r + 255) // 2


# BGR -> limited-range BT.601 Y, Cb, Cr (rows), the last column the offset.
_YCBCR = np.array(
    [
        [24.966 / 255, 128.553 / 255, 65.481 / 255, 16.0],
        [112.0 / 255, -74.203 / 255, -37.797 / 255, 128.0],
        [-18.214 / 255, -93.786 / 255, 112.0 / 255, 128.0],
    ],
    np.float32,
)


def write_y4m(path: Path, image: Image, fps: int) -> None:
    """One BGR frame as YUV4MPEG 4:2:0 (limited-range BT.601, as ffmpeg's own conversion).

    ffmpeg loops it with ``-stream_loop``: reading it back is a copy, where a PNG would be
    decoded and converted again for every frame. The matrix is applied by OpenCV in one pass
    (three times faster than the same sums in numpy; rounding differs by one level on about
    one pixel in a million).
    """
    h, w = image.shape[:2]
    y, cb, cr = cv2.split(cv2.transform(image.astype(np.float32), _YCBCR))

    def half(plane: NDArray[np.float32]) -> NDArray[np.float32]:
        return cv2.resize(plane, (w // 2, h // 2), interpolation=cv2.INTER_AREA)

    # saturated and rounded to the nearest level, as np.clip(...).round() did
    planes = [cv2.convertScaleAbs(p) for p in (y, half(cb), half(cr))]
    header = f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420mpeg2\nFRAME\n".encode()
    path.write_bytes(header + b"".join(p.tobytes() for p in planes))
