"""Reactions on a creative's message set its tag; reviewers alone may approve or crown a winner."""

from __future__ import annotations

from typing import Any

from tests.bot.conftest import CHANNEL, GROUP_REVIEWER, OUTSIDER, REVIEWER, Published, wait_until


def _react(
    pub: Published,
    label: str,
    reaction: str,
    user: str,
    *,
    added: bool = True,
    event_id: str | None = None,
) -> None:
    creative = pub.bot.creative(pub.campaign_id, label)
    event = {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": reaction,
        "item_user": "UBOTADLOOP",
        "item": {"type": "message", "channel": CHANNEL, "ts": creative["slack_ts"]},
        "event_ts": "1700000000.000100",
    }
    assert pub.bot.event(event, event_id=event_id).status_code == 200


def _audit(pub: Published, label: str) -> list[dict[str, Any]]:
    docs = pub.bot.services.documents.query(
        "audit", [("campaign_id", "==", pub.campaign_id), ("label", "==", label)]
    )
    return sorted((d.data for d in docs), key=lambda a: a["at"])


def _shown(pub: Published, label: str) -> str:
    ts = pub.bot.creative(pub.campaign_id, label)["slack_ts"]
    return str(pub.bot.slack.message(CHANNEL, ts).blocks)


def test_a_reviewers_reaction_tags_audits_and_edits_the_message(published: Published) -> None:
    _react(published, "A", "white_check_mark", REVIEWER)

    wait_until(
        lambda: published.bot.creative(published.campaign_id, "A")["tag"] == "Approved",
        what="the tag",
    )
    published.bot.idle()
    (entry,) = _audit(published, "A")
    assert (entry["actor"], entry["from_value"], entry["to_value"], entry["version"]) == (
        REVIEWER,
        "Draft",
        "Approved",
        1,
    )
    assert "*Tag*\\nApproved" in _shown(published, "A")


def test_removing_the_reaction_restores_the_previous_tag(published: Published) -> None:
    _react(published, "B", "test_tube", OUTSIDER)
    wait_until(
        lambda: published.bot.creative(published.campaign_id, "B")["tag"] == "Testing",
        what="Testing",
    )
    _react(published, "B", "pencil2", OUTSIDER)
    wait_until(
        lambda: published.bot.creative(published.campaign_id, "B")["tag"] == "Needs Revision",
        what="NR",
    )

    _react(published, "B", "pencil2", OUTSIDER, added=False)

    wait_until(
        lambda: published.bot.creative(published.campaign_id, "B")["tag"] == "Testing",
        what="restored",
    )
    published.bot.idle()
    assert [(a["action"], a["from_value"], a["to_value"]) for a in _audit(published, "B")] == [
        ("tag", "Draft", "Testing"),
        ("tag", "Testing", "Needs Revision"),
        ("untag", "Needs Revision", "Testing"),
    ]
    assert "*Tag*\\nTesting" in _shown(published, "B")


def test_a_non_reviewers_winner_is_refused_privately_and_changes_nothing(
    published: Published,
) -> None:
    edits_before = published.bot.slack.message(
        CHANNEL, published.bot.creative(published.campaign_id, "C")["slack_ts"]
    ).edits

    _react(published, "C", "trophy", OUTSIDER)

    call = wait_until(
        lambda: [
            c for c in published.bot.slack.calls("chat.postEphemeral") if c.args["user"] == OUTSIDER
        ],
        what="the ephemeral",
    )[0]
    published.bot.idle()
    assert call.args["channel"] == CHANNEL and "Only reviewers" in call.args["text"]
    assert published.bot.creative(published.campaign_id, "C")["tag"] == "Draft"
    assert _audit(published, "C") == []
    assert (
        published.bot.slack.message(
            CHANNEL, published.bot.creative(published.campaign_id, "C")["slack_ts"]
        ).edits
        == edits_before
    )
    # Taking the refused reaction back changes nothing either.
    _react(published, "C", "trophy", OUTSIDER, added=False)
    published.bot.idle()
    assert published.bot.creative(published.campaign_id, "C")["tag"] == "Draft"


def test_a_member_of_a_reviewer_group_may_crown_a_winner(published: Published) -> None:
    _react(published, "D", "trophy", GROUP_REVIEWER)

    wait_until(
        lambda: published.bot.creative(published.campaign_id, "D")["tag"] == "Winner", what="Winner"
    )
    calls = published.bot.slack.calls("usergroups.users.list")
    assert calls and calls[-1].args["usergroup"] == "S0REVIEWERS"


def test_one_reaction_delivered_three_times_changes_the_tag_once(published: Published) -> None:
    for _ in range(3):
        _react(published, "E", "test_tube", OUTSIDER, event_id="Ev0REACTTWICE")
    wait_until(
        lambda: published.bot.creative(published.campaign_id, "E")["tag"] == "Testing",
        what="Testing",
    )
    published.bot.idle()
    assert len(_audit(published, "E")) == 1
    assert published.bot.creative(published.campaign_id, "E")["tag_history"] == ["Draft"]


def test_reactions_elsewhere_are_ignored(published: Published) -> None:
    before = len(published.bot.services.documents.query("audit"))
    campaign_ts = published.bot.services.documents.get(f"campaigns/{published.campaign_id}")[
        "slack_ts"
    ]
    event = {
        "type": "reaction_added",
        "user": REVIEWER,
        "reaction": "trophy",
        "item": {"type": "message", "channel": CHANNEL, "ts": campaign_ts},
        "event_ts": "1.2",
    }
    assert published.bot.event(event).status_code == 200
    _react(published, "F", "thumbsup", REVIEWER)
    published.bot.idle()
    assert len(published.bot.services.documents.query("audit")) == before
