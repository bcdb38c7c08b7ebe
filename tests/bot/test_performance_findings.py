"""When the platforms' numbers make a creative a winner (or a loser), the bot says so in that
creative's thread and suggests the tag; learning again posts nothing twice."""

from __future__ import annotations

from bot.commands import start_from_slack
from infra.briefs import load_brief
from infra.runtime import wait_for_campaign
from shared.loop.ingest import ingest_rows
from shared.models import PerformanceSnapshot
from shared.platforms.reports import Row
from shared.platforms.tracking import tracking_code
from shared.ports.queue import Task
from tests.bot.conftest import CHANNEL, Bot, wait_until
from tests.conftest import EXAMPLES


def test_a_winner_is_posted_in_its_thread_once(bot: Bot) -> None:
    brief = load_brief(EXAMPLES / "glowdrop-serum.yaml").brief
    cid = start_from_slack(bot.services, brief, request_id="findings", channel=CHANNEL).id
    assert wait_for_campaign(bot.services, cid, timeout_s=60)["status"] == "complete"
    bot.idle()
    rows = [
        Row(
            PerformanceSnapshot(
                platform="meta",
                ad_id=f"p{label}",
                day="2026-11-20",
                impressions=20_000,
                clicks=clicks,
                spend=120.0,
                conversions=conv,
                revenue=conv * 45.0,
            ),
            f"GlowDrop {tracking_code(cid, label)}",
        )
        # F's click-through and conversion rates are far ahead of the rest.
        for label, clicks, conv in [
            ("A", 120, 3),
            ("B", 130, 4),
            ("C", 110, 3),
            ("D", 140, 4),
            ("E", 125, 3),
            ("F", 900, 40),
            ("G", 115, 3),
        ]
    ]
    ingest_rows(bot.services, rows, source="test-findings")
    for _ in range(2):  # learning twice (a redelivery, the next window) must not post twice
        bot.services.queue.enqueue(Task(cid, "loop_learn", "findings-test", queue="feedback"))
        bot.idle()
    thread = bot.creative(cid, "F")["slack_ts"]
    wait_until(
        lambda: any(
            "looks like a winner" in m.text for m in bot.slack.messages(CHANNEL, thread_ts=thread)
        )
    )
    notes = [
        m for m in bot.slack.messages(CHANNEL, thread_ts=thread) if "looks like a winner" in m.text
    ]
    assert len(notes) == 1
    assert "Suggested tag: Winner" in notes[0].text and "chance of beating" in notes[0].text
    assert bot.creative(cid, "F")["tag"] != "Winner", "only a reviewer's reaction sets the tag"
