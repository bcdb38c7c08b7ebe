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
        # Step logic reaching for an HTTP client instead of a port.
        ("shared/pipeline/steps/direct.py", "import httpx", "httpx"),
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


def test_the_pipeline_flow_names_only_the_pipeline_s_own_steps() -> None:
    """flow.py names its steps' functions as "module:function" strings, which import-linter
    cannot see: each must be a module of shared.pipeline (the loop declares its own steps in
    shared/loop/flow.py), so the strings hide no upward import."""
    from shared.pipeline.flow import FLOW

    named = {s.name: s.run for s in FLOW.steps if isinstance(s.run, str)}
    assert named, "flow.py names its steps by module:function"
    elsewhere = {n: run for n, run in named.items() if not run.startswith("shared.pipeline.")}
    assert not elsewhere, elsewhere
