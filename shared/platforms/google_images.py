"""The images a Performance Max asset group takes, rendered from the campaign's own pictures.

Google Ads API, "Assets in a Performance Max campaign" (developers.google.com/google-ads/api/
docs/performance-max/assets, checked 2026): an asset group needs at least one landscape (1.91:1,
1200 x 628 recommended, 600 x 314 min) and one square (1:1, 1200 x 1200, 300 x 300 min) marketing
image and one square logo (1:1, 1200 x 1200, 128 x 128 min); a portrait image (4:5, 960 x 1200,
480 x 600 min) and a landscape logo (4:1, 1200 x 300, 512 x 128 min) are optional; every file is
a JPG or PNG of at most 5120 KB. ``SPECS`` holds those figures; images are rendered at the
recommended sizes.

Sources are the brief's product images and a frame of each creative's rendered video (ffmpeg);
the logo is a wordmark of the business name, standing in for the brand's logo until the brand
kit has one.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

MAX_BYTES = 5120 * 1024
FRAME_TIMEOUT_S = 30


@dataclass(frozen=True)
class Spec:
    kind: str  # the file name's part: "landscape"
    field: str  # the Google Ads API field type it fills
    size: tuple[int, int]  # recommended width, height
    minimum: tuple[int, int]
    required: bool


SPECS = {
    "landscape": Spec("landscape", "MARKETING_IMAGE", (1200, 628), (600, 314), True),
    "square": Spec("square", "SQUARE_MARKETING_IMAGE", (1200, 1200), (300, 300), True),
    "portrait": Spec("portrait", "PORTRAIT_MARKETING_IMAGE", (960, 1200), (480, 600), False),
    "logo": Spec("logo", "LOGO", (1200, 1200), (128, 128), True),
    "landscape_logo": Spec("landscape_logo", "LANDSCAPE_LOGO", (1200, 300), (512, 128), False),
}
MARKETING = ("landscape", "square", "portrait")
# Which video aspect a marketing image is best cut from (the closest in shape first).
FRAME_ASPECTS = {
    "landscape": ("16x9", "1x1", "4x5", "9x16"),
    "square": ("1x1", "4x5", "16x9", "9x16"),
    "portrait": ("4x5", "9x16", "1x1", "16x9"),
}


def fitted(source: Image.Image, kind: str) -> bytes:
    """``source`` cropped from its centre to the spec's shape and scaled to its size, as JPEG."""
    image = ImageOps.fit(source.convert("RGB"), SPECS[kind].size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def marketing_images(source: Image.Image) -> dict[str, bytes]:
    """The landscape, square and portrait images cut from one picture."""
    return {kind: fitted(source, kind) for kind in MARKETING}


def open_image(data: bytes) -> Image.Image | None:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return None
    return image


def frame_argv(video: Path) -> list[str]:
    """ffmpeg's arguments for one representative frame of ``video`` as PNG on stdout (pure)."""
    return [
        "ffmpeg", "-v", "error", "-nostdin", "-i", str(video),
        "-vf", "thumbnail", "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "pipe:1",
    ]  # fmt: skip


def video_frame(data: bytes) -> Image.Image | None:
    """A frame of the video ``data``, or None when ffmpeg cannot read one from it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "video"
        path.write_bytes(data)
        try:
            done = subprocess.run(
                frame_argv(path), capture_output=True, timeout=FRAME_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    return open_image(done.stdout) if done.returncode == 0 and done.stdout else None


def frame_source(
    videos: dict[str, str], read_blob: Callable[[str], bytes]
) -> dict[str, Image.Image]:
    """One frame per aspect of the creative's videos (aspect -> frame); unreadable ones left out."""
    frames = {}
    for aspect, blob in sorted(videos.items()):
        frame = video_frame(read_blob(blob))
        if frame is not None:
            frames[aspect] = frame
    return frames


def from_frames(frames: dict[str, Image.Image]) -> dict[str, bytes]:
    """Each marketing image cut from the frame closest to its shape."""
    out = {}
    for kind in MARKETING:
        aspect = next((a for a in FRAME_ASPECTS[kind] if a in frames), None)
        if aspect is None:
            aspect = next(iter(sorted(frames)), None)
        if aspect is not None:
            out[kind] = fitted(frames[aspect], kind)
    return out


def wordmark(name: str, kind: str) -> bytes:
    """The business name set in black on white at the logo spec's size, as PNG: a stand-in."""
    width, height = SPECS[kind].size
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    size = height // 3 if kind == "landscape_logo" else height // 8
    font = ImageFont.load_default(size=size)
    while size > 12 and draw.textlength(name, font=font) > width * 0.86:
        size = int(size * 0.9)
        font = ImageFont.load_default(size=size)
    draw.text((width / 2, height / 2), name, fill="black", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
