"""The words ``shared/pipeline/flow.py`` is written in, and what they mean to the runner.

A flow is a ``chain`` of stages run in order, and steps ``aside`` from it that something outside
the chain starts (a Slack reaction, a webhook, a timer). A stage is one step (one task), or a
``group`` of steps each run once per item, in parallel, whose last item to finish starts the next
stage (fan-out, fan-in: ``fanin.py``). A stage with a ``when`` runs only in deployments where it
holds; otherwise the chain goes on to the next stage. A step aside may name the step that
follows it (``then``), once or once per item it returns.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shared.models.campaign import Campaign
from shared.pipeline.fanin import FanIn, FanOut
from shared.pipeline.step import DraftStep, Item, Step
from shared.ports.queue import QUEUES, Task
from shared.settings import Settings

Condition = Callable[[Settings], bool]


@dataclass(frozen=True)
class Each:
    """What a fanned-out step runs once per: ``what`` in words, ``items`` from the campaign and
    the items the step before returned, ``expected`` how many when a group's fan-out announced
    none (a campaign document written before announcements)."""

    what: str
    items: Callable[[Campaign, Sequence[Item]], list[Item]]
    expected: Callable[[Campaign], int]
    # The items follow from the campaign alone (not from what a step returned), so a task's key
    # can be checked against them before its step runs.
    from_campaign: bool = False


def fixed(*keys: str) -> Each:
    """The same items for every campaign."""
    return Each(
        ", ".join(keys),
        lambda c, returned: [Item(k) for k in keys],
        lambda c: len(keys),
        from_campaign=True,
    )


def per_campaign(what: str, keys: Callable[[Campaign], list[str]]) -> Each:
    """Items worked out from the campaign (its brief)."""
    return Each(
        what,
        lambda c, returned: [Item(k) for k in keys(c)],
        lambda c: len(keys(c)),
        from_campaign=True,
    )


def returned(what: str, *, expected: int = 0) -> Each:
    """The items the step before returned (``StepResult.items``)."""
    return Each(what, lambda c, items: list(items), lambda c: expected)


@dataclass(frozen=True)
class StepSpec:
    name: str
    run: str | Step  # "module:function"; a function itself in tests
    queue: str = "pipeline"
    shown: bool = True  # a line on the Slack progress message and `/adloop status`
    each: Each | None = None  # fan-out: one task per item, keyed by it (else one task, key "-")
    when: Condition | None = None  # a stage this deployment may skip
    then: str | None = None  # aside steps: the step that follows
    # Runs before its campaign exists (reading a product page for a draft brief): the runner
    # calls it as a DraftStep, with no campaign, and commits its writes and its marker only.
    draft: bool = False


@dataclass(frozen=True)
class Group:
    """Steps run once per item each; the group closes when every item of all of them is in.
    ``name`` names its counter (``counters/{campaign}:{name}``)."""

    name: str
    steps: tuple[StepSpec, ...]
    when: Condition | None = None


Stage = StepSpec | Group


def step(
    name: str,
    run: str | Step,
    *,
    queue: str = "pipeline",
    shown: bool = True,
    each: Each | None = None,
    when: Condition | None = None,
    then: str | None = None,
    draft: bool = False,
) -> StepSpec:
    return StepSpec(name, run, queue, shown, each, when, then, draft)


def group(name: str, *steps: StepSpec, when: Condition | None = None) -> Group:
    return Group(name, steps, when)


@dataclass(frozen=True)
class Route:
    """What follows one finished task: ``next`` to commit to the outbox, the fan-out it starts
    (announced on the campaign), or the fan-in it is an item of (whose close sends its ``then``)."""

    next: list[Task]
    fan_out: FanOut | None = None
    fan_in: FanIn | None = None


@dataclass(frozen=True)
class Flow:
    chain: tuple[Stage, ...]
    aside: tuple[StepSpec, ...] = ()

    def __post_init__(self) -> None:
        _check(self)

    def with_aside(self, *steps: StepSpec) -> Flow:
        """This flow with more steps aside from its chain (the loop's, declared in its layer)."""
        return Flow(self.chain, (*self.aside, *steps))

    @property
    def steps(self) -> tuple[StepSpec, ...]:
        """Every step: the chain's in order, then the ones aside."""
        flat = [s for stage in self.chain for s in _members(stage)]
        return (*flat, *self.aside)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.steps)

    @property
    def first(self) -> str:
        return _members(self.chain[0])[0].name

    @property
    def shown(self) -> tuple[str, ...]:
        """The steps Slack progress lists, in flow order."""
        return tuple(s.name for s in self.steps if s.shown)

    @property
    def hidden(self) -> frozenset[str]:
        return frozenset(s.name for s in self.steps if not s.shown)

    def runs_here(self, name: str, settings: Settings) -> bool:
        """Whether step ``name`` runs in the deployment ``settings`` describe (its stage's
        ``when`` holds, or it has none)."""
        _, stage = self._stage_of(name)
        return stage is None or stage.when is None or stage.when(settings)

    def spec(self, name: str) -> StepSpec:
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(f"{name!r} is no step of the flow (shared/pipeline/flow.py)")

    def task(
        self, campaign_id: str, name: str, key: str = "-", payload: dict[str, Any] | None = None
    ) -> Task:
        """A task for step ``name``, on the step's queue."""
        return Task(campaign_id, name, key, payload or {}, queue=self.spec(name).queue)

    def refusal(self, task: Task, campaign: Campaign) -> str | None:
        """Why the flow could never have sent ``task`` for ``campaign`` (a key it has no item
        for); None when it could. Steps aside and items a step returns are the steps' to check."""
        spec = self.spec(task.step)
        if self._stage_of(task.step)[0] < 0:
            return None
        if spec.each is None:
            if task.key != "-":
                return f"{task.step} runs once per campaign, not per {task.key!r}"
            return None
        if spec.each.from_campaign:
            keys = [i.key for i in spec.each.items(campaign, ())]
            if task.key not in keys:
                return (
                    f"{task.step} runs once per {spec.each.what}; this campaign has no {task.key!r}"
                )
        return None

    def runs(self) -> dict[str, Step]:
        """Each step's function, imported from its ``module:function`` (draft steps aside)."""
        return {s.name: _resolve(s) for s in self.steps if not s.draft}

    def drafts(self) -> dict[str, DraftStep]:
        """Each draft step's function: steps that run before their campaign exists."""
        return {s.name: _resolve_draft(s) for s in self.steps if s.draft}

    def route(
        self, task: Task, campaign: Campaign, items: Sequence[Item], settings: Settings
    ) -> Route:
        """What follows ``task`` now that its step returned ``items``, in this deployment."""
        spec = self.spec(task.step)
        index, stage = self._stage_of(task.step)
        if isinstance(stage, Group):
            total = _announced(campaign, stage)
            then = self._start(index + 1, task, campaign, (), settings).next
            return Route([], fan_in=FanIn(stage.name, total, then))
        if index >= 0:
            return self._start(index + 1, task, campaign, items, settings)
        if spec.then is None:
            return Route([])
        return Route(self._tasks(self.spec(spec.then), task, campaign, items))

    def _stage_of(self, name: str) -> tuple[int, Stage | None]:
        for i, stage in enumerate(self.chain):
            if any(s.name == name for s in _members(stage)):
                return i, stage
        return -1, None  # aside

    def _start(
        self, index: int, task: Task, campaign: Campaign, items: Sequence[Item], settings: Settings
    ) -> Route:
        """The first stage from ``index`` on that this deployment runs: its tasks."""
        for stage in self.chain[index:]:
            if stage.when is not None and not stage.when(settings):
                continue
            if isinstance(stage, StepSpec):
                return Route(self._tasks(stage, task, campaign, items))
            fanned = {s.name: self._tasks(s, task, campaign, items) for s in stage.steps}
            totals = {name: len(tasks) for name, tasks in fanned.items()}
            return Route([t for ts in fanned.values() for t in ts], FanOut(stage.name, totals))
        return Route([])

    @staticmethod
    def _tasks(spec: StepSpec, task: Task, campaign: Campaign, items: Sequence[Item]) -> list[Task]:
        if spec.each is None:
            return [Task(task.campaign_id, spec.name, queue=spec.queue)]
        return [
            Task(i.campaign_id or task.campaign_id, spec.name, i.key, i.payload, queue=spec.queue)
            for i in spec.each.items(campaign, items)
        ]


def _members(stage: Stage) -> tuple[StepSpec, ...]:
    return stage.steps if isinstance(stage, Group) else (stage,)


def _announced(campaign: Campaign, stage: Group) -> int:
    """The group's size: what its fan-out announced on the campaign (progress shows it)."""
    announced = [s.total for s in campaign.steps.values() if s.group == stage.name]
    if announced:
        return sum(announced)
    return sum(s.each.expected(campaign) for s in stage.steps if s.each is not None)


def _resolve_draft(spec: StepSpec) -> DraftStep:
    run: DraftStep = _lookup(spec)
    return run


def _resolve(spec: StepSpec) -> Step:
    if not isinstance(spec.run, str):
        return spec.run
    run: Step = _lookup(spec)
    return run


def _lookup(spec: StepSpec) -> Any:
    """The function ``module:function`` names (a function given itself, as tests do)."""
    if not isinstance(spec.run, str):
        return spec.run
    module, _, attr = spec.run.partition(":")
    found = getattr(importlib.import_module(module), attr, None)
    if not callable(found):
        raise ValueError(f"step {spec.name}: {spec.run!r} names no function (module:function)")
    return found


def _check(flow: Flow) -> None:
    """Refuse a flow the runner could not follow, saying what to change."""
    if not flow.chain or isinstance(flow.chain[0], Group) or flow.chain[0].when is not None:
        raise ValueError("the chain starts with one step that always runs (a campaign's first)")
    names = [s.name for s in flow.steps]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"steps declared twice: {', '.join(twice)}")
    for s in flow.steps:
        if s.queue not in QUEUES:
            raise ValueError(f"step {s.name}: queue {s.queue!r} is none of {', '.join(QUEUES)}")
    for i, stage in enumerate(flow.chain):
        _check_stage(flow, i, stage)
    aside = {s.name for s in flow.aside}
    targets = {s.then for s in flow.aside if s.then is not None}
    for s in flow.steps:
        if s.draft and (s.name not in aside or s.each is not None or s.then is not None):
            raise ValueError(f"draft step {s.name}: put it aside, with no `each` nor `then`")
    for s in flow.aside:
        if s.when is not None:
            raise ValueError(f"step {s.name} is aside from the chain: it has no `when`")
        if s.then is not None and s.then not in aside:
            raise ValueError(f"step {s.name}: then={s.then!r} names no step aside from the chain")
        if s.each is not None and s.name not in targets:
            raise ValueError(f"step {s.name} has `each` but no step names it in `then`")


def _check_stage(flow: Flow, index: int, stage: Stage) -> None:
    if isinstance(stage, StepSpec):
        if stage.each is not None or stage.then is not None:
            raise ValueError(
                f"step {stage.name}: in the chain, fan out with a group; `then` is for steps aside"
            )
        return
    if not stage.steps:
        raise ValueError(f"group {stage.name} has no steps")
    for s in stage.steps:
        if s.each is None or s.when is not None or s.then is not None:
            raise ValueError(
                f"step {s.name} of group {stage.name}: give it `each` (what it runs once per); "
                "put `when` on the group; what follows the group is the chain's next stage"
            )
    # The close sends tasks, not a fan-out (it announces nothing): a group cannot follow a group.
    for following in flow.chain[index + 1 :]:
        if isinstance(following, Group):
            raise ValueError(
                f"group {following.name} may directly follow group {stage.name}: "
                "put a step between them"
            )
        if following.when is None:
            break
