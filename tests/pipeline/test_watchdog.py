"""A campaign that stops moving is reported, not left silently stuck."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from shared.bootstrap import bootstrap
from shared.models import Brief, Campaign
from shared.models.campaign import StepState
from shared.pipeline.campaigns import campaign_view
from shared.pipeline.runner import StepResult, StepRunner
from shared.pipeline.stages import Flow, group, returned, step
from shared.pipeline.watchdog import find_stalled
from shared.ports.queue import Task
from shared.settings import Settings


def test_a_campaign_without_progress_is_marked_stalled_with_where_it_stopped(
    tmp_path: Path,
) -> None:
    services = bootstrap(Settings(home=tmp_path))
    brief = Brief(product="Widget", offer="10% off", persona="makers", market="US")
    old = services.clock() - timedelta(minutes=30)
    fresh = Campaign(id="cfresh", brief=brief)
    stuck = Campaign(id="cstuck", brief=brief, created_at=old, updated_at=old)
    stuck.steps["intake"] = StepState(status="done")
    stuck.steps["judge"] = StepState(status="running", done=3, total=7)
    for c in (fresh, stuck):
        services.documents.set(f"campaigns/{c.id}", c.model_dump(mode="json"))

    assert find_stalled(services, stalled_after_s=600) == ["cstuck"]
    assert find_stalled(services, stalled_after_s=600) == [], "reported once"
    view = campaign_view(services, "cstuck")
    assert view["stalled"] and "at judge;" in view["stalled_message"]
    assert "adloop campaign retry" in view["stalled_message"]
    assert campaign_view(services, "cfresh")["stalled"] is False

    # Progress clears the flag.
    run = lambda ctx, task: StepResult()  # noqa: E731
    runner = StepRunner(services, {"angles": run}, Flow(chain=(step("angles", run),)))
    runner.handle(Task("cstuck", "angles"))
    assert campaign_view(services, "cstuck")["stalled"] is False


def test_fan_in_items_finishing_are_progress(tmp_path: Path) -> None:
    """Items write their own documents, not the campaign's, until the last one is in."""
    services = bootstrap(Settings(home=tmp_path))
    brief = Brief(product="Widget", offer="10% off", persona="makers", market="US")
    old = services.clock() - timedelta(minutes=30)
    busy = Campaign(id="cbusy", brief=brief, created_at=old, updated_at=old)
    busy.steps["judge"] = StepState(status="running", total=7, group="judge")
    services.documents.set("campaigns/cbusy", busy.model_dump(mode="json"))
    # judge: one item of seven in its group, which nothing follows.
    run = lambda ctx, task: StepResult()  # noqa: E731
    flow = Flow(
        chain=(step("govern", run), group("judge", step("judge", run, each=returned("creative"))))
    )
    judge = StepRunner(services, {"judge": run}, flow)

    judge.handle(Task("cbusy", "judge", "A"))

    assert find_stalled(services, stalled_after_s=600) == []
    assert campaign_view(services, "cbusy")["steps"]["judge"]["done"] == 1
    later = services.clock() + timedelta(minutes=11)
    services.clock = lambda: later
    assert find_stalled(services, stalled_after_s=600) == ["cbusy"], "then nothing for 10 min"
