"""Faults a real deployment meets, on the embedded default: the model provider answering 429,
500, too slowly or with truncated JSON; blob writes failing; the render job failing. Each run
ends with the campaign complete exactly once, or failed with a clear message that `retry`
resumes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.pipeline.campaigns import campaign_view, retry_campaign, start_campaign
from shared.settings import Settings
from tests.conftest import EXAMPLES
from tests.fakes import Answer, FakeAnthropicAPI, HttpError, RecordedRequest, Slow, Truncated
from tests.fakes.anthropic_api import prompt_of
from tests.fakes.model_brain import answer, task_of

FAST_QUEUE = {"queue_min_backoff_s": 0.05, "queue_max_backoff_s": 1.0, "queue_max_attempts": 20}


def flaky_model(fault: Callable[[int], Any]) -> Callable[[RecordedRequest], Any]:
    """The first call of every task meets ``fault(n)`` (n = that task's call count) until it
    returns None; then the model answers properly."""
    calls: dict[str, int] = {}

    def respond(request: RecordedRequest) -> Any:
        prompt = prompt_of(request)
        task = task_of(prompt)
        calls[task] = calls.get(task, 0) + 1
        bad = fault(calls[task])
        return bad if bad is not None else Answer(answer(prompt))

    return respond


def run_campaign(settings: Settings) -> dict[str, Any]:
    with LocalRuntime(settings) as rt:
        loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml")
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        wait_for_campaign(rt.services, campaign.id, timeout_s=120)
        return campaign_view(rt.services, campaign.id)


@pytest.mark.parametrize(
    "name, fault",
    [
        (
            "429 with Retry-After",
            lambda n: HttpError(429, headers={"retry-after": "1"}) if n <= 4 else None,
        ),
        ("500", lambda n: HttpError(500) if n <= 4 else None),
        ("timeout", lambda n: Slow(3.0, Answer({})) if n == 1 else None),
        ("truncated JSON", lambda n: Truncated() if n <= 2 else None),
    ],
)
def test_provider_faults_end_in_one_complete_set(home: Path, name: str, fault: Any) -> None:
    with FakeAnthropicAPI(responder=flaky_model(fault)) as fake:
        settings = Settings(
            home=home,
            llm="anthropic",
            anthropic_api_key="sk-ant-faults",
            anthropic_base_url=fake.url,
            llm_timeout_s=1.5,
            **FAST_QUEUE,
        )
        view = run_campaign(settings)
    assert view["status"] == "complete", view.get("error")
    assert [c["label"] for c in view["creatives"]] == list("ABCDEFG")
    # Exactly one successful call counted per model task (brand, angles, the set, the judge
    # panel for each of the seven ads, and govern's model check on each ad whose copy the policy
    # rules left in doubt), whatever failed around them.
    policy_checks = view["steps"]["govern"]["usage"]["calls"]
    assert view["usage"]["calls"] == 3 + 7 + policy_checks
    assert view["steps"]["judge"]["usage"]["calls"] == 7


def test_a_render_job_that_fails_twice_then_succeeds(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLAKY_COUNTER", str(tmp_path / "count"))
    monkeypatch.setenv("FLAKY_FAILURES", "2")
    view = _render_with_flaky_job(home, attempts=3)
    assert view["status"] == "complete", view.get("error")
    assert all(v["render_status"] == "done" and "9x16" in v["assets"] for v in view["videos"])
    # Two crashed runs, then one good run per video: each crash was retried, nothing more.
    assert (tmp_path / "count").read_text() == "7"


def test_a_render_job_that_always_fails_fails_the_campaign_clearly(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLAKY_COUNTER", str(tmp_path / "count"))
    monkeypatch.setenv("FLAKY_FAILURES", "99")
    view = _render_with_flaky_job(home, attempts=2)
    assert view["status"] == "failed"
    assert "failed 2 times" in view["error"]
    assert "simulated render crash" in view["error"], "the job's own words reach the user"
    # Let the next attempt succeed: retry resumes at the failed video, and the campaign completes.
    monkeypatch.setenv("FLAKY_FAILURES", "0")
    (tmp_path / "count").unlink()
    settings = Settings(home=home, render=True, render_attempts=2, **FAST_QUEUE)
    with LocalRuntime(settings) as rt:
        for video in ("V1", "V2", "V3", "V4", "V5"):
            rt.services.documents.set(f"renders/{view['id']}:{video}", {"attempts": 0, "run": None})
        _flaky_jobs(rt, home)
        retry_campaign(rt.services, view["id"])
        doc = wait_for_campaign(rt.services, view["id"], timeout_s=240)
    assert doc["status"] == "complete", doc.get("error")


def _flaky_jobs(rt: LocalRuntime, home: Path) -> None:
    rt.services.jobs = SubprocessJobRunner(
        home / "jobs", modules={"adloop-render": "tests.faults.flaky_render"}
    )


def _render_with_flaky_job(home: Path, *, attempts: int) -> dict[str, Any]:
    settings = Settings(home=home, render=True, render_attempts=attempts, **FAST_QUEUE)
    with LocalRuntime(settings) as rt:
        _flaky_jobs(rt, home)
        loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml")
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        wait_for_campaign(rt.services, campaign.id, timeout_s=300)
        return campaign_view(rt.services, campaign.id)
