"""Terraform, functions/main.py and Slack progress agree with the flow (shared/pipeline/flow.py):
a function for every step and no other, on queues terraform declares and the steps' identity may
enqueue on; an entry point for every step; the progress message's lines in flow order. Copies of
the flow and of terraform with one thing changed show each check fails when they drift apart."""

from __future__ import annotations

import copy
import importlib
from dataclasses import replace

import pytest

from shared.pipeline.stages import Flow, step
from shared.pipeline.steps.publish import campaign_card
from shared.steps import FLOW
from tests.infra.conftest import BASE
from tests.infra.deployment import Deployment, deployment
from tests.infra.terraform_config import Config, load

main = importlib.import_module("functions.main")


def step_functions(deployed: Deployment) -> set[str]:
    """The functions tasks are posted to: private, and not called by Cloud Scheduler."""
    return {
        name
        for name, fn in deployed.functions.items()
        if fn.private and name not in deployed.scheduler
    }


def disagreements(flow: Flow, deployed: Deployment) -> list[str]:
    """Where terraform's deployment and the flow disagree, one line each, saying what to fix."""
    found = []
    for s in flow.steps:
        fn = deployed.functions.get(s.name)
        if fn is None or not fn.private:
            found.append(f"{s.name}: no private function; add it to local.task_functions")
        elif fn.entry_point != s.name:
            found.append(f"{s.name}: its function enters at {fn.entry_point}")
        if s.queue not in deployed.queues:
            found.append(f"{s.name}: its queue {s.queue} is not in local.queues")
        elif fn is not None and s.queue not in deployed.enqueue_grants.get(fn.service_account, ()):
            # The runner of any step may send (or the sweeper re-send) a task of any other.
            found.append(f"{s.name}: the step functions' identity may not enqueue on {s.queue}")
    for name in sorted(step_functions(deployed) - set(flow.names)):
        found.append(f"{name}: deployed as a step function, but no step of the flow")
    return found


def without_queue(config: Config, queue: str) -> Config:
    changed = copy.deepcopy(config)
    del changed.locals["queues"][queue]
    return changed


def test_terraform_deploys_a_function_per_step_of_the_flow_on_its_queue() -> None:
    deployed = deployment(BASE)
    assert step_functions(deployed) >= {"intake", "render", "loop_learn"}  # it reads terraform
    assert disagreements(FLOW, deployed) == []
    assert {s.queue for s in FLOW.steps} == set(deployed.queues)


@pytest.mark.parametrize(
    ("flow", "config", "expected"),
    [
        pytest.param(
            replace(FLOW, aside=(*FLOW.aside, step("critique", "x:critique"))),
            None,
            ["critique: no private function; add it to local.task_functions"],
            id="a step the flow has and terraform not",
        ),
        pytest.param(
            replace(FLOW, aside=tuple(s for s in FLOW.aside if s.name != "export")),
            None,
            ["export: deployed as a step function, but no step of the flow"],
            id="a function terraform deploys for no step",
        ),
        pytest.param(
            FLOW,
            without_queue(load(), "render"),
            ["render: its queue render is not in local.queues"],
            id="a queue the flow uses and terraform not",
        ),
    ],
)
def test_the_check_fails_when_they_drift_apart(
    flow: Flow, config: Config | None, expected: list[str]
) -> None:
    assert disagreements(flow, deployment(BASE, config=config)) == expected


def test_functions_main_has_an_entry_point_for_exactly_the_flows_steps() -> None:
    assert FLOW.names == main.STEP_FUNCTIONS
    entries = {
        name
        for name, value in vars(main).items()
        if callable(value) and getattr(value, "__qualname__", "").startswith("_step.")
    }
    assert entries == set(FLOW.names)
    assert all(getattr(main, name).__name__ == name for name in FLOW.names)


def test_slack_progress_lists_exactly_the_shown_steps_in_flow_order() -> None:
    # A campaign document whose steps were written in another order, hidden ones among them.
    steps = {name: {"status": "done"} for name in reversed(FLOW.names)}
    campaign = {"id": "c1", "brief": {"product": "Widget"}, "steps": steps}
    lines = campaign_card(campaign, creatives=7).steps
    assert [line.name for line in lines] == list(FLOW.shown)
    assert not {line.name for line in lines} & FLOW.hidden


def test_tasks_built_outside_the_flow_go_to_the_queue_the_flow_gives_their_step() -> None:
    """Slack events, clicks and webhooks start steps aside from the chain by building their
    tasks: each must name the queue flow.py declares for that step."""
    from tests.infra.code_facts import task_routes

    routes = task_routes()
    assert {step for _, step, _ in routes} >= {"tag", "regenerate", "export", "progress"}
    wrong = [
        f"{where}: {step} on {queue}, the flow says {FLOW.spec(step).queue}"
        for where, step, queue in routes
        if FLOW.spec(step).queue != queue
    ]
    assert not wrong, wrong
