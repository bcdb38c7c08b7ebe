"""Export from Slack: the buttons on a finished campaign's message give reviewers the platform's
bulk-upload file in the campaign's thread, once per click; anyone else, or a campaign with nothing
approved, gets a private reason and no file.

Two campaigns are published once for the module, in two channels so their posts are not spaced
behind each other: one that reviewers approve creatives of, one nobody approves."""

from __future__ import annotations

import csv
import io
import itertools
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.commands import start_from_slack
from bot.export_action import export_task
from infra.briefs import load_brief
from infra.runtime import wait_for_campaign
from shared.adapters.slack_web import campaign_blocks
from shared.loop.export_step import package
from shared.pipeline.steps.publish import campaign_card
from shared.pipeline.store import marker_path
from shared.platforms.tracking import parse_code
from tests.bot.conftest import (
    CHANNEL,
    GROUP_REVIEWER,
    OUTSIDER,
    REVIEWER,
    Bot,
    give_videos,
    start_bot,
    wait_until,
)
from tests.conftest import EXAMPLES
from tests.fakes.slack_api import FakeSlackAPI

QUIET_CHANNEL = "C0NOAPPROVALS"
_clicks = itertools.count(1)


@dataclass
class Campaigns:
    bot: Bot
    reviewed: str  # in CHANNEL: the tests approve its creatives
    untouched: str  # in QUIET_CHANNEL: nothing is ever approved


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaigns]:
    with FakeSlackAPI(usergroups={"S0REVIEWERS": [GROUP_REVIEWER]}) as fake:
        bot = start_bot(tmp_path_factory.mktemp("export-home"), fake)
        brief = load_brief(EXAMPLES / "glowdrop-serum.yaml").brief
        ids = [
            start_from_slack(bot.services, brief, request_id=f"export-{ch}", channel=ch).id
            for ch in (CHANNEL, QUIET_CHANNEL)
        ]
        for cid in ids:
            assert wait_for_campaign(bot.services, cid, timeout_s=60)["status"] == "complete"
        bot.idle()
        yield Campaigns(bot, *ids)
        bot.http.close()
        bot.runtime.stop()


def _where(bot: Bot, cid: str) -> tuple[str, str]:
    campaign = bot.services.documents.get(f"campaigns/{cid}")
    return str(campaign["slack_channel"]), str(campaign["slack_ts"])


def _click(
    bot: Bot, cid: str, platform: str, user: str, *, action_ts: str | None = None
) -> dict[str, Any]:
    """Click the campaign message's Export button for ``platform``, as Slack reports a click."""
    channel, ts = _where(bot, cid)
    message = bot.slack.message(channel, ts)
    button = next(
        e
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == f"adloop_export_{platform}"
    )
    body = {
        "type": "block_actions",
        "user": {"id": user, "username": "pat", "name": "pat", "team_id": "T0ADLOOP"},
        "api_app_id": "A0ADLOOP",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": f"{next(_clicks)}.1.trigger",
        "team": {"id": "T0ADLOOP", "domain": "adloop-test"},
        "channel": {"id": channel, "name": "ads"},
        "message": {"type": "message", "ts": ts, "text": message.text, "blocks": message.blocks},
        "response_url": f"{bot.slack.url}/actions/T0ADLOOP/1/x",
        "actions": [
            {
                **button,
                "block_id": "exp",
                "action_ts": action_ts or f"{time.time():.6f}{next(_clicks)}",
            }
        ],
    }
    response = bot.interaction(body)
    assert (response.status_code, response.text) == (200, "")  # acknowledged, nothing shown
    return body


def _approve(bot: Bot, cid: str, *labels: str) -> None:
    for label in labels:
        creative = bot.creative(cid, label)
        event = {
            "type": "reaction_added",
            "user": REVIEWER,
            "reaction": "white_check_mark",
            "item": {"type": "message", "channel": CHANNEL, "ts": creative["slack_ts"]},
            "event_ts": "1700000000.000100",
        }
        assert bot.event(event).status_code == 200
    for label in labels:
        wait_until(lambda label=label: bot.creative(cid, label)["tag"] == "Approved", what=label)


def _thread_files(bot: Bot, cid: str) -> list[bytes]:
    channel, ts = _where(bot, cid)
    return [
        bot.slack.uploads[f] for m in bot.slack.messages(channel, thread_ts=ts) for f in m.files
    ]


def _thread_notes(bot: Bot, cid: str) -> list[str]:
    channel, ts = _where(bot, cid)
    return [m.text for m in bot.slack.messages(channel, thread_ts=ts) if not m.files]


def _ephemerals(bot: Bot, user: str) -> list[dict[str, Any]]:
    return [c.args for c in bot.slack.calls("chat.postEphemeral") if c.args["user"] == user]


def test_a_reviewer_approves_then_exports_for_meta_into_the_campaign_thread(
    campaigns: Campaigns, tmp_path: Path
) -> None:
    bot, cid = campaigns.bot, campaigns.reviewed
    _approve(bot, cid, "A", "C")
    give_videos(bot, cid, tmp_path)
    before = len(_thread_files(bot, cid))

    _click(bot, cid, "meta", REVIEWER)

    wait_until(lambda: len(_thread_files(bot, cid)) > before, what="the export file")
    bot.idle()
    sheet, bundle = _thread_files(bot, cid)[before:]  # the sheet, then it with its videos
    assert sorted(n for n in zipfile.ZipFile(io.BytesIO(bundle)).namelist() if "videos/" in n)
    rows = list(csv.DictReader(io.StringIO(sheet.decode("utf-8"))))
    assert {parse_code(r["Ad Name"]) for r in rows} == {(cid, "A"), (cid, "C")}
    # Meta appends URL Tags to the link: the tracking code is there, once, not in Link too.
    assert all(
        r["URL Tags"].endswith(f"utm_content=adl.{cid}.{parse_code(r['Ad Name'])[1]}") for r in rows
    )
    assert not any("utm_content" in r["Link"] for r in rows)
    asked = [
        c.args["filename"]
        for c in bot.slack.calls("files.getUploadURLExternal")
        if c.args["filename"].startswith(cid)
    ]
    assert asked == [f"{cid}-meta-ads-import.csv", f"{cid}-meta-export.zip"]
    note = _thread_notes(bot, cid)[-1]
    assert "Meta export" in note and f"adl.{cid}.A" in note and f"adl.{cid}.C" in note
    assert f"adl.{cid}.B" not in note


def test_nothing_approved_is_explained_privately_and_nothing_is_uploaded(
    campaigns: Campaigns,
) -> None:
    bot, cid = campaigns.bot, campaigns.untouched
    seen = len(_ephemerals(bot, REVIEWER))

    _click(bot, cid, "meta", REVIEWER)

    told = wait_until(lambda: _ephemerals(bot, REVIEWER)[seen:], what="the ephemeral")
    bot.idle()
    assert told[0]["channel"] == QUIET_CHANNEL
    assert "Nothing was exported for Meta" in told[0]["text"] and "Approved" in told[0]["text"]
    assert _thread_files(bot, cid) == [] and _thread_notes(bot, cid) == []
    assert not [
        c for c in bot.slack.calls("files.getUploadURLExternal") if cid in c.args["filename"]
    ]


def test_a_non_reviewers_click_is_refused_privately_and_uploads_nothing(
    campaigns: Campaigns,
) -> None:
    bot, cid = campaigns.bot, campaigns.reviewed
    _approve(bot, cid, "A")
    files, notes = len(_thread_files(bot, cid)), len(_thread_notes(bot, cid))

    _click(bot, cid, "meta", OUTSIDER)

    (told,) = wait_until(lambda: _ephemerals(bot, OUTSIDER), what="the ephemeral")
    bot.idle()
    assert told["channel"] == CHANNEL and "Only reviewers can export" in told["text"]
    assert len(_thread_files(bot, cid)) == files and len(_thread_notes(bot, cid)) == notes


def test_one_click_delivered_twice_and_redelivered_after_a_crash_uploads_once(
    campaigns: Campaigns, tmp_path: Path
) -> None:
    bot, cid = campaigns.bot, campaigns.reviewed
    _approve(bot, cid, "A")  # a member of a reviewer group clicks: groups count
    give_videos(bot, cid, tmp_path)
    files, notes = len(_thread_files(bot, cid)), len(_thread_notes(bot, cid))

    body = _click(bot, cid, "tiktok", GROUP_REVIEWER, action_ts="1700000123.000001")
    _click(bot, cid, "tiktok", GROUP_REVIEWER, action_ts="1700000123.000001")
    wait_until(lambda: len(_thread_files(bot, cid)) > files, what="the export file")
    bot.idle()
    # As if the first delivery uploaded and posted but died before its commit.
    task = export_task(body)
    assert task is not None
    bot.services.documents.delete(marker_path(task))
    assert bot.runtime.runner.handle(task).status == 200

    sheet, _bundle = _thread_files(bot, cid)[files:]  # each once, whatever the redeliveries
    assert parse_code(next(csv.DictReader(io.StringIO(sheet.decode())))["Ad Name"]) == (cid, "A")
    assert len(_thread_notes(bot, cid)) == notes + 1
    assert "TikTok export" in _thread_notes(bot, cid)[-1]


# --- the pure parts ---------------------------------------------------------------------------


def test_only_a_finished_campaign_with_creatives_shows_the_export_buttons() -> None:
    campaign = {"id": "c1", "brief": {"product": "GlowDrop"}, "status": "complete", "steps": {}}
    (actions,) = [
        b for b in campaign_blocks(campaign_card(campaign, creatives=7)) if b["type"] == "actions"
    ]
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("adloop_export_meta", "c1"),
        ("adloop_export_google", "c1"),
        ("adloop_export_tiktok", "c1"),
    ]
    for status, count in (("running", 7), ("failed", 7), ("complete", 0)):
        card = campaign_card({**campaign, "status": status}, creatives=count)
        assert all(b["type"] != "actions" for b in campaign_blocks(card))


def test_a_click_names_its_task_by_platform_and_click() -> None:
    body = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "C1"},
        "actions": [{"action_id": "adloop_export_google", "value": "c9", "action_ts": "3.4"}],
    }
    task = export_task(body)
    assert task is not None
    assert (task.campaign_id, task.step, task.key, task.queue) == (
        "c9",
        "export",
        "google-3.4",
        "feedback",
    )
    assert task.payload == {"platform": "google", "user": "U1", "channel": "C1", "thread_ts": "1.2"}
    other = {**body, "actions": [{"action_id": "adloop_export_myspace", "value": "c9"}]}
    assert export_task(other) is None


def test_an_export_with_videos_uploads_the_sheet_and_a_zip_holding_them(tmp_path: Path) -> None:
    sheet = tmp_path / "tiktok-bulk-ads.csv"
    sheet.write_text("Ad Name,Video Name\nadl.c9.A,adl.c9.A.9x16.mp4\n", encoding="utf-8")
    video = tmp_path / "videos" / "adl.c9.A.9x16.mp4"
    video.parent.mkdir()
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    remarks = tmp_path / "tiktok-bulk-ads-notes.txt"
    remarks.write_text("B: no 9:16 video rendered; TikTok needs one\n", encoding="utf-8")

    made = package("c9", "tiktok", "U1", tmp_path, [sheet, video, remarks])

    assert [u.filename for u in made.uploads] == ["c9-tiktok-bulk-ads.csv", "c9-tiktok-export.zip"]
    with zipfile.ZipFile(io.BytesIO(made.uploads[1].data)) as z:
        assert sorted(z.namelist()) == [
            "tiktok-bulk-ads-notes.txt",
            "tiktok-bulk-ads.csv",
            "videos/adl.c9.A.9x16.mp4",
        ]
        assert z.read("videos/adl.c9.A.9x16.mp4") == video.read_bytes()
    assert "1 creative in 1 row — `adl.c9.A`" in made.note
    assert "B: no 9:16 video rendered" in made.note and "TikTok Ads Manager" in made.note
