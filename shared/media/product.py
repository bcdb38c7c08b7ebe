"""A product image is more than a valid image: the product must be there and big enough to be
the hero of a video (issue 18's outside attack: a fully transparent PNG, a 10-pixel dot and a
64×64 thumbnail each rendered a broken hero rather than an error).

Checked where a product image arrives (brief folder, intake fetch, Slack upload) and again by the
render job before it decodes anything, on the image as it is displayed: EXIF orientation applied
(a phone photo stored sideways is shown upright by every viewer, so it is measured upright).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

from shared.errors import BadInput
from shared.media.images import AcceptedImage, accept_image, check_image_file

# The product's long side, after transparent edges are trimmed: a hero fills about half the
# frame's height (960 px in 9:16), so a 200 px product is already enlarged about five times;
# smaller ones look pixelated.
MIN_PRODUCT_PX = 200
# Fewer opaque pixels than this (a 50×50 patch) is a speck, whatever its bounding box.
MIN_VISIBLE_PIXELS = 2500
# Alpha at or under this is see-through (the anti-aliased fringe of a cut-out is not product).
VISIBLE_ALPHA = 8
WHAT_TO_UPLOAD = (
    "upload a photo of the product at least "
    f"{MIN_PRODUCT_PX} px on its long side (1000 px or more looks sharp): "
    "a PNG with a transparent background or a shot on a plain backdrop"
)


def upright(image: Image.Image) -> Image.Image:
    """``image`` turned as its EXIF orientation says (how viewers show it)."""
    return ImageOps.exif_transpose(image) or image


def check_product(image: Image.Image, name: str) -> None:
    """BadInput naming ``name`` when the (upright) image has no visible product or too small a
    one, saying what to upload instead."""
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")  # a palette PNG's transparent colour
    width, height = image.size
    what = "the image"
    if "A" in image.getbands():
        visible = image.getchannel("A").point(lambda a: 255 if a > VISIBLE_ALPHA else 0)
        box = visible.getbbox()
        if box is None:
            raise BadInput(
                f"{name}: the image is fully transparent, no product shows; " + WHAT_TO_UPLOAD
            )
        shown = visible.histogram()[255]
        if shown < MIN_VISIBLE_PIXELS:
            raise BadInput(
                f"{name}: the image is almost all transparent: only {shown:,} visible pixels, "
                f"a speck, not a product; " + WHAT_TO_UPLOAD
            )
        width, height = box[2] - box[0], box[3] - box[1]
        what = "the visible product (transparent edges trimmed)"
    if max(width, height) < MIN_PRODUCT_PX:
        raise BadInput(
            f"{name}: {what} is only {width}×{height} px, too small to be a video's hero; "
            + WHAT_TO_UPLOAD
        )


def accept_product_image(data: bytes, name: str) -> AcceptedImage:
    """:func:`shared.media.images.accept_image`, then :func:`check_product` on its pixels."""
    accepted = accept_image(data, name)
    with Image.open(io.BytesIO(data)) as image:
        check_product(upright(image), name)
    return accepted


def check_product_file(path: Path, name: str) -> None:
    """The render job's check of a product image file: header limits, then the product. A file
    whose header reads but whose pixels do not (a truncated JPEG or PNG) is refused as damaged,
    as an upload is, not left to fail the render with a traceback."""
    info = check_image_file(path, name)
    with Image.open(path) as image:
        try:
            image.load()
        except (OSError, ValueError, SyntaxError) as e:
            raise BadInput(
                f"{name}: the {info.format} image is damaged and cannot be read ({e}); "
                "export it again"
            ) from e
        check_product(upright(image), name)
