"""The campaign store: documents already stored read back into their models and save unchanged,
and the outbox helper leaves in the outbox exactly the tasks it could not enqueue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shared.adapters.local_folder import FolderBlobs
from shared.adapters.sqlite import SqliteDocuments
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.creative.offline import OfflineGenerator
from shared.pipeline import store
from shared.ports.documents import Transaction
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings

# A creative as the pipeline stores it after rank and a performance verdict: the model's fields
# and those some writers add beside them (predicted_by by rank, performance by the loop).
STORED_CREATIVE: dict[str, Any] = {
    "campaign_id": "c1",
    "label": "A",
    "funnel_stage": "Awareness",
    "language": "en",
    "headline": "Glow in 7 days",
    "primary_text": "Dull skin? One drop a day.",
    "cta": "Shop Now",
    "video_id": "V1",
    "reused": False,
    "angle": "pain_first",
    "hook": "Still tired-looking?",
    "status": "Governed",
    "tag": "Approved",
    "tag_history": ["Draft"],
    "iteration": 2,
    "notes": ["shorter"],
    "versions": [
        {
            "iteration": 1,
            "headline": "Glow",
            "primary_text": "One drop.",
            "cta": "Shop Now",
            "feedback": None,
            "prompt_version": "write-v1",
            "created_at": "2025-01-02T03:04:05.123456Z",
        }
    ],
    "prompt_version": "rewrite-v1",
    "provider": "offline",
    "scores": {
        "brand": 0.9,
        "findings": [],
        "judges": [{"judge": "hook", "score": 92.0, "reason": "hook is 3 words"}],
        "judge": 85.4,
        "approved": True,
        "predicted_ctr": 0.02143,
        "predicted_ctr_interval": [0.01179, 0.03108],
        "predicted_roas": 3.483,
        "predicted_roas_interval": [1.916, 5.05],
        "rank": 1,
        "predicted_by": "priors",
    },
    "slack_ts": "1700000000.000100",
    "brand_id": "T0ADLOOP:glowdrop",
    "brand_version": 3,
    "performance": {"verdict": "winner", "judged_at": "2025-01-09T00:00:00+00:00"},
}


class FlakyQueue:
    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.sent: list[str] = []

    def enqueue(self, task: Task, *, delay_s: float = 0.0) -> bool:
        if task.step in self.refuse:
            raise ConnectionError("queue unreachable")
        self.sent.append(task.step)
        return True


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return Services(
        settings=Settings(home=tmp_path),
        documents=SqliteDocuments(tmp_path / "state.db"),
        blobs=FolderBlobs(tmp_path / "blobs"),
        queue=FlakyQueue({"judge"}),
        jobs=SubprocessJobRunner(tmp_path / "jobs"),
        textgen=lambda step: OfflineGenerator(),
    )


def test_a_stored_creative_saves_back_unchanged_with_the_fields_its_model_lacks(
    services: Services,
) -> None:
    docs = services.documents
    docs.set("campaigns/c1/creatives/A", STORED_CREATIVE)

    creative = store.load_creative(docs, "c1", "A")
    assert creative is not None and creative.tag == "Approved"
    for path, doc in store.creative_write(creative).items():
        docs.set(path, doc)

    assert docs.get("campaigns/c1/creatives/A") == STORED_CREATIVE


def test_a_rendered_video_keeps_its_encoder(services: Services) -> None:
    stored = {
        "id": "V1",
        "funnel_stage": "Awareness",
        "prompt": "Close-up of the serum",
        "duration_s": 5.0,
        "aspect": "9:16",
        "render_status": "done",
        "assets": {"9x16": {"video": "v.mp4", "poster": "p.png", "sheet": "s.png"}},
        "encoder": "libx264",
    }
    services.documents.set("campaigns/c1/videos/V1", stored)

    video = store.load_video(services.documents, "c1", "V1")
    assert video is not None
    assert store.video_write("c1", video) == {"campaigns/c1/videos/V1": stored}


def _commit(services: Services, tasks: list[Task]) -> None:
    def txn(tx: Transaction) -> None:
        store.to_outbox(tx, tasks)

    services.documents.transact(txn)


def test_what_cannot_be_enqueued_stays_in_the_outbox_for_the_sweeper(services: Services) -> None:
    tasks = [Task("c1", "judge", "A"), Task("c1", "rank")]
    _commit(services, tasks)

    store.send(services, tasks)  # a step's commit: the failure is logged, not raised

    queue: FlakyQueue = services.queue  # type: ignore[assignment]
    assert queue.sent == ["rank"]
    assert [d.data["step"] for d in services.documents.query("outbox")] == ["judge"]
    queue.refuse.clear()
    assert store.sweep_outbox(services, older_than_s=0) == 1
    assert queue.sent == ["rank", "judge"]
    assert services.documents.query("outbox") == []


def test_a_strict_send_raises_after_trying_every_task(services: Services) -> None:
    tasks = [Task("c1", "judge", "A"), Task("c1", "rank")]
    _commit(services, tasks)

    with pytest.raises(ConnectionError):
        store.send(services, tasks, strict=True)

    assert services.queue.sent == ["rank"]  # type: ignore[attr-defined]
    assert [d.data["step"] for d in services.documents.query("outbox")] == ["judge"]
