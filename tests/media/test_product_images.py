"""shared.media.product: a product image must show a product big enough to be a video's hero,
measured upright (EXIF orientation applied), and say what to upload when it does not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from gpu_jobs.composite import load_bgra
from shared.errors import BadInput
from shared.media.product import accept_product_image, check_product_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _transparent_with(box: tuple[int, int, int, int] | None) -> Image.Image:
    image = Image.new("RGBA", (1000, 1000), (0, 0, 0, 0))
    if box:
        ImageDraw.Draw(image).ellipse(box, fill=(255, 0, 0, 255))
    return image


def test_a_real_product_shot_is_accepted() -> None:
    data = (EXAMPLES / "assets" / "glowdrop-bottle.png").read_bytes()
    assert accept_product_image(data, "bottle.png").info.width == 400


@pytest.mark.parametrize(
    ("image", "says"),
    [
        (_transparent_with(None), "fully transparent"),
        (_transparent_with((495, 495, 505, 505)), "only .* visible pixels, a speck"),  # a dot
        (_transparent_with((400, 400, 560, 560)), "only 161×161 px"),  # visible, but small
        (Image.new("RGB", (64, 64), (200, 50, 120)), "only 64×64 px"),
    ],
    ids=["transparent", "dot", "small-product", "thumbnail"],
)
def test_an_image_without_a_usable_product_is_refused_saying_what_to_upload(
    image: Image.Image, says: str
) -> None:
    with pytest.raises(BadInput, match="p.png: .*" + says) as e:
        accept_product_image(_png(image), "p.png")
    assert "at least 200 px on its long side" in str(e.value)


def test_the_render_checks_a_product_file_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(_png(_transparent_with(None)))
    with pytest.raises(BadInput, match=r"product_images\.0: .*fully transparent"):
        check_product_file(path, "product_images.0")


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_product_file_is_refused_as_damaged_not_a_traceback(
    tmp_path: Path, kind: str
) -> None:
    # The second outside attack: `adloop render` crashed on a cut-short file.
    out = io.BytesIO()
    Image.new("RGB", (800, 800), (200, 50, 120)).save(out, kind)
    path = tmp_path / f"cut.{kind.lower()}"
    path.write_bytes(out.getvalue()[: len(out.getvalue()) * 2 // 3])
    with pytest.raises(BadInput, match=rf"product_images\.0: the {kind} image is damaged"):
        check_product_file(path, "product_images.0")


def test_a_photo_stored_sideways_is_loaded_upright(tmp_path: Path) -> None:
    # Stored landscape with EXIF orientation 6 (rotate 90° clockwise to show): a phone's portrait.
    stored = Image.new("RGB", (1000, 600), (255, 255, 255))
    ImageDraw.Draw(stored).rectangle((0, 0, 99, 599), fill=(0, 0, 0))  # black on its left edge
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    stored.save(path, exif=exif.tobytes(), quality=95)
    image = load_bgra(path, "product_images.0")
    assert image.shape[:2] == (1000, 600)  # upright: tall
    # the stored left edge is the top once turned clockwise
    assert image[:90, :, :3].mean() < 30 and image[-500:, :, :3].mean() > 225
