"""The brand object: how a brand sounds, who it talks to and what it never says."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AudienceSegment(BaseModel):
    name: str
    pains: list[str] = Field(default_factory=list)
    desires: list[str] = Field(default_factory=list)
    language_patterns: list[str] = Field(default_factory=list)


class BrandProfile(BaseModel):
    id: str
    name: str
    voice: list[str] = Field(default_factory=list, description="voice adjectives")
    positioning: str
    segments: list[AudienceSegment] = Field(default_factory=list)
    pillars: list[str] = Field(default_factory=list, description="messaging pillars")
    # The pillars in the words of other languages (copy in Spanish is scored against these).
    localized_pillars: dict[str, list[str]] = Field(default_factory=dict)
    avoid: list[str] = Field(default_factory=list)
    proof: list[str] = Field(default_factory=list)
    source: str = Field(default="offline", description="the provider that built it")

    def for_language(self, language: str) -> BrandProfile:
        pillars = self.localized_pillars.get(language)
        return self.model_copy(update={"pillars": pillars}) if pillars else self
