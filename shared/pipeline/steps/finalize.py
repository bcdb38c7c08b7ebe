"""finalize: the campaign is complete."""

from __future__ import annotations

from shared.pipeline.runner import StepContext, StepResult
from shared.ports.queue import Task


def finalize(ctx: StepContext, task: Task) -> StepResult:
    now = ctx.services.clock().isoformat()
    return StepResult(campaign={"status": "complete", "completed_at": now})
