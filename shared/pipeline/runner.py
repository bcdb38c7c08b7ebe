"""The step runner: exactly-once effects on an at-least-once queue.

A step reads state and computes its result outside any transaction (model calls are slow and
must not hold locks). The runner then commits, in one transaction: the step's writes, the
campaign's progress, a marker that the task is done, and the next tasks (what ``flow.py`` says
follows the step) as outbox entries. Only after the commit are the next tasks enqueued; the
sweeper (``store.sweep_outbox``) re-sends outbox entries whose enqueue never happened (a crash
between commit and enqueue). A redelivered task finds its marker and does
nothing. A step's commit writes the campaign document once; fan-in items write their own
documents instead and only the group's close writes the campaign (see ``fanin``), so each item
counts once and exactly one closing commit enqueues what comes next.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.errors import PermanentError
from shared.log import campaign_var, get_logger
from shared.pipeline import store
from shared.pipeline.fanin import FanIn, add_usage, close, item_entry
from shared.pipeline.flow import FLOW
from shared.pipeline.payloads import check_payload
from shared.pipeline.stages import Flow, Route
from shared.pipeline.step import DraftStep
from shared.pipeline.step import Item as Item  # re-exported: steps import these from here
from shared.pipeline.step import Step as Step
from shared.pipeline.step import StepContext as StepContext
from shared.pipeline.step import StepResult as StepResult
from shared.pipeline.store import campaign_path, item_path, marker_path
from shared.ports.documents import Doc, Transaction
from shared.ports.queue import Task
from shared.services import Services

log = get_logger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: int
    message: str


@dataclass(frozen=True)
class Routed:
    """One delivery's step result and, from the flow, what follows it: what ``_commit`` commits."""

    result: StepResult
    route: Route


class StepRunner:
    """Runs the ``steps`` it serves; what follows each comes from ``flow``."""

    def __init__(self, services: Services, steps: Mapping[str, Step], flow: Flow = FLOW) -> None:
        unknown = sorted(set(steps) - set(flow.names))
        if unknown:
            raise ValueError(f"steps {unknown} are not in the flow: declare them in flow.py")
        self._services = services
        self._steps = steps
        self._flow = flow
        self._drafts = flow.drafts()

    @property
    def steps(self) -> Mapping[str, Step]:
        return self._steps

    @property
    def services(self) -> Services:
        return self._services

    @property
    def flow(self) -> Flow:
        return self._flow

    def handle(self, task: Task) -> Outcome:
        """Run one delivery of ``task``. Raises TransientError (and anything unexpected) so the
        caller answers 5xx and the queue retries; a PermanentError becomes a 4xx outcome."""
        campaign_var.set(task.campaign_id)
        draft = self._drafts.get(task.step)
        if draft is not None:
            return self._handle_draft(draft, task)
        step = self._steps.get(task.step)
        if step is None:
            return Outcome(404, f"unknown step {task.step!r}")
        docs = self._services.documents
        marker = docs.get(marker_path(task))
        if marker is not None:
            self._dispatch(self._close_group(task, marker))
            return Outcome(200, "already done")
        campaign = store.load_campaign(docs, task.campaign_id)
        if campaign is None:
            return Outcome(404, f"no campaign {task.campaign_id!r}")
        # A task the flow could never have sent (a key it has no item for, a payload missing a
        # field) is refused and changes nothing: it is no failure of this campaign's.
        try:
            check_payload(task)
        except PermanentError as e:
            return self._refuse(task, e.status, str(e))
        refused = self._flow.refusal(task, campaign)
        if refused:
            return self._refuse(task, 400, refused)
        # A failed sibling (another fan-out item) does not stop this task: only the failed task
        # stops, and `retry` resumes it under a new name.
        started = time.perf_counter()
        try:
            result = step(StepContext(self._services, campaign), task)
        except PermanentError as e:
            self._record_failure(task, e)
            return Outcome(e.status, str(e))
        route = self._flow.route(task, campaign, result.items, self._services.settings)
        sent = self._commit(task, Routed(result, route), time.perf_counter() - started)
        if sent is None:
            return Outcome(200, "already done")
        self._dispatch(sent)
        return Outcome(200, "done")

    def _handle_draft(self, step: DraftStep, task: Task) -> Outcome:
        """A step run before its campaign exists: its writes and its marker in one transaction
        (a redelivery finds the marker and does nothing); it never touches a campaign."""
        docs = self._services.documents
        if docs.get(marker_path(task)) is not None:
            return Outcome(200, "already done")
        try:
            result = step(self._services, task)
        except PermanentError as e:
            return self._refuse(task, e.status, f"{task.step} failed: {e}")
        if result.campaign or result.items:
            raise ValueError(f"{task.step} runs before its campaign: it can only write documents")
        now = self._services.clock().isoformat()

        def txn(tx: Transaction) -> None:
            if tx.get(marker_path(task)) is not None:
                return
            for doc_path, doc in result.writes.items():
                tx.set(doc_path, doc)
            tx.set(marker_path(task), {"at": now, "step": task.step})

        docs.transact(txn)
        return Outcome(200, "done")

    def _commit(self, task: Task, routed: Routed, seconds: float) -> list[Task] | None:
        result, route = routed.result, routed.route
        if route.fan_in is not None:
            return self._commit_item(task, result, route.fan_in, seconds)
        now = self._services.clock()
        path = campaign_path(task.campaign_id)
        touches_campaign = result.record or bool(result.campaign)

        def txn(tx: Transaction) -> list[Task] | None:
            if tx.get(marker_path(task)) is not None:
                return None
            # Read only when written: a read locks the document for the transaction on Firestore.
            camp = (tx.get(path) or {}) if touches_campaign else {}
            for doc_path, doc in result.writes.items():
                tx.set(doc_path, doc)
            if result.record:
                tx.set(path, _progressed(camp, task, routed, seconds, now.isoformat()))
            elif result.campaign:
                tx.set(path, {**camp, **result.campaign})
            tx.set(marker_path(task), {"at": now.isoformat(), "step": task.step})
            store.to_outbox(tx, route.next)
            return list(route.next)

        return self._services.documents.transact(txn)

    def _commit_item(
        self, task: Task, result: StepResult, fan_in: FanIn, seconds: float
    ) -> list[Task] | None:
        """One fan-in item: its own documents only, then the group's close if it was the last."""
        if result.campaign:
            raise ValueError(f"{task.step} is a fan-in item: it cannot change the campaign")
        docs, now = self._services.documents, self._services.clock()
        entry = item_path(task.campaign_id, fan_in.group, task)

        def txn(tx: Transaction) -> list[Task] | None:
            if tx.get(marker_path(task)) is not None:
                return None
            # An earlier attempt of this item (a retry runs under a new name) already counted.
            if tx.get(entry) is None:
                for doc_path, doc in result.writes.items():
                    tx.set(doc_path, doc)
                tx.set(entry, item_entry(task, seconds, result.calls, now))
            tx.set(
                marker_path(task),
                {"at": now.isoformat(), "step": task.step, "fan_in": fan_in.to_doc()},
            )
            return []

        sent = docs.transact(txn)
        if sent is None:
            return None
        return sent + close(docs, task.campaign_id, fan_in, task.name, now)

    def _close_group(self, task: Task, marker: Doc) -> list[Task]:
        """A redelivered fan-in item closes its group if its first delivery died before it could
        (it never answered, so the queue sends it again)."""
        if not marker.get("fan_in"):
            return []
        fan_in = FanIn.from_doc(marker["fan_in"])
        docs, now = self._services.documents, self._services.clock()
        return close(docs, task.campaign_id, fan_in, task.name, now)

    def _refuse(self, task: Task, status: int, reason: str) -> Outcome:
        """Answer 4xx and keep a marker saying why, so a queue that redelivers 4xx answers
        (Cloud Tasks retries every non-2xx) hears "already done"; the campaign is not touched."""
        log.warning("refused %s: %s", task.name, reason, extra={"step": task.step})
        now = self._services.clock().isoformat()
        self._services.documents.set(
            marker_path(task), {"at": now, "step": task.step, "refused": reason}
        )
        return Outcome(status, reason)

    def _record_failure(self, task: Task, error: PermanentError) -> None:
        now = self._services.clock().isoformat()
        message = f"{task.step} failed: {error}"
        log.warning(message, extra={"step": task.step, "task": task.name})

        def txn(tx: Transaction) -> None:
            if tx.get(marker_path(task)) is not None:
                return
            camp = tx.get(campaign_path(task.campaign_id)) or {}
            if camp.get("status") == "complete":
                # A complete campaign stays complete: what failed after it (a reviewer's
                # rewrite, an export, a stray task) is that task's failure, kept on its marker.
                tx.set(marker_path(task), {"at": now, "step": task.step, "failed": message})
                return
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
        # The step is committed: a task that cannot be enqueued now is the sweeper's to send.
        store.send(self._services, tasks)


def _progressed(camp: Doc, task: Task, routed: Routed, seconds: float, now: str) -> dict[str, Any]:
    """The campaign document after a (non fan-in) step: the step done, the fan-out it starts."""
    result, fan_out = routed.result, routed.route.fan_out
    steps = dict(camp.get("steps") or {})
    state = dict(steps.get(task.step) or {})
    state["seconds"] = round(float(state.get("seconds", 0.0)) + seconds, 3)
    state.update(status="done", finished_at=now)
    usage = camp.get("usage")
    if result.calls:
        state["usage"] = add_usage(state.get("usage"), result.calls)
        usage = add_usage(usage, result.calls)
    steps[task.step] = state
    if fan_out:
        group = fan_out.group
        for step, total in fan_out.totals.items():
            if total > 0:  # a step with no items would never be closed
                announced = {"status": "running", "done": 0, "total": total, "group": group}
                steps[step] = {**(steps.get(step) or {}), **announced}
    return {
        **camp,
        **result.campaign,
        "steps": steps,
        **({"usage": usage} if usage is not None else {}),
        "updated_at": now,
        "stalled": False,  # it moved
    }
