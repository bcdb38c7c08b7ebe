"""Shared pieces for the render tests: the example assets copied into a temporary folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gpu_jobs.scenes import ProceduralScenes
from gpu_jobs.settings import RenderSettings
from gpu_jobs.voice import EspeakVoice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "render"


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    """A folder holding the example product, scene and logo (the allowed root)."""
    root = tmp_path / "assets"
    root.mkdir()
    for name in ("product.png", "scene.jpg", "logo.png"):
        shutil.copy(EXAMPLES / name, root / name)
    return root


@pytest.fixture
def job_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment with nothing the render job reads (RenderSettings), to set as a test
    needs: the job's providers are chosen from it as in production."""
    for name in RenderSettings.env_names():
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def offline() -> dict[str, Any]:
    """The embedded default's providers, as ``gpu_jobs.bootstrap`` builds them with no settings:
    ``render(..., **offline())``."""
    return {"voice": EspeakVoice(), "video_gen": ProceduralScenes()}


def base_spec(**changes: Any) -> dict[str, Any]:
    """A small valid spec as JSON data; ``changes`` replace top-level keys."""
    spec: dict[str, Any] = {
        "video_id": "t1",
        "duration_s": 3,
        "targets": ["9:16"],
        "scenes": [
            {"kind": "image", "source": "scene.jpg", "duration_s": 1.5, "motion": "zoom_in"},
            {"kind": "generated", "prompt": "cool blue morning", "motion": "pan_right"},
        ],
        "product_images": ["product.png"],
        "voice": {"script": "Fresh water all day.", "voice": "en-us"},
        "captions": {"style": "word_pop"},
        "brand": {"colors": ["#1a2a6c", "#f5b700"], "font": "DejaVu Sans", "logo": "logo.png"},
    }
    spec.update(changes)
    return spec


def write_spec(root: Path, data: dict[str, Any]) -> Path:
    path = root / "spec.json"
    path.write_text(json.dumps(data))
    return path
