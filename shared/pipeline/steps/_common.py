"""What steps share: loading the campaign's parts (``shared/pipeline/store.py`` has the paths)."""

from __future__ import annotations

from typing import Any

from shared import brands
from shared.errors import PermanentError
from shared.models.brand import BrandProfile
from shared.models.creative import Creative
from shared.pipeline import store
from shared.pipeline.runner import StepContext


def brief_dict(ctx: StepContext) -> dict[str, Any]:
    return ctx.campaign.brief.model_dump(mode="json")


def load_brand(ctx: StepContext) -> BrandProfile:
    """The brand as intake left it for this campaign (its ``brand_version``): an edit of the kit
    while the campaign runs changes the next campaign, not this one's later steps."""
    campaign = ctx.campaign
    found = (
        brands.load_profile(ctx.services.documents, campaign.brand_id, campaign.brand_version)
        if campaign.brand_id
        else None
    )
    if found is None:
        raise PermanentError("the brand profile is missing; run the campaign from intake again")
    return found


def brand_stamp(ctx: StepContext) -> dict[str, Any]:
    """What every creative and blueprint records of the brand it was written from."""
    return {"brand_id": ctx.campaign.brand_id, "brand_version": ctx.campaign.brand_version}


def load_creatives(ctx: StepContext) -> list[Creative]:
    return store.load_creatives(ctx.services.documents, ctx.campaign.id)


def learned_patterns(ctx: StepContext) -> dict[str, float]:
    """Angle -> win score from the pattern library (empty until performance data arrives)."""
    patterns: dict[str, float] = {}
    for doc in ctx.services.documents.query("patterns", [("kind", "==", "angle")]):
        patterns[str(doc.data["value"])] = float(doc.data["score"])
    return patterns
