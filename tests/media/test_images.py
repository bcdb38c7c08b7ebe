"""shared.media.images: what counts as an image adloop will use. Type by content, a byte limit,
and a pixel limit read from the header before anything is decoded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from shared.errors import BadInput
from shared.media.images import MAX_IMAGE_BYTES, accept_image, check_image_file
from tests.media.images import png_declaring


def _encoded(fmt: str, size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type", "suffix"),
    [("PNG", "image/png", ".png"), ("JPEG", "image/jpeg", ".jpg"), ("WEBP", "image/webp", ".webp")],
)
def test_png_jpeg_and_webp_are_accepted_by_their_content(
    fmt: str, content_type: str, suffix: str
) -> None:
    # The name says .png whatever the content: the content decides.
    image = accept_image(_encoded(fmt), "photo.png")
    assert (image.info.format, image.info.width, image.info.height) == (fmt, 32, 24)
    assert (image.info.content_type, image.info.suffix) == (content_type, suffix)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_types_are_refused(fmt: str) -> None:
    with pytest.raises(BadInput, match=r"logo\.png: not a PNG, JPEG or WebP image"):
        accept_image(_encoded(fmt), "logo.png")


def test_a_text_file_named_png_is_refused() -> None:
    with pytest.raises(BadInput, match=r"bottle\.png: not a PNG, JPEG or WebP image"):
        accept_image(b"SECRET_KEY=hunter2\nPATH=/usr/bin\n", "bottle.png")


@pytest.mark.parametrize(("width", "height"), [(50_000, 50_000), (20_000, 20_000)])
def test_a_decompression_bomb_is_refused_from_its_header(width: int, height: int) -> None:
    bomb = png_declaring(width, height)
    assert len(bomb) < 20_000, "a few kilobytes that would decode to gigabytes"
    with pytest.raises(BadInput) as err:
        accept_image(bomb, "bomb.png")
    message = str(err.value)
    assert message.startswith("bomb.png: ") and "40,000,000 pixels" in message


def test_an_image_just_over_the_pixel_limit_is_refused_with_its_size() -> None:
    with pytest.raises(BadInput) as err:
        accept_image(png_declaring(8001, 5000), "wide.png")
    assert "8001×5000 is 40,005,000 pixels" in str(err.value)
    assert "40,000,000-pixel limit" in str(err.value)


def test_bytes_over_the_limit_are_refused_before_they_are_parsed() -> None:
    with pytest.raises(BadInput, match=f"over the {MAX_IMAGE_BYTES:,}-byte limit"):
        accept_image(_encoded("PNG") + b"\0" * MAX_IMAGE_BYTES, "huge.png")


def test_a_truncated_image_is_refused_as_damaged() -> None:
    data = _encoded("PNG", (300, 300))
    with pytest.raises(BadInput, match="damaged"):
        accept_image(data[: len(data) // 2], "cut.png")


def test_the_header_check_of_a_file_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "bomb.png").write_bytes(png_declaring(50_000, 50_000))
    with pytest.raises(BadInput, match=r"^product_images\.0: bomb\.png: .*40,000,000 pixels"):
        check_image_file(tmp_path / "bomb.png", "product_images.0: bomb.png")
    (tmp_path / "ok.jpg").write_bytes(_encoded("JPEG"))
    assert check_image_file(tmp_path / "ok.jpg", "x").format == "JPEG"
