"""Only requests Slack signed, within five minutes, get in."""

from __future__ import annotations

import json
import time

from tests.bot.conftest import Bot

BODY = (
    "token=legacy&team_id=T0ADLOOP&channel_id=C0CAMPAIGN&user_id=U1&command=%2Fadloop"
    "&text=help&trigger_id=1.2.3"
)
FORM = "application/x-www-form-urlencoded"


def test_a_signed_request_is_answered(bot: Bot) -> None:
    answer = bot.send(BODY, FORM)
    assert answer.status_code == 200 and "/adloop status" in answer.json()["text"]
    assert answer.json()["response_type"] == "ephemeral"


def test_unsigned_requests_get_401(bot: Bot) -> None:
    answer = bot.http.post(
        f"{bot.runtime.url}/slack/events", content=BODY, headers={"Content-Type": FORM}
    )
    assert answer.status_code == 401


def test_forged_requests_get_401(bot: Bot) -> None:
    assert bot.send(BODY, FORM, secret="not-the-signing-secret").status_code == 401


def test_a_signature_over_another_body_gets_401(bot: Bot) -> None:
    ts = str(int(time.time()))
    good = bot.send(BODY, FORM, timestamp=int(ts)).request.headers["X-Slack-Signature"]
    tampered = BODY.replace("help", "retry")
    answer = bot.http.post(
        f"{bot.runtime.url}/slack/events",
        content=tampered,
        headers={"Content-Type": FORM, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": good},
    )
    assert answer.status_code == 401


def test_stale_requests_get_401(bot: Bot) -> None:
    assert bot.send(BODY, FORM, timestamp=int(time.time()) - 6 * 60).status_code == 401
    assert bot.send(BODY, FORM, timestamp=int(time.time()) - 4 * 60).status_code == 200


def test_the_events_url_verification_is_answered(bot: Bot) -> None:
    body = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    answer = bot.send(body, "application/json")
    assert answer.status_code == 200
    assert answer.json()["challenge"].startswith("3eZbrw1")
