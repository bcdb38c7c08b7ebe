"""rank: predicted CTR and ROAS with an interval for every creative and blueprint; the learned
ranker once it has been trained on performance data, priors before; ties broken by judge score."""

from __future__ import annotations

from typing import TypeVar

from shared.creative import predict
from shared.models.creative import Blueprint, Creative, Scores
from shared.pipeline import store
from shared.pipeline.runner import StepContext, StepResult
from shared.ports.documents import Doc
from shared.ports.queue import Task

Ranked = TypeVar("Ranked", Creative, Blueprint)


def rank(ctx: StepContext, task: Task) -> StepResult:
    cid = task.campaign_id
    docs = ctx.services.documents
    model = predict.load_model(docs)
    creatives = [_predicted(c, model) for c in store.load_creatives(docs, cid)]
    blueprints = [_predicted(b, model) for b in store.load_blueprints(docs, cid)]
    both: list[Creative | Blueprint] = [*creatives, *blueprints]
    ordered = sorted(
        both,
        key=lambda item: (
            -(item.scores.predicted_roas or 0.0),
            -(item.scores.judge or 0),
            item.label,
        ),
    )
    position = {item.label: n for n, item in enumerate(ordered, start=1)}
    writes: dict[str, Doc] = {}
    for c in creatives:
        writes |= store.creative_write(_ranked(c, position[c.label]))
    for b in blueprints:
        writes |= store.blueprint_write(_ranked(b, position[b.label]))
    return StepResult(writes=writes, campaign={"ranker": model.name if model else "priors"})


def _predicted(item: Ranked, model: predict.LearnedModel | None) -> Ranked:
    prediction = predict.predict(item.model_dump(mode="json"), model)
    scores = Scores.model_validate({**item.scores.model_dump(), **prediction})
    return item.model_copy(update={"scores": scores})


def _ranked(item: Ranked, rank: int) -> Ranked:
    return item.model_copy(update={"scores": item.scores.model_copy(update={"rank": rank})})
