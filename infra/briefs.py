"""Reading a brief file (YAML or JSON) into a Brief, with errors that say what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from shared.errors import BadInput
from shared.models import Brief, explain


def load_brief(path: Path, *, variations: int | None = None) -> Brief:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise BadInput(f"brief file {path} does not exist") from e
    except UnicodeDecodeError as e:
        raise BadInput(f"brief file {path} is not UTF-8 text") from e
    except OSError as e:
        raise BadInput(f"brief file {path} cannot be read: {e.strerror or e}") from e
    try:
        data = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError, RecursionError) as e:
        raise BadInput(
            f"brief file {path} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {e}"
        ) from e
    if not isinstance(data, dict):
        raise BadInput(
            f"brief file {path} must hold a mapping of fields (product, offer, persona, market, …)"
        )
    if variations is not None:
        data["variations"] = variations
    images = data.get("product_images")
    if isinstance(images, list):
        bad = [p for p in images if not isinstance(p, str) or not p or "\x00" in p]
        if bad:
            raise BadInput(
                f"the brief {path} needs fixing:\nbrief.product_images: each must be a file path"
            )
        data["product_images"] = [str((path.parent / p).resolve()) for p in images]
    try:
        return Brief.model_validate(data)
    except ValidationError as e:
        raise BadInput(
            f"the brief {path} needs fixing:\n" + explain(e, Brief, prefix="brief.")
        ) from e
