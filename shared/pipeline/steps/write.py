"""write: the A–G set and the V1–V5 video prompts, as the model answered (validated next)."""

from __future__ import annotations

from shared.creative.schema import SetAnswer
from shared.pipeline import store
from shared.pipeline.generation import request
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brief_dict, load_brand
from shared.ports.queue import Task
from shared.ports.textgen import GenerationRequest


def set_request(ctx: StepContext) -> GenerationRequest:
    brief = brief_dict(ctx)
    brand = load_brand(ctx).model_dump(mode="json")
    angles = ctx.campaign.angles
    return request(
        "write",
        "write",
        SetAnswer,
        values={
            "brief_json": brief,
            "brand_json": brand,
            "angles_json": angles,
            "avoid": ", ".join(brand["avoid"]) or "(nothing listed)",
        },
        context={"brief": brief, "brand": brand, "angles": angles},
    )


def write(ctx: StepContext, task: Task) -> StepResult:
    req = set_request(ctx)
    gen = ctx.services.textgen("write").generate(req)
    draft = {
        "text": gen.text,
        "provider": gen.provider,
        "model": gen.model,
        "prompt_version": req.prompt_version,
        "input_tokens": gen.input_tokens,
        "output_tokens": gen.output_tokens,
        "cost_usd": gen.cost_usd,
    }
    return StepResult(
        writes={store.draft_path(task.campaign_id, "set"): draft},
        calls=[gen],
    )
