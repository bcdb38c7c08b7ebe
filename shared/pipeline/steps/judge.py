"""judge: the weighted judge ensemble for one creative (fan-in to rank)."""

from __future__ import annotations

from typing import Any

from shared.creative import judges
from shared.errors import PermanentError
from shared.models.creative import JudgeScore
from shared.pipeline.runner import FanIn, StepContext, StepResult
from shared.pipeline.steps._common import creative_path
from shared.ports.queue import Task


def score_copy(
    ctx: StepContext, *, headline: str, primary_text: str, cta: str, hook: str | None, language: str
) -> dict[str, Any]:
    copy = judges.CopyUnderJudgement(
        headline=headline, primary_text=primary_text, cta=cta, hook=hook, language=language
    )
    settings = ctx.services.settings
    weights = settings.judge_weights or None
    result = judges.ensemble(copy, weights, threshold=settings.judge_threshold)
    return {
        "judges": [
            JudgeScore.model_validate(j, from_attributes=True).model_dump() for j in result.judges
        ],
        "judge": round(result.score, 1),
        "approved": result.approved,
    }


def fan_in(ctx: StepContext, task: Task) -> FanIn:
    total = ctx.campaign.steps.get("judge")
    expected = total.total if total else 7 + ctx.campaign.brief.variations
    return FanIn("judge", expected, [Task(task.campaign_id, "rank")])


def judge(ctx: StepContext, task: Task) -> StepResult:
    path = creative_path(task.campaign_id, task.key)
    creative = ctx.services.documents.get(path)
    if creative is None:
        raise PermanentError(f"no creative {task.key} to judge")
    scores = score_copy(
        ctx,
        headline=creative["headline"],
        primary_text=creative["primary_text"],
        cta=creative["cta"],
        hook=creative.get("hook"),
        language=creative["language"],
    )
    creative["scores"] = {**creative.get("scores", {}), **scores}
    return StepResult(writes={path: creative}, fan_in=fan_in(ctx, task))
