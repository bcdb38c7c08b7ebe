"""The shapes a model must answer in. Their JSON schemas go to the providers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.models.brand import AudienceSegment


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class BrandAnswer(_Answer):
    name: str
    voice: list[str]
    positioning: str
    segments: list[AudienceSegment]
    pillars: list[str]
    localized_pillars: dict[str, list[str]] = Field(default_factory=dict)
    avoid: list[str] = Field(default_factory=list)
    proof: list[str] = Field(default_factory=list)


class Angle(_Answer):
    id: str
    name: str
    insight: str
    segment: str
    score: float = Field(ge=0, le=1)


class AnglesAnswer(_Answer):
    angles: list[Angle] = Field(min_length=1)


class CreativeDraft(_Answer):
    label: str
    funnel_stage: str
    language: str
    video_id: str
    reused: bool
    angle: str = ""
    hook: str = ""
    headline: str = Field(min_length=1)
    primary_text: str = Field(min_length=1)
    cta: str = Field(min_length=1)


class VideoPromptDraft(_Answer):
    id: str
    funnel_stage: str
    prompt: str = Field(min_length=1)


class SetAnswer(_Answer):
    creatives: list[CreativeDraft]
    video_prompts: list[VideoPromptDraft]


class RewriteAnswer(_Answer):
    headline: str = Field(min_length=1)
    primary_text: str = Field(min_length=1)
    cta: str = Field(min_length=1)
    hook: str = ""


class SceneDraft(_Answer):
    duration_s: float = Field(gt=0, le=30)
    visual: str
    on_screen_text: str


class BlueprintAnswer(_Answer):
    hook: str = Field(min_length=1)
    hook_framework: str
    angle: str
    segment: str
    language: str
    scenes: list[SceneDraft] = Field(min_length=2, max_length=6)
    voiceover: str = Field(min_length=1)
    cta: str = Field(min_length=1)


class JudgeLine(_Answer):
    judge: str
    score: float = Field(ge=0, le=100)
    reason: str


class JudgeAnswer(_Answer):
    scores: list[JudgeLine] = Field(min_length=1)


def schema_of(model: type[BaseModel]) -> dict[str, object]:
    return model.model_json_schema()
