"""The offline engine writes no figure the brief does not give (issue 17): every number in its
A–G set, video prompts and 50 variations is one the brief states, and thin briefs fall back to
number-free hooks instead of inventing one."""

from __future__ import annotations

import re
from typing import Any

import pytest

from infra.briefs import load_brief
from shared.creative.offline import angles, brand, writer
from tests.conftest import EXAMPLES

# Digits and number words in either language: what a reader takes as a figure.
_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
    r"thirty|hundred|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|veinte|cien|mil)\b",
    re.IGNORECASE,
)


def _texts(brief: dict[str, Any], variations: int) -> list[str]:
    mined = angles.mine_angles(brief, brand.build_brand(brief), {})
    drafted = writer.build_set(brief, mined)
    out = [f"{c['hook']} {c['headline']} {c['primary_text']}" for c in drafted["creatives"]]
    out += [v["prompt"] for v in drafted["video_prompts"]]
    for i in range(1, variations + 1):
        bp = writer.blueprint(brief, mined[(i - 1) % len(mined)], i)
        out += [bp["hook"], bp["voiceover"], *(s["on_screen_text"] for s in bp["scenes"])]
    return out


def _brief_figures(brief: dict[str, Any]) -> set[str]:
    return {m.lower() for m in _FIGURE.findall(repr(brief))}


@pytest.mark.parametrize(
    "name", ["glowdrop-serum.yaml", "ledgerly-bookkeeping.json", "driftwell-magnesium.yaml"]
)
def test_every_figure_in_the_copy_is_one_the_brief_gives(name: str) -> None:
    brief = load_brief(EXAMPLES / name, variations=50).brief.model_dump(mode="json")
    given = _brief_figures(brief)
    invented = [
        (figure, text)
        for text in _texts(brief, 50)
        for figure in _FIGURE.findall(text)
        if figure.lower() not in given
    ]
    assert invented == []


def test_fifty_variations_get_fifty_distinct_hooks_from_the_briefs_own_figures() -> None:
    brief = load_brief(EXAMPLES / "glowdrop-serum.yaml").brief.model_dump(mode="json")
    brief["languages"] = ["en"]
    catalog = writer.hook_catalog(brief, "en")
    hooks = [hook.lower() for _, hook in catalog]
    assert len(hooks) == 50 and len(set(hooks)) == 50
    numbered = [hook for framework, hook in catalog if framework == "number"]
    assert "4.8 stars from 2,300 reviews" in numbered
    assert all(_FIGURE.search(hook) for hook in numbered)


def test_a_brief_without_figures_gets_number_free_hooks() -> None:
    brief = {
        "product": "Quietly Tea",
        "offer": "Free shipping on your first box",
        "persona": "night owls who want calmer evenings",
        "languages": ["en", "es"],
        "desires": ["calmer evenings"],
        "pains": ["restless evenings"],
    }
    for language in ("en", "es"):
        catalog = writer.hook_catalog(brief, language)
        number_hooks = [hook for framework, hook in catalog if framework == "number"]
        assert number_hooks, language
        assert not any(_FIGURE.search(hook) for _, hook in catalog), catalog
    # More variations than distinct hooks repeat a hook instead of failing or inventing one.
    thin = {**brief, "languages": ["en"]}
    hooks = [writer.blueprint(thin, {"id": "a", "segment": "s"}, i)["hook"] for i in range(1, 51)]
    assert len(hooks) == 50 and not any(_FIGURE.search(h) for h in hooks)
