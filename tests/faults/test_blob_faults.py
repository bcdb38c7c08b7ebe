"""Blob writes that fail for a while (a storage blip) delay a campaign; they never break it."""

from __future__ import annotations

from pathlib import Path

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.errors import TransientError
from shared.pipeline.campaigns import campaign_view, start_campaign
from shared.ports.blobs import Blobs
from shared.settings import Settings
from tests.conftest import EXAMPLES


class FlakyBlobs:
    """Every third write fails, as a storage service under strain does."""

    def __init__(self, inner: Blobs) -> None:
        self._inner = inner
        self.failures = 0
        self._writes = 0
        self.root = getattr(inner, "root", None)

    def put(
        self, path: str, data: bytes, *, content_type: str = "application/octet-stream"
    ) -> None:
        self._writes += 1
        if self._writes % 3 == 1:
            self.failures += 1
            raise TransientError(f"storage unavailable writing {path}")
        self._inner.put(path, data, content_type=content_type)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._inner, name)


def test_transient_blob_failures_end_in_one_complete_rendered_set(home: Path) -> None:
    settings = Settings(home=home, render=True, queue_min_backoff_s=0.05, queue_max_backoff_s=0.5)
    with LocalRuntime(settings) as rt:
        flaky = FlakyBlobs(rt.services.blobs)
        rt.services.blobs = flaky
        loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml")
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        doc = wait_for_campaign(rt.services, campaign.id, timeout_s=300)
        view = campaign_view(rt.services, campaign.id)
    assert doc["status"] == "complete", doc.get("error")
    assert flaky.failures >= 3, "the storage really failed along the way"
    assert all(v["render_status"] == "done" for v in view["videos"])
    specs = sorted(
        p.relative_to(home / "blobs").as_posix() for p in (home / "blobs").rglob("spec.json")
    )
    assert len(specs) == 5, "each spec written once, no stray copies"
