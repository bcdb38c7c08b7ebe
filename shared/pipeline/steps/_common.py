"""What steps share: loading the campaign's parts (``shared/pipeline/store.py`` has the paths)."""

from __future__ import annotations

from typing import Any

from shared.errors import PermanentError
from shared.models.brand import BrandProfile
from shared.models.creative import Creative
from shared.pipeline import store
from shared.pipeline.runner import StepContext


def brief_dict(ctx: StepContext) -> dict[str, Any]:
    return ctx.campaign.brief.model_dump(mode="json")


def load_brand(ctx: StepContext) -> BrandProfile:
    brand_id = ctx.campaign.brand_id
    raw = ctx.services.documents.get(f"brands/{brand_id}") if brand_id else None
    if raw is None:
        raise PermanentError("the brand profile is missing; run the campaign from intake again")
    return BrandProfile.model_validate(raw)


def load_creatives(ctx: StepContext) -> list[Creative]:
    return store.load_creatives(ctx.services.documents, ctx.campaign.id)


def learned_patterns(ctx: StepContext) -> dict[str, float]:
    """Angle -> win score from the pattern library (empty until performance data arrives)."""
    patterns: dict[str, float] = {}
    for doc in ctx.services.documents.query("patterns", [("kind", "==", "angle")]):
        patterns[str(doc.data["value"])] = float(doc.data["score"])
    return patterns
