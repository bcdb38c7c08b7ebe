"""publish: one message per creative, videos in their threads, and never a second post."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from infra.briefs import load_brief
from infra.runtime import wait_for_campaign
from shared.pipeline.campaigns import start_campaign
from shared.pipeline.steps.publish import ledger_path, post_once
from shared.pipeline.store import marker_path
from shared.ports.queue import Task
from tests.bot.conftest import CHANNEL, Bot, Published
from tests.conftest import EXAMPLES


def _republish(pub: Published) -> None:
    task = Task(pub.campaign_id, "publish")
    pub.bot.services.documents.delete(marker_path(task))  # as if the first delivery never committed
    assert pub.bot.runtime.runner.handle(task).status == 200


def test_a_redelivery_after_a_crash_between_post_and_commit_posts_nothing_twice(
    published: Published,
) -> None:
    docs, cid = published.bot.services.documents, published.campaign_id
    posts_before = len(published.bot.slack.calls("chat.postMessage"))
    shown = {
        label: docs.get(f"campaigns/{cid}/creatives/{label}")["slack_ts"] for label in ("A", "B")
    }
    for label in ("A", "B"):  # posted, but the ts never made it to the ledger
        entry = docs.get(ledger_path(f"{cid}:creative:{label}"))
        docs.set(ledger_path(f"{cid}:creative:{label}"), {"key": entry["key"], "at": entry["at"]})

    _republish(published)

    assert len(published.bot.slack.calls("chat.postMessage")) == posts_before
    lookups = published.bot.slack.calls("conversations.history")
    assert len(lookups) == 2 and all(c.args["channel"] == CHANNEL for c in lookups)
    for label, ts in shown.items():
        assert docs.get(ledger_path(f"{cid}:creative:{label}"))["ts"] == ts
        assert docs.get(f"campaigns/{cid}/creatives/{label}")["slack_ts"] == ts
    assert len(published.bot.slack.messages(CHANNEL)) == 8


def test_a_rendered_video_is_uploaded_once_in_its_creatives_thread(published: Published) -> None:
    services, cid = published.bot.services, published.campaign_id
    creative = services.documents.get(f"campaigns/{cid}/creatives/A")
    video_id = creative["video_id"]
    blob = f"campaigns/{cid}/render/{video_id}/out/9x16.mp4"
    services.blobs.put(blob, b"\x00\x00\x00\x18ftypmp42-fake-video", content_type="video/mp4")
    video = services.documents.get(f"campaigns/{cid}/videos/{video_id}")
    services.documents.set(
        f"campaigns/{cid}/videos/{video_id}",
        {**video, "render_status": "done", "assets": {"9x16": {"video": blob, "poster": "no.jpg"}}},
    )

    _republish(published)
    _republish(published)

    (ask,) = published.bot.slack.calls("files.getUploadURLExternal")
    assert ask.args["filename"].endswith("9x16.mp4") and "-A-" in ask.args["filename"]
    (done,) = published.bot.slack.calls("files.completeUploadExternal")
    assert (done.args["channel_id"], done.args["thread_ts"]) == (CHANNEL, creative["slack_ts"])
    assert list(published.bot.slack.uploads.values()) == [b"\x00\x00\x00\x18ftypmp42-fake-video"]
    assert "rendered; the video is attached in the thread" in str(
        published.bot.slack.message(CHANNEL, creative["slack_ts"]).blocks
    )


def test_a_campaign_started_outside_slack_is_published_nowhere(bot: Bot) -> None:
    campaign = start_campaign(bot.services, load_brief(EXAMPLES / "glowdrop-serum.yaml").brief)

    assert wait_for_campaign(bot.services, campaign.id, timeout_s=60)["status"] == "complete"
    bot.idle()
    assert bot.slack.calls("chat.postMessage") == []
    assert (
        bot.services.documents.get(f"campaigns/{campaign.id}")["steps"]["publish"]["status"]
        == "done"
    )


def test_a_progress_poll_leaves_the_campaign_document_alone(published: Published) -> None:
    """The poller runs every few seconds while a campaign runs: it is no pipeline progress, and
    it must not make the campaign document (one write per step) a hot spot."""
    docs, cid = published.bot.services.documents, published.campaign_id
    runner = published.bot.runtime.runner
    before = docs.get(f"campaigns/{cid}")

    assert runner.handle(Task(cid, "progress", "poll.0", queue="feedback")).status == 200
    edits = len(published.bot.slack.calls("chat.update"))
    assert runner.handle(Task(cid, "progress", "again.0", queue="feedback")).status == 200

    assert docs.get(f"campaigns/{cid}") == before
    assert len(published.bot.slack.calls("chat.update")) == edits, "nothing changed: no edit"


def test_concurrent_deliveries_post_a_message_once(tmp_path: Path) -> None:
    """Cloud Tasks can run two copies of a task at once: of deliveries racing for one message
    exactly one posts; the others are told to retry (and then find it posted)."""
    from shared.bootstrap import bootstrap
    from shared.errors import TransientError
    from shared.ports.chat import Posted
    from shared.settings import Settings

    services = bootstrap(Settings(home=tmp_path))
    posts: list[int] = []
    start = threading.Barrier(4)

    def post() -> Posted:
        posts.append(1)
        time.sleep(0.3)  # Slack answers while the other deliveries arrive
        return Posted("C1", f"{len(posts)}.0")

    def deliver() -> str:
        start.wait()
        try:
            posted, _ = post_once(services, "c1:creative:A", post, lambda since: None)
        except TransientError:
            return "retry"
        return posted.ts

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: deliver(), range(4)))

    assert len(posts) == 1
    assert sorted(answers) == ["1.0", "retry", "retry", "retry"]
    assert post_once(services, "c1:creative:A", post, lambda since: None) == (
        Posted("C1", "1.0"),
        False,
    )
    services.close()
