"""The layers are a contract: ``[tool.importlinter]`` in pyproject.toml, checked by import-linter
on every test run (tests/infra/test_composition_roots.py checks where clients are built and the
environment is read)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.code_facts import REPO

PACKAGES = ("shared", "functions", "bot", "infra", "gpu_jobs")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_import_contract_is_kept() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "named"),
    [
        # The core importing an adapter.
        (
            "shared/pipeline/upward.py",
            "from shared.adapters import sqlite",
            "shared.adapters.sqlite",
        ),
        # The pipeline importing the feedback loop built on it.
        ("shared/pipeline/backward.py", "from shared.loop import ranker", "shared.loop.ranker"),
        # A deployable importing one beside it (the bot reaching into the CLI).
        ("bot/sideways.py", "from infra import cli", "infra.cli"),
    ],
)
def test_a_wrong_way_import_breaks_a_contract_by_name(
    tmp_path: Path, module: str, source: str, named: str
) -> None:
    """The contracts bite: each added import fails the check, which names it."""
    for package in PACKAGES:
        shutil.copytree(
            REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(f"{source}  # noqa: F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {named}" in result.stdout, result.stdout
