"""intake: brief -> the brand's kit (voice, positioning, segments, pillars, avoid list), created
by the brand's first campaign and enriched by every later one (shared/brands.py); the campaign
records the kit's id and the version it used. The brief's product image URLs are fetched,
checked and stored as the campaign's input blobs."""

from __future__ import annotations

from typing import Any

from shared import brands
from shared.creative.schema import BrandAnswer
from shared.creative.structure import parse
from shared.errors import PermanentError
from shared.models.brand import MAX_AVOID, BrandKit, BrandProfile
from shared.pipeline.generation import generate_valid, request
from shared.pipeline.inputs import fetch_images
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brief_dict
from shared.ports.queue import Task


def intake(ctx: StepContext, task: Task) -> StepResult:
    # Images first: a URL that cannot be used fails the campaign before any model is called.
    campaign, docs = ctx.campaign, ctx.services.documents
    uploaded = campaign.product_images
    fetched = fetch_images(
        ctx.services, campaign.id, campaign.brief.product_images, first=len(uploaded) + 1
    )
    known = _chosen(ctx)
    brief = brief_dict(ctx)
    if known is not None:
        # The model builds on what the kit already says: a later campaign sounds like the first.
        brief = {**brief, **brands.with_kit({k: brief.get(k) for k in brief}, known)}
    req = request(
        "brand", "brand", BrandAnswer, values={"brief_json": brief}, context={"brief": brief}
    )
    out = generate_valid(ctx, "intake", req, lambda text: parse(text, BrandAnswer))
    answer = out.answer
    brand_id = campaign.brand_id or (
        known.id if known else brands.kit_id(campaign.workspace, answer.name)
    )
    found = BrandProfile(id=brand_id, **answer.model_dump(), source=out.provider)
    # The brief's own avoid list always applies, whatever the model proposed.
    found.avoid = brands.union(campaign.brief.avoid, found.avoid, MAX_AVOID)
    new = brands.proposal(
        found,
        campaign.brief,
        workspace=campaign.workspace,
        brand_id=brand_id,
        campaign_id=campaign.id,
    )
    kit = brands.enrich(docs, brand_id, lambda current: brands.enriched(current, new), campaign.id)
    return StepResult(
        campaign={
            "brand_id": kit.id,
            "brand_version": kit.version,
            "product_images": [*uploaded, *fetched],
        },
        calls=out.calls,
    )


def _chosen(ctx: StepContext) -> BrandKit | None:
    """The kit this campaign is for: the one chosen when it was started, else the workspace's
    kit of the brief's brand name (a campaign naming a known brand enriches it)."""
    docs, campaign = ctx.services.documents, ctx.campaign
    if campaign.brand_id:
        if not campaign.brand_id.startswith(f"{campaign.workspace}:"):
            raise PermanentError(f"brand {campaign.brand_id!r} is not one of this workspace's")
        return brands.get_kit(docs, campaign.brand_id)
    name: Any = campaign.brief.brand_name
    return brands.find_kit(docs, campaign.workspace, name) if name else None
