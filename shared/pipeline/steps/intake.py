"""intake: brief -> brand profile (voice, positioning, segments, pillars, avoid list); the
brief's product image URLs fetched, checked and stored as the campaign's input blobs."""

from __future__ import annotations

from shared.creative.schema import BrandAnswer
from shared.creative.structure import parse
from shared.models.brand import BrandProfile
from shared.pipeline.generation import generate_valid, request
from shared.pipeline.inputs import fetch_images
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brief_dict
from shared.ports.queue import Task


def intake(ctx: StepContext, task: Task) -> StepResult:
    # Images first: a URL that cannot be used fails the campaign before any model is called.
    uploaded = ctx.campaign.product_images
    fetched = fetch_images(
        ctx.services, ctx.campaign.id, ctx.campaign.brief.product_images, first=len(uploaded) + 1
    )
    brief = brief_dict(ctx)
    req = request(
        "brand", "brand", BrandAnswer, values={"brief_json": brief}, context={"brief": brief}
    )
    out = generate_valid(ctx, "intake", req, lambda text: parse(text, BrandAnswer))
    answer = out.answer
    brand_id = f"{ctx.campaign.id}-{_slug(answer.name)}"
    brand = BrandProfile(
        id=brand_id,
        **answer.model_dump(),
        source=out.provider,
    )
    # The brief's own avoid list always applies, whatever the model proposed.
    brand.avoid = list(dict.fromkeys([*ctx.campaign.brief.avoid, *brand.avoid]))
    return StepResult(
        writes={f"brands/{brand_id}": brand.model_dump(mode="json")},
        campaign={"brand_id": brand_id, "product_images": [*uploaded, *fetched]},
        calls=out.calls,
    )


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:40] or "brand"
