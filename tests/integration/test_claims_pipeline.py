"""No creative ships a claim its brief does not make (issue 17). A model that plants one ("Lose
10 lbs in 7 days") is asked to fix it: govern rewrites the ad, a blueprint is corrected; a model
that keeps it gets the ad Flagged with the finding, never Governed. The offline engine's own
campaign claims nothing its brief does not say. Through the real anthropic client against a
local server speaking its wire format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.pipeline.campaigns import campaign_view, start_campaign
from shared.settings import Settings
from tests.conftest import EXAMPLES
from tests.fakes import Answer, FakeAnthropicAPI, RecordedRequest, anthropic_api
from tests.fakes.model_brain import answer, task_of

PLANTED = "Lose 10 lbs in 7 days"


class Planter:
    """Answers from the prompt as a model would, but writes a claim the brief never makes into
    ad A (the set) and variation B01. A ``stubborn`` one keeps it in every rewrite and
    correction; the other fixes what it is told."""

    def __init__(self, *, stubborn: bool) -> None:
        self.stubborn = stubborn
        self.corrections: list[str] = []

    def __call__(self, request: RecordedRequest) -> Any:
        prompt = anthropic_api.prompt_of(request)
        good = answer(prompt)
        task = task_of(prompt)
        retried = "previous answer was invalid" in prompt
        if retried:
            self.corrections.append(prompt)
        plant = self.stubborn or not retried
        if task == "write" and plant:
            a = next(c for c in good["creatives"] if c["label"] == "A")
            a["hook"], a["primary_text"] = f"{PLANTED}.", f"{PLANTED}. {a['primary_text']}"
        elif task == "blueprint" and "Design variation 1 of" in prompt and plant:
            good["hook"] = PLANTED
            good["scenes"][0]["on_screen_text"] = PLANTED
            good["voiceover"] = f"{PLANTED}. {good['voiceover']}"
        elif task == "rewrite" and self.stubborn:
            good["hook"], good["primary_text"] = f"{PLANTED}.", f"{PLANTED}. {good['primary_text']}"
        return Answer(good)


def campaign(home: Path, brain: Planter) -> dict[str, Any]:
    with FakeAnthropicAPI(responder=brain) as fake:
        settings = Settings(
            home=home,
            llm="anthropic",
            anthropic_api_key="sk-ant-test",
            anthropic_base_url=fake.url,
            render=False,
            log_level="WARNING",
        )
        with LocalRuntime(settings) as rt:
            loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml", variations=2)
            started = start_campaign(rt.services, loaded.brief, images=loaded.images)
            wait_for_campaign(rt.services, started.id, timeout_s=120)
            return campaign_view(rt.services, started.id)


def _by_label(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {x["label"]: x for x in view["creatives"] + view["blueprints"]}


def _shown(x: dict[str, Any]) -> str:
    if "primary_text" in x:
        return f"{x['headline']} {x['primary_text']} {x['hook']}"
    return " ".join([x["hook"], x["voiceover"], *(s["on_screen_text"] for s in x["scenes"])])


def test_a_planted_claim_is_rewritten_out_and_the_sources_are_stored(home: Path) -> None:
    brain = Planter(stubborn=False)
    view = campaign(home, brain)

    assert view["status"] == "complete", view.get("error")
    ads = _by_label(view)
    for label in ("A", "B01"):
        assert "10 lbs" not in _shown(ads[label]), label
        assert not [f for f in ads[label]["scores"]["findings"] if f["rule"] == "unsupported_claim"]
        assert ads[label]["claims"] and all(t["supported"] for t in ads[label]["claims"])
    # The variation was corrected by being told exactly what the brief does not say.
    assert any("unsupported claim 'Lose 10 lbs'" in p for p in brain.corrections)
    # What supports each claim is kept with the ad: "20% off" is the brief's offer.
    a_sources = {t["span"]: (t["source"], t["source_text"]) for t in ads["A"]["claims"]}
    assert a_sources.get("20% off") == ("offer", "20% off your first order")


def test_a_claim_the_model_keeps_flags_the_ad_with_the_finding(home: Path) -> None:
    view = campaign(home, Planter(stubborn=True))

    assert view["status"] == "complete", "one stubborn claim does not fail the campaign"
    ads = _by_label(view)
    for label in ("A", "B01"):
        ad = ads[label]
        assert ad["status"] == "Flagged", label
        claimed = [f["span"] for f in ad["scores"]["findings"] if f["rule"] == "unsupported_claim"]
        assert any("10 lbs" in span for span in claimed), ad["scores"]["findings"]
        unsupported = [t for t in ad["claims"] if not t["supported"]]
        assert unsupported and all(t["source"] is None for t in unsupported)
    assert ads["B"]["status"] == "Governed"  # only the ads that carry it


@pytest.fixture(scope="module")
def offline_view(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    settings = Settings(home=tmp_path_factory.mktemp("home"), render=False, log_level="WARNING")
    with LocalRuntime(settings) as rt:
        loaded = load_brief(EXAMPLES / "driftwell-magnesium.yaml", variations=10)
        started = start_campaign(rt.services, loaded.brief, images=loaded.images)
        assert wait_for_campaign(rt.services, started.id, timeout_s=120)["status"] == "complete"
        yield campaign_view(rt.services, started.id)


def test_the_offline_campaign_claims_nothing_its_brief_does_not_say(
    offline_view: dict[str, Any],
) -> None:
    items = offline_view["creatives"] + offline_view["blueprints"] + offline_view["videos"]
    assert len(items) == 7 + 10 + 5
    traces = [t for x in items for t in x["claims"]]
    assert [t for t in traces if not t["supported"]] == []
    # The figures it uses are the brief's, each with the words that say it.
    spans = {t["span"]: t for t in traces}
    assert spans["4.7 stars"]["source_text"] == "4.7 stars from 1,850 reviews"
    assert spans["$24"]["source"] == "offer"
    assert {x["status"] for x in offline_view["creatives"] + offline_view["blueprints"]} == {
        "Governed"
    }
