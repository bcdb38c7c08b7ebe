"""The whole pipeline on the real anthropic and google-genai clients, against local servers that
speak each API's wire format. A model that answers badly is corrected; one that never learns
fails the campaign with the reasons."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.pipeline.campaigns import campaign_view, start_campaign
from shared.settings import Settings
from tests.conftest import EXAMPLES
from tests.fakes import (
    Answer,
    FakeAnthropicAPI,
    FakeVertexAPI,
    RecordedRequest,
    Text,
    anthropic_api,
    vertex_api,
)
from tests.fakes.model_brain import answer, task_of

Mutate = Callable[[dict[str, Any]], Any]


def drop_g(s: dict[str, Any]) -> Any:
    s["creatives"] = [c for c in s["creatives"] if c["label"] != "G"]
    return Answer(s)


def g_in_english(s: dict[str, Any]) -> Any:
    g = next(c for c in s["creatives"] if c["label"] == "G")
    g.update(
        headline="Meet your new serum",
        primary_text="Bright skin in one minute a day. Try it today and see the difference.",
        cta="Shop Now",
    )
    return Answer(s)


def long_headline(s: dict[str, Any]) -> Any:
    s["creatives"][0]["headline"] = "The vitamin C serum busy moms finally stick with"
    return Answer(s)


def prose_around(s: dict[str, Any]) -> Any:
    return Text(
        "Sure! Here is the set you asked for:\n```json\n" + json.dumps(s) + "\n```\nLet me know."
    )


def prose_around_without_g(s: dict[str, Any]) -> Any:
    return prose_around(drop_g(s).obj)


class BadWriter:
    """Answers every call from the prompt, spoiling the first write answers as told."""

    def __init__(self, prompt_of: Callable[[RecordedRequest], str], spoil: list[Mutate]) -> None:
        self._prompt_of = prompt_of
        self._spoil = list(spoil)
        self.corrections: list[str] = []

    def __call__(self, request: RecordedRequest) -> Any:
        prompt = self._prompt_of(request)
        good = answer(prompt)
        if task_of(prompt) != "write":
            return Answer(good)
        if "previous answer was invalid" in prompt:
            self.corrections.append(prompt)
        return self._spoil.pop(0)(copy.deepcopy(good)) if self._spoil else Answer(good)


@contextmanager
def provider(name: str, spoil: list[Mutate]) -> Iterator[tuple[Settings, BadWriter]]:
    if name == "anthropic":
        brain = BadWriter(anthropic_api.prompt_of, spoil)
        with FakeAnthropicAPI(responder=brain) as fake:
            yield (
                Settings(
                    llm="anthropic", anthropic_api_key="sk-ant-test", anthropic_base_url=fake.url
                ),
                brain,
            )
    else:
        brain = BadWriter(vertex_api.prompt_of, spoil)
        with FakeVertexAPI(responder=brain) as fake:
            yield Settings(llm="vertex", gcp_project="p", vertex_api_endpoint=fake.url), brain


def run(settings: Settings) -> dict[str, Any]:
    with LocalRuntime(settings) as rt:
        loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml")
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        wait_for_campaign(rt.services, campaign.id, timeout_s=120)
        return campaign_view(rt.services, campaign.id)


@pytest.mark.parametrize("name", ["anthropic", "vertex"])
def test_malformed_answers_end_in_a_valid_set_after_corrections(home: Path, name: str) -> None:
    with provider(name, [prose_around_without_g, g_in_english]) as (settings, brain):
        view = run(settings.model_copy(update={"home": home}))
    assert view["status"] == "complete", view.get("error")
    assert [c["label"] for c in view["creatives"]] == list("ABCDEFG")
    g = view["creatives"][-1]
    assert g["language"] == "es" and "GlowDrop" in g["primary_text"]
    assert g["provider"] == name
    # Prose around the JSON is read through; the missing G and the English G each cost a retry.
    assert len(brain.corrections) == 2
    assert "G: missing" in brain.corrections[0]
    assert "G: write it in Spanish" in brain.corrections[1]
    assert view["usage"]["calls"] >= 5 and view["usage"]["input_tokens"] > 0


def test_prose_around_json_needs_no_retry(home: Path) -> None:
    with provider("anthropic", [prose_around]) as (settings, brain):
        view = run(settings.model_copy(update={"home": home}))
    assert view["status"] == "complete" and brain.corrections == []


def test_long_headline_is_sent_back_with_its_length(home: Path) -> None:
    with provider("anthropic", [long_headline]) as (settings, brain):
        view = run(settings.model_copy(update={"home": home}))
    assert view["status"] == "complete"
    assert "48 characters; Google allows 30" in brain.corrections[0]
    assert all(len(c["headline"]) <= 30 for c in view["creatives"])


def test_a_model_that_never_learns_fails_the_campaign_with_reasons(home: Path) -> None:
    with provider("vertex", [drop_g, drop_g, drop_g]) as (settings, brain):
        view = run(settings.model_copy(update={"home": home}))
    assert view["status"] == "failed"
    assert "after 2 corrective retries" in view["error"] and "G: missing" in view["error"]
    assert view["creatives"] == [], "nothing half-written"


def test_one_provider_writes_and_another_judges(home: Path) -> None:
    """Gemini writes, Claude judges: each step calls its own provider, and the judge's panel
    joins the heuristic ensemble on every creative."""
    claude = BadWriter(anthropic_api.prompt_of, [])
    gemini = BadWriter(vertex_api.prompt_of, [])
    with (
        FakeAnthropicAPI(responder=claude) as judge_api,
        FakeVertexAPI(responder=gemini) as write_api,
    ):
        settings = Settings(
            home=home,
            llm="vertex",
            gcp_project="p",
            vertex_api_endpoint=write_api.url,
            llm_steps={"judge": "anthropic"},
            anthropic_api_key="sk-ant-test",
            anthropic_base_url=judge_api.url,
        )
        view = run(settings)
        judged = [task_of(anthropic_api.prompt_of(r)) for r in judge_api.requests]
        written = [task_of(vertex_api.prompt_of(r)) for r in write_api.requests]
    assert view["status"] == "complete", view.get("error")
    assert judged == ["judge"] * 7
    # govern's model check asks the writing provider about copy the policy rules left in doubt
    policy_checks = written.count("policy")
    assert sorted(set(written) - {"policy"}) == ["angles", "brand", "write"]
    for c in view["creatives"]:
        names = [j["judge"] for j in c["scores"]["judges"]]
        assert "hook" in names and "panel:hook" in names, names
    assert view["steps"]["judge"]["usage"]["calls"] == 7
    assert view["usage"]["calls"] == 3 + 7 + policy_checks
