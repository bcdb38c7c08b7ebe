"""Every step has a Cloud Function entry point, and the entry points stay thin."""

from __future__ import annotations

import ast
from pathlib import Path

from functions import main
from shared.steps import FLOW, STEPS


def test_every_step_has_an_entry_point_named_after_it() -> None:
    # Draft steps (run before their campaign exists, e.g. read_page) are tasks like any other.
    for step in FLOW.names:
        assert callable(getattr(main, step)), f"functions/main.py has no entry point {step!r}"
        assert getattr(main, step).__name__ == step
    assert set(main.STEP_FUNCTIONS) == set(STEPS) | set(FLOW.drafts())


def test_importing_the_functions_builds_nothing() -> None:
    # The composition root is cached on first request; import must not have called it.
    assert main._runtime.cache_info().currsize == 0  # type: ignore[attr-defined]
    tree = ast.parse(Path(main.__file__).read_text())
    calls_at_top = [
        n for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
    ]
    assert calls_at_top == []
