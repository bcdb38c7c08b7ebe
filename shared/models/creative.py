"""Creatives: the A–G ads, the V1–V5 video prompts and the blueprint variations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.models.brief import Language
from shared.models.campaign import now


class FunnelStage(StrEnum):
    AWARENESS = "Awareness"
    MID = "Mid"
    CONVERSION = "Conversion"
    FULL = "Full"


class Tag(StrEnum):
    DRAFT = "Draft"
    TESTING = "Testing"
    NEEDS_REVISION = "Needs Revision"
    APPROVED = "Approved"
    WINNER = "Winner"


class Finding(BaseModel):
    rule: str
    span: str
    reason: str


class ClaimTrace(BaseModel):
    """One checkable claim of a piece of copy and where the brief (or brand kit) states it
    (shared/creative/claims): what a reviewer reads to see why a number or promise may run."""

    kind: str  # number, percentage, rating, review_count, duration, timeframe, price, discount,
    # comparative, superlative, health, body, money, guarantee
    span: str  # exact substring of the checked text
    supported: bool
    source: str | None = None  # "offer", "proof[0]", "brand.proof[0]"...; None when unsupported
    source_text: str | None = None  # the source's words that support it (a short excerpt)
    reason: str


class JudgeScore(BaseModel):
    judge: str
    score: float = Field(ge=0, le=100)
    reason: str


# Stored documents carry fields some writers add beside the model's (a score's ``predicted_by``,
# a creative's ``performance``, a video's ``encoder``, a blueprint's ``status``): kept, so a
# document read into its model and saved again loses nothing (shared/pipeline/store.py).
KEEP_EXTRA = ConfigDict(extra="allow")


class Scores(BaseModel):
    model_config = KEEP_EXTRA

    brand: float | None = None  # 0–1, bar 0.75
    findings: list[Finding] = Field(default_factory=list)
    judges: list[JudgeScore] = Field(default_factory=list)
    judge: float | None = None  # weighted 0–100, approval at 85
    approved: bool | None = None
    predicted_ctr: float | None = None
    predicted_ctr_interval: tuple[float, float] | None = None
    predicted_roas: float | None = None
    predicted_roas_interval: tuple[float, float] | None = None
    rank: int | None = None


class CreativeVersion(BaseModel):
    iteration: int
    headline: str
    primary_text: str
    cta: str
    feedback: str | None = None
    prompt_version: str
    created_at: datetime = Field(default_factory=now)


class Creative(BaseModel):
    """One ad: a label A–G (or B01…B50 for blueprint variations) and its copy."""

    model_config = KEEP_EXTRA

    campaign_id: str
    label: str
    funnel_stage: FunnelStage
    language: Language
    headline: str
    primary_text: str
    cta: str
    video_id: str | None = None
    reused: bool = False
    angle: str | None = None
    hook: str | None = None
    status: str = "Generated"
    tag: Tag = Tag.DRAFT
    tag_history: list[Tag] = Field(default_factory=list)
    iteration: int = 1
    notes: list[str] = Field(default_factory=list)
    versions: list[CreativeVersion] = Field(default_factory=list)
    prompt_version: str
    provider: str
    scores: Scores = Field(default_factory=Scores)
    slack_ts: str | None = None
    # The brand kit and its version the copy was written from (shared/brands.py).
    brand_id: str | None = None
    brand_version: int | None = None


class VideoPrompt(BaseModel):
    model_config = KEEP_EXTRA

    id: str = Field(pattern=r"^V[1-5]$")
    funnel_stage: FunnelStage
    prompt: str
    duration_s: float = 5.0
    aspect: str = "9:16"
    render_status: str = "pending"
    # Aspect ("9x16") -> {"video", "poster", "sheet"} blob paths.
    assets: dict[str, dict[str, str]] = Field(default_factory=dict)


class Scene(BaseModel):
    duration_s: float = Field(gt=0, le=30)
    visual: str
    on_screen_text: str


class Blueprint(BaseModel):
    """A full video-ad variation: hook, scenes, voice-over, CTA, angle and segment."""

    model_config = KEEP_EXTRA

    campaign_id: str
    label: str  # B01 … B50
    hook: str
    hook_framework: str
    angle: str
    segment: str
    language: Language
    scenes: list[Scene]
    voiceover: str
    cta: str
    prompt_version: str
    provider: str
    scores: Scores = Field(default_factory=Scores)
    brand_id: str | None = None
    brand_version: int | None = None
