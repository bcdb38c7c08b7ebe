"""Normalised ad-platform metrics for one ad on one day."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class PerformanceSnapshot(BaseModel):
    # Figures come from outside; a non-finite one would make the stored document invalid JSON.
    model_config = ConfigDict(allow_inf_nan=False)

    # A platform's id (shared/platforms/registry.py, whose report-row mappings are what make
    # snapshots); models sit below the registry, so only its shape is checked here: it is part
    # of the document id.
    platform: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    ad_id: str = Field(pattern=r"^[^/\s]{1,128}$", description="the platform's ad id, no /")
    day: date
    tracking_code: str | None = None
    impressions: int = Field(default=0, ge=0)
    clicks: int = Field(default=0, ge=0)
    spend: float = Field(default=0.0, ge=0)
    # Google reports conversions as a double (attribution splits one across clicks): 1.5 stays.
    conversions: float = Field(default=0.0, ge=0)
    revenue: float = Field(default=0.0, ge=0)
    video_3s_views: int = Field(default=0, ge=0)
    video_completions: int = Field(default=0, ge=0)

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.ad_id}:{self.day.isoformat()}"
