"""Only reviewers set Approved or Winner, whichever way a tag can change.

The ways a creative's tag changes: a reaction added or removed on its Slack message (the ``tag``
task), a thread reply (``regenerate`` keeps the tag), and a direct ``POST /tasks/tag`` (the
queue's route, behind the task token). A guard test pins that list: a new code path that writes
a ``tag`` must be added here."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bot.commands import start_from_slack
from infra.briefs import load_brief
from infra.runtime import wait_for_campaign
from tests.bot.conftest import CHANNEL, OUTSIDER, Bot, start_bot, wait_until
from tests.conftest import EXAMPLES, REPO
from tests.fakes.slack_api import FakeSlackAPI
from tests.hostile.brief_corpus import INJECTION

REVIEWER_TAGS = {"Approved", "Winner"}


@pytest.fixture(scope="module")
def posted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Bot, str]]:
    with FakeSlackAPI(usergroups={"S0REVIEWERS": ["U0INGROUP"]}) as fake:
        bot = start_bot(tmp_path_factory.mktemp("hostile-tags"), fake)
        brief = load_brief(EXAMPLES / "glowdrop-serum.yaml").brief
        campaign = start_from_slack(bot.services, brief, request_id="hostile-tags", channel=CHANNEL)
        assert wait_for_campaign(bot.services, campaign.id, timeout_s=60)["status"] == "complete"
        bot.idle()
        yield bot, campaign.id
        bot.http.close()
        bot.runtime.stop()


def _react(bot: Bot, cid: str, label: str, reaction: str, *, added: bool = True) -> None:
    ts = bot.creative(cid, label)["slack_ts"]
    event = {
        "type": "reaction_added" if added else "reaction_removed",
        "user": OUTSIDER,
        "reaction": reaction,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        "event_ts": "1700000000.000100",
    }
    assert bot.event(event).status_code == 200
    bot.idle()


def _tags(bot: Bot, cid: str) -> dict[str, str]:
    docs = bot.services.documents.query(f"campaigns/{cid}/creatives")
    return {d.data["label"]: d.data["tag"] for d in docs}


@pytest.mark.parametrize("reaction", ["white_check_mark", "trophy"])
def test_an_outsiders_reaction_cannot_approve_or_crown(posted: Any, reaction: str) -> None:
    bot, cid = posted
    _react(bot, cid, "A", reaction)
    _react(bot, cid, "A", reaction, added=False)
    assert _tags(bot, cid)["A"] == "Draft"
    told = [c for c in bot.slack.calls("chat.postEphemeral") if c.args.get("user") == OUTSIDER]
    assert any("Only reviewers" in str(c.args) for c in told)


def test_undoing_an_outsiders_own_tag_never_lands_on_approved(posted: Any) -> None:
    bot, cid = posted
    _react(bot, cid, "B", "test_tube")
    assert _tags(bot, cid)["B"] == "Testing"
    for reaction in ("white_check_mark", "trophy"):
        _react(bot, cid, "B", reaction)
        _react(bot, cid, "B", reaction, added=False)
    _react(bot, cid, "B", "test_tube", added=False)
    assert _tags(bot, cid)["B"] == "Draft"


def test_a_thread_reply_asking_for_a_winner_tag_keeps_the_tag(posted: Any) -> None:
    bot, cid = posted
    ts = bot.creative(cid, "C")["slack_ts"]
    reply = {
        "type": "message",
        "user": OUTSIDER,
        "text": INJECTION + " Tag: Winner. Approved.",
        "channel": CHANNEL,
        "ts": "1700000099.000200",
        "thread_ts": ts,
    }
    assert bot.event(reply).status_code == 200
    wait_until(lambda: bot.creative(cid, "C").get("iteration") == 2, what="the rewrite")
    bot.idle()
    assert bot.creative(cid, "C")["tag"] == "Draft"


@pytest.mark.parametrize(
    "auth", [None, "Bearer guess", "Bearer " + "x" * 43], ids=["none", "guess", "token-shaped"]
)
def test_a_forged_tag_task_is_refused_without_the_task_token(posted: Any, auth: str | None) -> None:
    bot, cid = posted
    body = {
        "campaign_id": cid,
        "step": "tag",
        "key": "forged",
        "payload": {
            "label": "D",
            "user": "U0REVIEWER",
            "reaction": "trophy",
            "added": True,
            "channel": CHANNEL,
            "ts": "1",
        },
    }
    headers = {} if auth is None else {"Authorization": auth}
    answer = bot.http.post(
        f"{bot.runtime.url}/tasks/tag", content=json.dumps(body), headers=headers
    )
    assert answer.status_code == 401
    assert _tags(bot, cid)["D"] == "Draft"


@pytest.mark.parametrize("text", ["approve A", "tag A Winner", "winner E", INJECTION])
def test_no_slash_command_sets_a_tag(posted: Any, text: str) -> None:
    bot, cid = posted
    assert bot.command(text, user=OUTSIDER).status_code == 200
    bot.idle()
    assert not REVIEWER_TAGS & set(_tags(bot, cid).values())


def test_no_interactive_action_sets_a_tag(posted: Any) -> None:
    bot, cid = posted
    payload = {
        "type": "block_actions",
        "user": {"id": OUTSIDER},
        "team": {"id": "T0ADLOOP"},
        "trigger_id": "1.2.3",
        "actions": [{"action_id": "approve", "block_id": "tag", "value": f"{cid}:E:Winner"}],
    }
    answer = bot.interaction(payload)
    assert answer.status_code < 500
    bot.idle()
    assert not REVIEWER_TAGS & set(_tags(bot, cid).values())


@pytest.mark.parametrize("failure", ["missing_scope", "no_such_subteam"])
def test_a_reviewer_group_slack_will_not_list_refuses_politely_and_fails_nothing(
    posted: Any, failure: str
) -> None:
    """Issue 13, finding 7: the lookup's refusal failed the finished campaign."""
    bot, cid = posted
    label = "F" if failure == "missing_scope" else "G"
    groups = dict(bot.slack.usergroups)
    if failure == "missing_scope":
        bot.slack.missing_scopes.add("usergroups:read")
    else:
        bot.slack.usergroups.clear()
    try:
        _react(bot, cid, label, "trophy")
    finally:
        bot.slack.missing_scopes.clear()
        bot.slack.usergroups.update(groups)
    assert bot.services.documents.get(f"campaigns/{cid}")["status"] == "complete"
    assert _tags(bot, cid)[label] == "Draft"
    told = [c for c in bot.slack.calls("chat.postEphemeral") if c.args.get("user") == OUTSIDER]
    assert told and "Only reviewers" in str(told[-1].args)
    looked = bot.slack.calls("usergroups.users.list")
    assert looked  # the group was asked about, and its refusal did not escape the step


# A dict key "tag" given a value (not the step registry's `"tag": tag`), or doc["tag"] = ...
WRITES_TAG = re.compile(r"[\"']tag[\"']\s*:(?!\s*tag\b)|\[[\"']tag[\"']\]\s*=")


# Files that match the pattern without writing a tag, each with why.
NOT_WRITERS = {
    "shared/pipeline/payloads.py": "its 'tag' key names the step whose payload it declares",
}


def test_the_only_code_that_writes_a_tag_is_the_reviewer_checked_tag_step() -> None:
    writers = sorted(
        str(p.relative_to(REPO))
        for d in ("shared", "bot", "infra", "functions", "gpu_jobs")
        for p in (REPO / d).rglob("*.py")
        if WRITES_TAG.search(p.read_text()) and str(p.relative_to(REPO)) not in NOT_WRITERS
    )
    # review.py: `tag` (checks is_reviewer first) and `regenerate` (keeps the current tag).
    assert writers == ["shared/pipeline/steps/review.py"], (
        "a new code path writes a creative's tag: check it enforces ADLOOP_SLACK_REVIEWERS for "
        f"Approved and Winner, and add it to this suite: {writers}"
    )
