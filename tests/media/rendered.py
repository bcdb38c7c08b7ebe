"""What the render job leaves, for tests and benches that do not render: each video of a
campaign given a real one-second 9:16 mp4, so the exports of video ads (Meta, TikTok) have
their media."""

from __future__ import annotations

import subprocess
from pathlib import Path

from shared.pipeline import store
from shared.services import Services


def give_rendered_videos(services: Services, campaign_id: str, folder: Path) -> None:
    """Every video its creatives and blueprints name gets a 9:16 asset (made once in
    ``folder``), written where the render step writes it."""
    mp4 = folder / "rendered-9x16.mp4"
    if not mp4.exists():
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=180x320:rate=5:d=1",
                "-pix_fmt",
                "yuv420p",
                str(mp4),
            ],
            check=True,
        )
    docs = services.documents
    items = store.creative_docs(docs, campaign_id) + store.blueprint_docs(docs, campaign_id)
    for vid in {str(i["video_id"]) for i in items if i.get("video_id")}:
        blob = f"campaigns/{campaign_id}/render/{vid}/out/{vid}_9x16.mp4"
        services.blobs.put(blob, mp4.read_bytes())
        path = f"{store.videos_collection(campaign_id)}/{vid}"
        docs.set(path, {**(docs.get(path) or {}), "assets": {"9x16": {"video": blob}}})
