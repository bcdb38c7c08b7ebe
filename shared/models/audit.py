"""Every tag change and regeneration, on record."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.models.campaign import now


class AuditEntry(BaseModel):
    campaign_id: str
    label: str
    actor: str
    action: str  # tag | untag | regenerate
    from_value: str | None = None
    to_value: str | None = None
    version: int
    at: datetime = Field(default_factory=now)
