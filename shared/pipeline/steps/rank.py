"""rank: predicted CTR and ROAS with an interval for every creative and blueprint; the learned
ranker once it has been trained on performance data, priors before; ties broken by judge score."""

from __future__ import annotations

from typing import Any

from shared.creative import predict
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import creative_path
from shared.pipeline.steps.blueprint import blueprint_path
from shared.ports.queue import Task


def rank(ctx: StepContext, task: Task) -> StepResult:
    cid = task.campaign_id
    docs = ctx.services.documents
    items: list[tuple[str, dict[str, Any]]] = []
    for d in docs.query(f"campaigns/{cid}/creatives"):
        items.append((creative_path(cid, d.id), d.data))
    for d in docs.query(f"campaigns/{cid}/blueprints"):
        items.append((blueprint_path(cid, d.id), d.data))
    model = predict.load_model(docs)
    for _, item in items:
        item["scores"] = {**item.get("scores", {}), **predict.predict(item, model)}
    ordered = sorted(
        items,
        key=lambda pi: (
            -pi[1]["scores"]["predicted_roas"],
            -(pi[1]["scores"].get("judge") or 0),
            pi[1]["label"],
        ),
    )
    for position, (_, item) in enumerate(ordered, start=1):
        item["scores"]["rank"] = position
    return StepResult(writes=dict(items), campaign={"ranker": model.name if model else "priors"})
