"""Resolve a spec's paths inside one allowed folder, refuse private URLs, check the font.

Runs before any rendering so a bad spec fails fast with the field it came from.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gpu_jobs.media_probe import AUDIO, CLIP, check_media
from shared.errors import BadInput
from shared.media.images import check_image_file
from shared.media.product import check_product_file
from shared.models.render import RenderSpec
from shared.net.safe_fetch import fetch

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
# A scene clip or product image fetched from a URL: generous for a clip, bounded for the disk.
MAX_ASSET_BYTES = 256 * 1024 * 1024
FETCH_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Resolved:
    """Absolute local paths for every file the spec names (``None`` where it names none)."""

    scenes: list[Path | None]
    products: list[Path]
    logo: Path | None
    music: Path | None
    font_family: str
    fonts_dir: Path | None = None


def resolve(spec: RenderSpec, root: Path) -> Resolved:
    """Check every path and the font; raise :class:`BadInput` naming the first bad field."""
    root = root.resolve()
    scenes = [
        resolve_path(s.source, root, f"scenes.{i}.source") if s.source else None
        for i, s in enumerate(spec.scenes)
    ]
    products = [
        resolve_path(p, root, f"product_images.{i}") for i, p in enumerate(spec.product_images)
    ]
    logo = resolve_path(spec.brand.logo, root, "brand.logo") if spec.brand.logo else None
    _check_images(spec, scenes, products, logo)
    _check_clips(spec, scenes)
    music = None
    if spec.music.kind == "file":
        if not spec.music.path:
            raise BadInput("music.path: is required when music.kind is file")
        music = resolve_path(spec.music.path, root, "music.path")
        check_media(music, AUDIO, "music.path")
    family, fonts_dir = resolve_font(spec.brand.font, root)
    return Resolved(scenes, products, logo, music, family, fonts_dir)


def _check_images(
    spec: RenderSpec, scenes: list[Path | None], products: list[Path], logo: Path | None
) -> None:
    """Every image's header, before any rendering: a bomb or a non-image fails here, named."""
    named = [
        (f"scenes.{i}.source", path)
        for i, (scene, path) in enumerate(zip(spec.scenes, scenes, strict=True))
        if scene.kind == "image" and path is not None
    ]
    if logo is not None:
        named.append(("brand.logo", logo))
    for field_name, path in named:
        check_image_file(path, f"{field_name}: {path.name}")
    for i, path in enumerate(products):
        check_product_file(path, f"product_images.{i}: {path.name}")


def _check_clips(spec: RenderSpec, scenes: list[Path | None]) -> None:
    """Every clip probed for what it really is before OpenCV or ffmpeg opens it: a playlist
    (HLS, ffconcat, DASH) under any name would read other files (:mod:`gpu_jobs.media_probe`)."""
    for i, (scene, path) in enumerate(zip(spec.scenes, scenes, strict=True)):
        if scene.kind == "clip" and path is not None:
            check_media(path, CLIP, f"scenes.{i}.source")


def resolve_path(value: str, root: Path, field_name: str) -> Path:
    """A spec path as an existing file inside ``root``; URLs must point at a public host."""
    if "://" in value:
        return _fetch(value, root / ".fetched", field_name)
    path = (root / value).resolve()
    if path != root and root not in path.parents:
        raise BadInput(f"{field_name}: {value!r} is outside the allowed folder {root}")
    if not path.is_file():
        raise BadInput(f"{field_name}: no file at {value!r} (looked in {root})")
    return path


def resolve_font(font: str, root: Path) -> tuple[str, Path | None]:
    """A font family libass can find: installed (fontconfig) or a font file in ``root``."""
    if font.lower().endswith(FONT_SUFFIXES):
        path = resolve_path(font, root, "brand.font")
        return _family_of(path), path.parent
    if not _installed(font):
        raise BadInput(f"brand.font: unknown font {font!r} (not installed; give a .ttf path)")
    return font, None


def _fetch(url: str, folder: Path, field_name: str) -> Path:
    """Download a public URL; every redirect hop is checked again (:mod:`shared.net.safe_fetch`)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(url.encode()).hexdigest()[:16] + Path(urlsplit(url).path).suffix
    try:
        body = fetch(url, max_bytes=MAX_ASSET_BYTES, timeout_s=FETCH_TIMEOUT_S, allow_http=True)
    except BadInput as e:
        raise BadInput(f"{field_name}: {e}") from e
    (folder / name).write_bytes(body)
    return folder / name


def _installed(family: str) -> bool:
    out = subprocess.run(
        ["fc-list", "--format", "%{family}\n"], capture_output=True, text=True, check=False
    ).stdout
    names = {n.strip().lower() for line in out.splitlines() for n in line.split(",")}
    return family.lower() in names


def _family_of(path: Path) -> str:
    out = subprocess.run(
        ["fc-scan", "--format", "%{family[0]}", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0 or not out.stdout.strip():
        raise BadInput(f"brand.font: {path.name} is not a font file fontconfig can read")
    return out.stdout.strip()
