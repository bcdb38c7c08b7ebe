"""`make demo` is the first thing a newcomer runs: the offline engine on the example brief, every
step of the flow with a progress bar, five rendered videos, and a gallery to open."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.demo import run_demo
from shared.settings import Settings


def test_the_demo_runs_the_example_campaign_to_a_gallery(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gallery"
    code = run_demo(Settings(home=tmp_path / "home"), brief_path=None, out=out, all_aspects=False)

    err = capsys.readouterr().err
    assert code == 0, err
    assert "offline engine" in err  # it says which engine wrote the copy
    for bar in ("intake", "govern", "judge", "rank", "render", "finalize"):
        assert bar in err
    assert "7/7" in err and "5/5" in err  # judge per creative, render per video
    assert "is disabled" not in err  # no route warnings: the demo serves no one but itself
    index = (out / "index.html").read_text()
    assert "GlowDrop" in index
    assert len(list(out.rglob("*.mp4"))) == 5
