"""Reading a brief file (YAML or JSON) into a Brief and its product images, with errors that say
what to fix.

Product images are read here, on the operator's machine, and nowhere else from a file: an entry
of ``product_images`` is an ``https://`` URL (kept in the brief; intake fetches it) or a file in the
brief's own folder, named relative to it. Such a file is read and checked now, and
``start_campaign`` stores it as a blob under the campaign; the server never sees its path.

A brief's text is read so that what was written as text stays text. PyYAML resolves plain
scalars by YAML 1.1, where ``market: NO`` is false, ``offer: 1:30`` is 5400 (base 60) and
``product: 0777`` is 511; the loader here resolves only YAML 1.2's nulls (``~``, ``null``, an
empty value) and leaves every other plain scalar as the text written, and the Brief model converts
the one number it has (``variations``). A key given twice, in YAML or JSON, is refused by name.
JSON is read by :mod:`shared.json_input` (finite, bounded numbers).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import yaml
from pydantic import ValidationError

from shared import json_input
from shared.brands import with_kit
from shared.errors import BadInput
from shared.media.images import MAX_IMAGE_BYTES, AcceptedImage
from shared.media.product import accept_product_image
from shared.models import Brief, explain
from shared.models.brand import BrandKit
from shared.models.brief import MAX_PRODUCT_IMAGES

ALLOWED_IMAGES = (
    "a product image is a file in the brief's folder, named relative to it "
    "(e.g. assets/bottle.png), or an https:// URL"
)


@dataclass(frozen=True)
class BriefFile:
    """A brief and the product images read from its folder (start the campaign with both)."""

    brief: Brief
    images: tuple[AcceptedImage, ...] = ()


def load_brief(
    path: Path, *, variations: int | None = None, kit: BrandKit | None = None
) -> BriefFile:
    """The brief in ``path``; with a brand ``kit`` (``--brand``), what the file leaves out comes
    from the kit (shared/brands.py ``with_kit``), so a file may give only product and offer."""
    data, images = load_brief_fields(path, variations=variations, kit=kit)
    try:
        brief = Brief.from_user(data)
    except ValidationError as e:
        raise BadInput(
            f"the brief {path} needs fixing:\n" + explain(e, Brief, prefix="brief.")
        ) from e
    return BriefFile(brief, images)


def load_brief_fields(
    path: Path, *, variations: int | None = None, kit: BrandKit | None = None
) -> tuple[dict[str, Any], tuple[AcceptedImage, ...]]:
    """A brief file's fields (over a brand ``kit``'s), not yet a whole brief (``--url`` fills the
    rest from a page), and the images read from its folder."""
    data = _read_mapping(path)
    if kit is not None:
        data = with_kit(data, kit)
    if variations is not None:
        data["variations"] = variations
    files: list[tuple[int, str]] = []
    if isinstance(data.get("product_images"), list):  # any other type: the Brief model says so
        files, data["product_images"] = _split_images(path, data["product_images"])
    folder = path.parent.resolve()
    return data, tuple(_read_image(folder, i, entry) for i, entry in files)


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise BadInput(f"brief file {path} does not exist") from e
    except UnicodeDecodeError as e:
        raise BadInput(f"brief file {path} is not UTF-8 text") from e
    except OSError as e:
        raise BadInput(f"brief file {path} cannot be read: {e.strerror or e}") from e
    try:
        data = json_input.loads(raw) if path.suffix == ".json" else yaml.load(raw, _BriefLoader)
    except (ValueError, yaml.YAMLError, RecursionError) as e:
        raise BadInput(
            f"brief file {path} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {e}"
        ) from e
    if not isinstance(data, dict):
        raise BadInput(
            f"brief file {path} must hold a mapping of fields (product, offer, persona, market, …)"
        )
    return data


class _BriefLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema nulls as the only implicit type (see the
    module docstring), and keys given twice refused."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # none inherited from YAML 1.1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(node.value):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {str(key)[:80]!r} is given twice", key_node.start_mark
                    )
                seen.add(key)
        return mapping


# YAML 1.2 core schema, null (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_BriefLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _split_images(path: Path, entries: list[Any]) -> tuple[list[tuple[int, str]], list[str]]:
    """(index, relative path) of the files, and the URLs; the shape of each entry checked."""
    if len(entries) > MAX_PRODUCT_IMAGES:
        raise BadInput(
            f"the brief {path} needs fixing:\nbrief.product_images: {len(entries)} images; "
            f"at most {MAX_PRODUCT_IMAGES}"
        )
    files, urls = [], []
    for i, entry in enumerate(entries):
        if not isinstance(entry, str) or not entry.strip() or "\x00" in entry:
            raise _refused(path, i, "each must be a file path or an https:// URL")
        entry = entry.strip()
        if "://" in entry:
            if not entry.startswith("https://"):
                raise _refused(path, i, f"{entry[:80]!r}: only https:// URLs; {ALLOWED_IMAGES}")
            urls.append(entry)
            continue
        why = _outside(entry)
        if why:
            raise _refused(path, i, f"{entry[:80]!r} {why}; {ALLOWED_IMAGES}")
        files.append((i, entry))
    return files, urls


def _outside(entry: str) -> str | None:
    """Why the written path cannot be a file in the brief's folder, or None."""
    pure = PurePath(entry)
    if entry.startswith("~"):
        return "names a home folder (~)"
    if pure.is_absolute() or entry.startswith(("/", "\\")) or pure.drive:
        return "is an absolute path"
    if ".." in pure.parts or ".." in entry.replace("\\", "/").split("/"):
        return "leaves the brief's folder (..)"
    return None


def _read_image(folder: Path, index: int, entry: str) -> AcceptedImage:
    """The file at ``entry`` inside ``folder`` (symlinks resolved, still inside), checked."""
    field = f"brief.product_images.{index}"
    try:
        target = (folder / entry).resolve(strict=True)
    except (OSError, RuntimeError) as e:  # missing, or a symlink loop
        raise BadInput(f"{field}: no file {entry!r} in the brief's folder {folder}") from e
    if not target.is_relative_to(folder):
        raise BadInput(
            f"{field}: {entry!r} leads outside the brief's folder {folder} (a symlink); "
            + ALLOWED_IMAGES
        )
    # O_NOFOLLOW and O_NONBLOCK: the checked path is opened as it is (no symlink swapped in),
    # and a FIFO or device there does not block; fstat then tells what was opened.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(target, flags)
    except OSError as e:
        raise BadInput(f"{field}: cannot open {entry!r} ({e.strerror or e})") from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BadInput(f"{field}: {entry!r} is not a regular file; {ALLOWED_IMAGES}")
        if info.st_size > MAX_IMAGE_BYTES:
            raise BadInput(
                f"{field}: {entry}: {info.st_size:,} bytes is over the "
                f"{MAX_IMAGE_BYTES:,}-byte limit"
            )
        data = _read_at_most(fd, MAX_IMAGE_BYTES + 1)
    finally:
        os.close(fd)
    return accept_product_image(data, f"{field}: {entry}")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit and (chunk := os.read(fd, min(1 << 20, limit - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _refused(path: Path, index: int, why: str) -> BadInput:
    return BadInput(f"the brief {path} needs fixing:\nbrief.product_images.{index}: {why}")


def load_brief_words(path: Path) -> Brief:
    """The brief in ``path`` for its words only (``adloop lint-copy --brief``): validated like any
    brief, but product images named as files are left out, not read, since no image is used."""
    data = _read_mapping(path)
    images = data.get("product_images")
    if isinstance(images, list):
        data["product_images"] = [i for i in images if isinstance(i, str) and "://" in i]
    try:
        return Brief.from_user(data)
    except ValidationError as e:
        raise BadInput(
            f"the brief {path} needs fixing:\n" + explain(e, Brief, prefix="brief.")
        ) from e
