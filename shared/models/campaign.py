"""A campaign: one brief moving through the pipeline."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from shared.models.brief import Brief


class CampaignStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"


class Usage(BaseModel):
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


class StepState(BaseModel):
    status: str = "pending"  # pending | running | done | failed
    done: int = 0
    total: int = 0
    seconds: float = 0.0  # summed over the step's items
    finished_at: datetime | None = None
    error: str | None = None
    usage: Usage | None = None
    # The fan-in group the step's items are counted in; live counts are read from it.
    group: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


class Campaign(BaseModel):
    id: str
    brief: Brief
    status: CampaignStatus = CampaignStatus.RUNNING
    steps: dict[str, StepState] = Field(default_factory=dict)
    error: str | None = None
    stalled: bool = False
    stalled_message: str | None = None
    # The Slack workspace (team id) it was started in, "local" from the CLI: brands are theirs.
    workspace: str = "local"
    # The brand kit (shared/brands.py): chosen when started, or set by intake; and the kit's
    # version intake left, which every later step reads and every creative records.
    brand_id: str | None = None
    brand_version: int | None = None
    # Blob paths of the product images, all under campaigns/{id}/inputs/ (shared/pipeline/
    # inputs.py): files uploaded with the brief first, then the brief's URLs, fetched at intake.
    product_images: list[str] = Field(default_factory=list)
    angles: list[dict[str, object]] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    slack_channel: str | None = None
    slack_ts: str | None = None
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    completed_at: datetime | None = None
