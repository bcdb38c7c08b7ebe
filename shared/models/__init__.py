"""Domain models (pydantic v2). Pure data; no I/O."""

from shared.models.audit import AuditEntry
from shared.models.brand import AudienceSegment, BrandProfile
from shared.models.brief import Brief, FunnelFocus, Language
from shared.models.campaign import Campaign, CampaignStatus, StepState
from shared.models.creative import (
    Blueprint,
    Creative,
    CreativeVersion,
    FunnelStage,
    Scene,
    Scores,
    Tag,
    VideoPrompt,
)
from shared.models.errors import explain
from shared.models.performance import PerformanceSnapshot

__all__ = [
    "AudienceSegment",
    "AuditEntry",
    "Blueprint",
    "BrandProfile",
    "Brief",
    "Campaign",
    "CampaignStatus",
    "Creative",
    "CreativeVersion",
    "FunnelFocus",
    "FunnelStage",
    "Language",
    "PerformanceSnapshot",
    "Scene",
    "Scores",
    "StepState",
    "Tag",
    "VideoPrompt",
    "explain",
]
