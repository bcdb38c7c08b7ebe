"""The brand object: how a brand sounds, who it talks to and what it never says.

:class:`BrandKit` is what a workspace keeps of a brand between campaigns (``brands/{id}``,
``shared/brands.py``): every campaign of the brand reads it, enriches it, and records the version
it used. :class:`BrandProfile` is the part the writing steps read (and send to models).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

HEX_COLOR = r"^#[0-9a-fA-F]{6}$"
# What a kit keeps at most: the brief's own bounds (shared/models/brief.py), so every kit fills
# a brief without being cut there.
MAX_AVOID, MAX_PROOF, MAX_COLORS, MAX_SEGMENTS, MAX_PILLARS, MAX_VOICE = 50, 20, 6, 6, 6, 8

Hex = Annotated[str, StringConstraints(strip_whitespace=True, pattern=HEX_COLOR)]


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


# The kit's fields a person edits (the /adloop brand form, shared/brands.py); once a person has
# set one, an enrichment from a campaign never replaces it.
PERSON_FIELDS = ("name", "voice", "positioning", "avoid", "proof", "colors", "landing_domain")


class BrandKit(BrandProfile):
    """A workspace's brand, kept between campaigns: the profile plus what a person gives once
    (colours, logo, fonts, landing domain) and the audience a new campaign starts from."""

    workspace: str = Field(description="Slack team id, or 'local' for the CLI")
    version: int = Field(default=1, ge=1, description="raised by every edit and enrichment")
    colors: list[Hex] = Field(default_factory=list, max_length=MAX_COLORS)
    logo: str | None = Field(default=None, description="blob path of the logo image")
    fonts: list[str] = Field(default_factory=list, max_length=4)
    landing_domain: str | None = None
    # The audience the latest campaign named: a next campaign may give product and offer only.
    persona: str | None = None
    market: str | None = None
    set_by_person: list[str] = Field(default_factory=list)
    updated_by: str | None = Field(default=None, description="a campaign id or a Slack user")

    def profile(self) -> BrandProfile:
        """The profile the writing steps read: the kit less what only people and videos use."""
        return BrandProfile.model_validate(self.model_dump(include=set(BrandProfile.model_fields)))
