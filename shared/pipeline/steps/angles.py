"""angles: mine advertising angles for the brand, ranked with the pattern library."""

from __future__ import annotations

from shared.creative.schema import AnglesAnswer
from shared.creative.structure import parse
from shared.pipeline.generation import generate_valid, request
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brief_dict, learned_patterns, load_brand
from shared.ports.queue import Task


def angles(ctx: StepContext, task: Task) -> StepResult:
    brand = load_brand(ctx).model_dump(mode="json")
    patterns = learned_patterns(ctx)
    req = request(
        "angles",
        "angles",
        AnglesAnswer,
        values={"brand_json": brand, "patterns_json": patterns},
        context={"brief": brief_dict(ctx), "brand": brand, "patterns": patterns},
    )
    out = generate_valid(ctx, "angles", req, lambda text: parse(text, AnglesAnswer))
    ranked = sorted(out.answer.angles, key=lambda a: -a.score)
    return StepResult(
        campaign={"angles": [a.model_dump() for a in ranked]},
        calls=out.calls,
    )
