"""Images a user gives us (product shots, logos, scene stills), checked by content before any
pixel is decoded.

This is the one place adloop decides whether bytes are an image it will use: the brief reader and
intake call :func:`accept_image` on every product image before it becomes a blob; the render job
calls :func:`check_image_file` before OpenCV reads a file. Three checks, in this order:

* a byte limit, before the bytes are parsed at all;
* the type by content (PNG, JPEG or WebP, whatever the name says);
* a pixel limit, read from the header: a 300 KB PNG can declare 50000×50000 pixels and take
  gigabytes to decode (a decompression bomb), so the size is known before anything is decoded.

Every refusal is :class:`shared.errors.BadInput` naming the image and the limit.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from shared.errors import BadInput

# Generous for a product shot or a 40-megapixel JPEG, small enough to upload, fetch and hold.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# 40 megapixels (e.g. 8000×5000): beyond any ad format; decoded as BGRA it is 160 MB.
MAX_IMAGE_PIXELS = 40_000_000
# Pillow format name -> (MIME type, file suffix). Pillow's names: PIL/PngImagePlugin.py,
# PIL/JpegImagePlugin.py, PIL/WebPImagePlugin.py (the ``format`` each plugin declares).
FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "WEBP": ("image/webp", ".webp"),
}
ALLOWED = "PNG, JPEG or WebP"


@dataclass(frozen=True)
class ImageInfo:
    """What the header says: the format (a key of :data:`FORMATS`) and the size in pixels."""

    format: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][0]

    @property
    def suffix(self) -> str:
        return FORMATS[self.format][1]


@dataclass(frozen=True)
class AcceptedImage:
    """An image that passed every check, with the name it came under (for messages)."""

    name: str
    data: bytes
    info: ImageInfo


def accept_image(data: bytes, name: str) -> AcceptedImage:
    """``data`` as an image adloop will use; BadInput naming ``name`` and the limit otherwise.

    After the header checks the image is decoded once (bounded by the pixel limit), so a file
    that only starts like an image is refused here rather than when a video is rendered.
    """
    if len(data) > MAX_IMAGE_BYTES:
        raise BadInput(f"{name}: {len(data):,} bytes is over the {MAX_IMAGE_BYTES:,}-byte limit")
    with _open(io.BytesIO(data), name, tuple(FORMATS)) as image:
        info = _checked(image, name, tuple(FORMATS))
        try:
            image.load()
        except (OSError, ValueError, SyntaxError) as e:
            raise BadInput(
                f"{name}: the {info.format} image is damaged and cannot be read ({e})"
            ) from e
    return AcceptedImage(name, data, info)


def check_image_file(
    path: Path, name: str, *, formats: Sequence[str] = tuple(FORMATS)
) -> ImageInfo:
    """The header of the image file at ``path``, checked as :func:`accept_image` does, without
    decoding it (the caller decodes next); BadInput naming ``name`` otherwise. ``formats``
    (Pillow's names) widens the types for files adloop wrote itself."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise BadInput(f"{name}: cannot read {path.name} ({e.strerror or e})") from e
    if size > MAX_IMAGE_BYTES:
        raise BadInput(f"{name}: {size:,} bytes is over the {MAX_IMAGE_BYTES:,}-byte limit")
    try:
        with path.open("rb") as f, _open(f, name, formats) as image:
            return _checked(image, name, formats)
    except OSError as e:
        raise BadInput(f"{name}: cannot read {path.name} ({e.strerror or e})") from e


def _open(source: BinaryIO, name: str, formats: Sequence[str]) -> Image.Image:
    """The image lazily opened (Pillow reads the header, not the pixels)."""
    try:
        with warnings.catch_warnings():
            # Our own limit is lower than Pillow's warning threshold; its warning adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(source, formats=list(formats))
    except Image.DecompressionBombError as e:
        # Pillow refuses at open above twice its own threshold, before we can read the size.
        raise BadInput(
            f"{name}: the image declares more than {2 * (Image.MAX_IMAGE_PIXELS or 0):,} pixels; "
            f"the limit is {MAX_IMAGE_PIXELS:,} pixels ({MAX_IMAGE_PIXELS / 1e6:g} megapixels)"
        ) from e
    except (UnidentifiedImageError, SyntaxError, ValueError, EOFError) as e:
        raise BadInput(
            f"{name}: not a {ALLOWED} image (its content is checked, not its name)"
        ) from e


def _checked(image: Image.Image, name: str, formats: Sequence[str]) -> ImageInfo:
    width, height = image.size
    info = ImageInfo(str(image.format), width, height)
    if info.format not in formats:  # Image.open(formats=...) allows only these; belt and braces
        raise BadInput(f"{name}: a {info.format} image; only {ALLOWED} are accepted")
    if width < 1 or height < 1:
        raise BadInput(f"{name}: the image declares {width}×{height} pixels")
    if width * height > MAX_IMAGE_PIXELS:
        raise BadInput(
            f"{name}: {width}×{height} is {width * height:,} pixels, over the "
            f"{MAX_IMAGE_PIXELS:,}-pixel limit ({MAX_IMAGE_PIXELS / 1e6:g} megapixels); "
            "use a smaller image"
        )
    return info
