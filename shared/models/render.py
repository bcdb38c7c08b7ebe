"""What the pipeline asks the render job for."""

from __future__ import annotations

from pydantic import BaseModel


class RenderRequest(BaseModel):
    campaign_id: str
    video_id: str
    spec_path: str  # blob path of the render spec JSON
    out_prefix: str  # blob prefix the results go under
