"""The step runner: exactly-once effects on an at-least-once queue.

A step reads state and computes its result outside any transaction (model calls are slow and
must not hold locks). The runner then commits, in one transaction: the step's writes, the
campaign's progress, a marker that the task is done, and the next tasks as outbox entries. Only
after the commit are the next tasks enqueued; the sweeper re-sends outbox entries whose enqueue
never happened (a crash between commit and enqueue). A redelivered task finds its marker and does
nothing. Fan-in is a counter bumped in the same transaction as the marker, so each item counts
once and exactly one item — the last — enqueues what comes next.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.errors import NotFound, PermanentError
from shared.log import campaign_var, get_logger
from shared.models.campaign import Campaign
from shared.ports.documents import Doc, Transaction
from shared.ports.queue import Task
from shared.ports.textgen import Generation
from shared.services import Services

log = get_logger(__name__)


@dataclass(frozen=True)
class FanIn:
    """This task is one of ``total`` items of ``group``; the last one to finish sends ``then``."""

    group: str
    total: int
    then: list[Task]


@dataclass
class StepResult:
    writes: dict[str, Doc] = field(default_factory=dict)
    next: list[Task] = field(default_factory=list)
    campaign: dict[str, Any] = field(default_factory=dict)  # fields merged into the campaign
    fan_in: FanIn | None = None
    # Fan-out steps announce how many items the next step will count.
    expect: dict[str, int] = field(default_factory=dict)
    # Model calls made, added to the campaign's usage in the commit (so a retry never counts twice).
    calls: list[Generation] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    status: int
    message: str


@dataclass(frozen=True)
class StepContext:
    services: Services
    campaign: Campaign


Step = Callable[[StepContext, Task], StepResult]


def campaign_path(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}"


def marker_path(task: Task) -> str:
    return f"runs/{task.name}"


class StepRunner:
    def __init__(self, services: Services, steps: Mapping[str, Step]) -> None:
        self._services = services
        self._steps = steps

    @property
    def steps(self) -> Mapping[str, Step]:
        return self._steps

    @property
    def services(self) -> Services:
        return self._services

    def handle(self, task: Task) -> Outcome:
        """Run one delivery of ``task``. Raises TransientError (and anything unexpected) so the
        caller answers 5xx and the queue retries; a PermanentError becomes a 4xx outcome."""
        campaign_var.set(task.campaign_id)
        step = self._steps.get(task.step)
        if step is None:
            return Outcome(404, f"unknown step {task.step!r}")
        docs = self._services.documents
        if docs.get(marker_path(task)) is not None:
            return Outcome(200, "already done")
        raw = docs.get(campaign_path(task.campaign_id))
        if raw is None:
            return Outcome(404, f"no campaign {task.campaign_id!r}")
        # A failed sibling (another fan-out item) does not stop this task: only the failed task
        # stops, and `retry` resumes it under a new name.
        campaign = Campaign.model_validate(raw)
        started = time.perf_counter()
        try:
            result = step(StepContext(self._services, campaign), task)
        except PermanentError as e:
            self._record_failure(task, e)
            return Outcome(e.status, str(e))
        sent = self._commit(task, result, time.perf_counter() - started)
        if sent is None:
            return Outcome(200, "already done")
        self._dispatch(sent)
        return Outcome(200, "done")

    def _commit(self, task: Task, result: StepResult, seconds: float) -> list[Task] | None:
        now = self._services.clock()

        def txn(tx: Transaction) -> list[Task] | None:
            if tx.get(marker_path(task)) is not None:
                return None
            camp = tx.get(campaign_path(task.campaign_id)) or {}
            counter_path = (
                f"counters/{task.campaign_id}:{result.fan_in.group}" if result.fan_in else ""
            )
            counter = (tx.get(counter_path) or {"done": 0}) if result.fan_in else {}
            for path, doc in result.writes.items():
                tx.set(path, doc)
            next_tasks = list(result.next)
            steps = dict(camp.get("steps") or {})
            state = dict(steps.get(task.step) or {})
            state["seconds"] = round(float(state.get("seconds", 0.0)) + seconds, 3)
            if result.fan_in:
                counter["done"] = int(counter["done"]) + 1
                tx.set(counter_path, counter)
                state.update(done=counter["done"], total=result.fan_in.total)
                last = counter["done"] == result.fan_in.total
                state["status"] = "done" if last else "running"
                if last:
                    next_tasks += result.fan_in.then
            else:
                state["status"] = "done"
            if state["status"] == "done":
                state["finished_at"] = now.isoformat()
            if result.calls:
                state["usage"] = _add_usage(state.get("usage"), result.calls)
                camp["usage"] = _add_usage(camp.get("usage"), result.calls)
            steps[task.step] = state
            for group, total in result.expect.items():
                steps[group] = {**(steps.get(group) or {}), "status": "running", "total": total}
            tx.set(
                campaign_path(task.campaign_id),
                {
                    **camp,
                    **result.campaign,
                    "steps": steps,
                    "updated_at": now.isoformat(),
                    "stalled": False,  # it moved
                },
            )
            tx.set(marker_path(task), {"at": now.isoformat(), "step": task.step})
            for t in next_tasks:
                tx.set(f"outbox/{t.name}", {**t.to_doc(), "created": time.time()})
            return next_tasks

        return self._services.documents.transact(txn)

    def _record_failure(self, task: Task, error: PermanentError) -> None:
        now = self._services.clock().isoformat()
        message = f"{task.step} failed: {error}"
        log.warning(message, extra={"step": task.step, "task": task.name})

        def txn(tx: Transaction) -> None:
            if tx.get(marker_path(task)) is not None:
                return
            camp = tx.get(campaign_path(task.campaign_id)) or {}
            steps = dict(camp.get("steps") or {})
            steps[task.step] = {
                **(steps.get(task.step) or {}),
                "status": "failed",
                "error": str(error),
            }
            tx.set(
                campaign_path(task.campaign_id),
                {
                    **camp,
                    "status": "failed",
                    "error": message,
                    "steps": steps,
                    "updated_at": now,
                    # Every task that failed for good; `retry` sends each again.
                    "failed_tasks": {**(camp.get("failed_tasks") or {}), task.name: task.to_doc()},
                },
            )
            tx.set(marker_path(task), {"at": now, "step": task.step, "failed": message})

        self._services.documents.transact(txn)

    def _dispatch(self, tasks: list[Task]) -> None:
        for t in tasks:
            try:
                self._services.queue.enqueue(t)
            except Exception:  # the sweeper re-sends it; the step itself is committed
                log.exception("enqueue failed; left in the outbox", extra={"task": t.name})
                continue
            self._services.documents.delete(f"outbox/{t.name}")


def _add_usage(usage: dict[str, Any] | None, calls: list[Generation]) -> dict[str, Any]:
    total = dict(usage or {"calls": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0})
    for g in calls:
        total["calls"] = int(total.get("calls", 0)) + 1
        total["input_tokens"] = int(total.get("input_tokens", 0)) + g.input_tokens
        total["output_tokens"] = int(total.get("output_tokens", 0)) + g.output_tokens
        total["cost_usd"] = round(float(total.get("cost_usd", 0.0)) + g.cost_usd, 6)
    return total


def sweep_outbox(services: Services, *, older_than_s: float = 30.0) -> int:
    """Re-send outbox entries committed but never enqueued. Safe to run any time, any number of
    times: a task sent twice is a redelivery the runner already ignores."""
    cutoff = time.time() - older_than_s
    sent = 0
    for doc in services.documents.query("outbox", [("created", "<=", cutoff)], limit=500):
        task = Task.from_doc(doc.data)
        services.queue.enqueue(task)
        services.documents.delete(doc.path)
        sent += 1
    return sent


def require_campaign(services: Services, campaign_id: str) -> Campaign:
    raw = services.documents.get(campaign_path(campaign_id))
    if raw is None:
        raise NotFound(f"no campaign {campaign_id!r}")
    return Campaign.model_validate(raw)
