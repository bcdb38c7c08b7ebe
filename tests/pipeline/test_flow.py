"""What follows each step of the flow (shared/pipeline/flow.py), in the deployments it allows,
with the task names, queues and fan-in counts the runner and the crash-recovery test rely on; and
the flows the runner refuses to follow."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import SecretStr

from shared.models import Brief, Campaign
from shared.models.campaign import StepState
from shared.pipeline.stages import Flow, Route, fixed, group, returned, step
from shared.pipeline.step import Item, StepContext, StepResult
from shared.ports.queue import Task
from shared.settings import Settings
from shared.steps import FLOW

BRIEF = Brief(product="Widget", offer="10% off", persona="makers", market="US", variations=3)
SLACK = {"slack_bot_token": SecretStr("xoxb-test")}


@pytest.fixture(autouse=True)
def _no_outer_settings(home: Path) -> None:
    """Settings() below reads nothing from the shell that runs the tests."""


def noop(ctx: StepContext, task: Task) -> StepResult:
    return StepResult()


def campaign(**steps: StepState) -> Campaign:
    return Campaign(id="c1", brief=BRIEF, steps=dict(steps))


def after(
    name: str, settings: Settings, *, items: list[Item] | None = None, key: str = "-"
) -> Route:
    return FLOW.route(Task("c1", name, key), campaign(), items or [], settings)


def names(tasks: list[Task]) -> list[str]:
    return [t.name for t in tasks]


def test_the_chain_runs_step_by_step_to_govern() -> None:
    settings = Settings(render=False)
    for name, following in [
        ("intake", "angles"),
        ("angles", "write"),
        ("write", "validate"),
        ("validate", "govern"),
    ]:
        route = after(name, settings)
        assert names(route.next) == [f"c1-{following}--"]
        assert route.next[0].queue == "pipeline" and route.fan_out is None
    assert FLOW.first == "intake"


def test_govern_fans_out_a_judge_per_creative_it_returns_and_a_blueprint_per_variation() -> None:
    route = after("govern", Settings(), items=[Item(label) for label in "ABCDEFG"])
    assert names(route.next) == [f"c1-judge-{label}" for label in "ABCDEFG"] + [
        "c1-blueprint-B01",
        "c1-blueprint-B02",
        "c1-blueprint-B03",
    ]
    assert {t.queue for t in route.next} == {"pipeline"}
    assert route.fan_out is not None and route.fan_out.group == "judge"
    assert route.fan_out.totals == {"judge": 7, "blueprint": 3}


def test_judge_and_blueprint_items_fan_in_to_rank_counting_what_govern_announced() -> None:
    announced = campaign(
        judge=StepState(status="running", total=6, group="judge"),
        blueprint=StepState(status="running", total=3, group="judge"),
    )
    for item in (Task("c1", "judge", "A"), Task("c1", "blueprint", "B02")):
        route = FLOW.route(item, announced, [], Settings())
        assert route.next == [] and route.fan_out is None
        assert route.fan_in is not None
        assert (route.fan_in.group, route.fan_in.total) == ("judge", 9)
        assert names(route.fan_in.then) == ["c1-rank--"]
    # A campaign document from before announcements: A–G and the brief's variations.
    route = FLOW.route(Task("c1", "judge", "A"), campaign(), [], Settings())
    assert route.fan_in is not None and route.fan_in.total == 7 + 3


@pytest.mark.parametrize(
    ("render", "slack", "expected"),
    [
        (True, True, [f"c1-render-V{i}" for i in range(1, 6)]),
        (True, False, [f"c1-render-V{i}" for i in range(1, 6)]),
        (False, True, ["c1-publish--"]),
        (False, False, ["c1-finalize--"]),
    ],
)
def test_after_rank_render_when_enabled_publish_when_slack_is_configured_then_finalize(
    render: bool, slack: bool, expected: list[str]
) -> None:
    settings = Settings(render=render, **(SLACK if slack else {}))
    route = after("rank", settings)
    assert names(route.next) == expected
    if render:
        assert {t.queue for t in route.next} == {"render"}
        assert route.fan_out is not None
        assert (route.fan_out.group, route.fan_out.totals) == ("render", {"render": 5})
    else:
        assert route.fan_out is None


@pytest.mark.parametrize(("slack", "then"), [(True, "c1-publish--"), (False, "c1-finalize--")])
def test_the_last_video_sends_publish_or_finalize(slack: bool, then: str) -> None:
    settings = Settings(render=True, **(SLACK if slack else {}))
    route = FLOW.route(Task("c1", "render", "V3", queue="render"), campaign(), [], settings)
    assert route.fan_in is not None
    assert (route.fan_in.group, route.fan_in.total) == ("render", 5)
    assert names(route.fan_in.then) == [then]


def test_publish_then_finalize_and_nothing_after() -> None:
    settings = Settings(**SLACK)
    assert names(after("publish", settings).next) == ["c1-finalize--"]
    assert after("finalize", settings).next == []


def test_a_meta_report_has_each_campaign_it_had_rows_for_learn() -> None:
    items = [Item("meta-r1", campaign_id="c2"), Item("meta-r1", campaign_id="c3")]
    route = after("loop_meta_report", Settings(), items=items, key="r1")
    assert names(route.next) == ["c2-loop_learn-meta-r1", "c3-loop_learn-meta-r1"]
    assert {t.queue for t in route.next} == {"feedback"} and route.fan_out is None


@pytest.mark.parametrize(
    "name", ["progress", "tag", "regenerate", "sources", "export", "loop_learn"]
)
def test_review_and_loop_steps_start_nothing(name: str) -> None:
    route = after(name, Settings(**SLACK))
    assert route == Route([])
    assert FLOW.spec(name).queue == "feedback" and name in FLOW.hidden


def test_slack_progress_shows_the_chain_and_hides_the_rest() -> None:
    assert FLOW.shown == (
        "intake",
        "angles",
        "write",
        "validate",
        "govern",
        "judge",
        "blueprint",
        "rank",
        "render",
        "publish",
        "finalize",
    )
    assert FLOW.hidden == {"progress", "tag", "regenerate", "sources", "export", "loop_learn"} | {
        "loop_meta_report",
        "loop_tiktok_report",
        "read_page",
    }


def test_a_task_for_a_step_goes_on_the_steps_queue() -> None:
    assert FLOW.task("c1", "render", "V1") == Task("c1", "render", "V1", queue="render")
    assert FLOW.task("c1", "tag", "e1", {"label": "A"}).queue == "feedback"
    with pytest.raises(KeyError, match="'critique' is no step of the flow"):
        FLOW.task("c1", "critique")


def test_every_step_of_the_flow_names_a_function() -> None:
    runs = FLOW.runs()
    drafts = FLOW.drafts()  # steps run before their campaign exists, called another way
    assert list(drafts) == ["read_page"]
    assert list(runs) + list(drafts) == list(FLOW.names)
    assert all(callable(run) for run in [*runs.values(), *drafts.values()])
    wrong = replace(FLOW, aside=(step("critique", "shared.pipeline.steps.rank:nope"),))
    with pytest.raises(ValueError, match="critique: 'shared.pipeline.steps.rank:nope' names no"):
        wrong.runs()


@pytest.mark.parametrize(
    ("chain", "aside", "message"),
    [
        ((), (), "the chain starts with one step"),
        ((group("g", step("a", noop, each=fixed("1"))),), (), "the chain starts with one step"),
        ((step("a", noop), step("a", noop)), (), "steps declared twice: a"),
        ((step("a", noop, queue="pipline"),), (), "queue 'pipline' is none of"),
        ((step("a", noop), step("b", noop, each=fixed("1"))), (), "fan out with a group"),
        ((step("a", noop), group("g", step("b", noop))), (), "give it `each`"),
        (
            (
                step("a", noop),
                group("g", step("b", noop, each=fixed("1"))),
                group("h", step("c", noop, each=fixed("1"))),
            ),
            (),
            "group h may directly follow group g",
        ),
        ((step("a", noop),), (step("b", noop, then="c"),), "then='c' names no step aside"),
        (
            (step("a", noop),),
            (step("b", noop, each=returned("x")),),
            "b has `each` but no step names it",
        ),
    ],
)
def test_a_flow_the_runner_could_not_follow_is_refused(
    chain: tuple[object, ...], aside: tuple[object, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Flow(chain=chain, aside=aside)  # type: ignore[arg-type]
