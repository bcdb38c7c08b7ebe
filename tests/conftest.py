"""Shared fixtures: an isolated ADLOOP_HOME and the repository's paths."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
ADLOOP = str(Path(sys.executable).with_name("adloop"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh ADLOOP_HOME, with every ADLOOP_ and Slack setting from the outer shell removed."""
    for key in list(os.environ):
        if key.startswith(("ADLOOP_", "SLACK_", "ANTHROPIC_", "META_", "TIKTOK_", "GOOGLE_ADS_")):
            monkeypatch.delenv(key)
    path = tmp_path / "home"
    monkeypatch.setenv("ADLOOP_HOME", str(path))
    monkeypatch.setenv("ADLOOP_LOG_LEVEL", "WARNING")
    # Rendering has its own tests; campaign tests skip it unless they turn it back on.
    monkeypatch.setenv("ADLOOP_RENDER", "false")
    yield path


def load_script(path: Path) -> ModuleType:
    """A script of bench/ (not a package) loaded as a module, to test what it computes."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
