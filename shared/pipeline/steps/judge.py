"""judge: the weighted judge ensemble for one creative (one item of the judge group)."""

from __future__ import annotations

from typing import Any

from shared.creative import judges, policy
from shared.creative.schema import JudgeAnswer
from shared.creative.structure import parse
from shared.errors import PermanentError
from shared.models.creative import Creative, JudgeScore, Scores
from shared.pipeline import store
from shared.pipeline.generation import generate_valid, request
from shared.pipeline.runner import StepContext, StepResult
from shared.ports.queue import Task
from shared.ports.textgen import Generation

# The model panel's weight beside the heuristic ensemble, when a model judges.
PANEL_SHARE = 0.5


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


def judge(ctx: StepContext, task: Task) -> StepResult:
    creative = store.load_creative(ctx.services.documents, task.campaign_id, task.key)
    if creative is None:
        raise PermanentError(f"no creative {task.key} to judge")
    scores = score_copy(
        ctx,
        headline=creative.headline,
        primary_text=creative.primary_text,
        cta=creative.cta,
        hook=creative.hook,
        language=creative.language,
    )
    panel, calls = model_panel(ctx, creative)
    if panel:
        scores = with_panel(ctx, creative, scores, panel)
    judged = with_scores(creative, scores)
    return StepResult(writes=store.creative_write(judged), calls=calls)


def with_scores(creative: Creative, scores: dict[str, Any]) -> Creative:
    """``creative`` with ``scores`` (score_copy's fields) replacing those it had."""
    merged = Scores.model_validate({**creative.scores.model_dump(), **scores})
    return creative.model_copy(update={"scores": merged})


def model_panel(
    ctx: StepContext, creative: Creative
) -> tuple[list[dict[str, Any]], list[Generation]]:
    """A model's reviewers, when the judge step has a provider (``ADLOOP_LLM_STEPS__JUDGE``);
    the offline engine judges with the heuristics alone."""
    if ctx.services.settings.provider_for("judge") == "offline":
        return [], []
    public = creative.model_dump(
        mode="json",
        include={"label", "funnel_stage", "language", "headline", "primary_text", "cta", "hook"},
    )
    req = request(
        "judge",
        "judge",
        JudgeAnswer,
        values={"creative_json": public},
        context={"creative": public},
    )
    out = generate_valid(ctx, "judge", req, lambda text: parse(text, JudgeAnswer))
    panel = [
        JudgeScore(judge=f"panel:{s.judge}", score=s.score, reason=s.reason).model_dump()
        for s in out.answer.scores
    ]
    return panel, out.calls


def with_panel(
    ctx: StepContext, creative: Creative, scores: dict[str, Any], panel: list[dict[str, Any]]
) -> dict[str, Any]:
    """Heuristics and the model's panel, weighted equally; blocking policy findings still veto."""
    settings = ctx.services.settings
    panel_mean = sum(float(p["score"]) for p in panel) / len(panel)
    combined = round((1 - PANEL_SHARE) * scores["judge"] + PANEL_SHARE * panel_mean, 1)
    text = f"{creative.headline}. {creative.primary_text}"
    blocked = any(f.rule in policy.BLOCKING for f in policy.check(text, creative.language))
    return {
        "judges": [*scores["judges"], *panel],
        "judge": combined,
        "approved": combined >= settings.judge_threshold and not blocked,
    }
