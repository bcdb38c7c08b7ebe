"""The Slack bot under test: the embedded runtime (real SQLite state, real local queue, real
pipeline) with ``POST /slack/events`` mounted, talking through the real slack_sdk to a fake Slack
Web API; requests reach it over HTTP, signed the way Slack signs them."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.settings import Settings
from tests.conftest import EXAMPLES
from tests.fakes.slack_api import BOT_USER, FakeSlackAPI
from tests.media.rendered import give_rendered_videos

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CHANNEL = "C0CAMPAIGN"
REVIEWER = "U0REVIEWER"
GROUP_REVIEWER = "U0INGROUP"
OUTSIDER = "U0OUTSIDER"
_ids = itertools.count(1)


def wait_until(
    check: Callable[[], Any], *, timeout_s: float = 30.0, what: str = "condition"
) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Bot:
    """The running bot and what a test needs to drive it."""

    runtime: LocalRuntime
    slack: FakeSlackAPI
    http: httpx.Client

    @property
    def services(self) -> Any:
        return self.runtime.services

    def send(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str = SECRET,
    ) -> httpx.Response:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        signed = {
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            "Content-Type": content_type,
            **(headers or {}),
        }
        return self.http.post(
            f"{self.runtime.url}/slack/events", content=body.encode(), headers=signed
        )

    def command(
        self,
        text: str,
        *,
        user: str = REVIEWER,
        channel: str = CHANNEL,
        trigger_id: str | None = None,
        team: str = "T0ADLOOP",
    ) -> httpx.Response:
        form = {
            "token": "legacy",
            "team_id": team,
            "team_domain": "adloop-test",
            "channel_id": channel,
            "channel_name": "ads",
            "user_id": user,
            "user_name": "pat",
            "command": "/adloop",
            "text": text,
            "api_app_id": "A0ADLOOP",
            "is_enterprise_install": "false",
            "response_url": f"{self.slack.url}/commands/T0ADLOOP/1/x",
            "trigger_id": trigger_id or f"{next(_ids)}.1.trigger",
        }
        return self.send(urlencode(form), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        return self.send(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> httpx.Response:
        body = {
            "token": "legacy",
            "team_id": "T0ADLOOP",
            "api_app_id": "A0ADLOOP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):09d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0ADLOOP", "user_id": BOT_USER, "is_bot": True}],
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        return self.send(json.dumps(body), "application/json", headers=headers)

    def idle(self) -> None:
        """Wait until the queue has nothing left to deliver."""
        wait_until(
            lambda: self.runtime.queue.pending() == 0 and self.runtime.dispatcher.busy == 0,
            what="the queue to drain",
        )

    def creative(self, campaign_id: str, label: str) -> dict[str, Any]:
        return self.services.documents.get(f"campaigns/{campaign_id}/creatives/{label}")


def make_settings(home: Path, slack: FakeSlackAPI) -> Settings:
    return Settings(
        home=home,
        render=False,  # rendering is the render job's to test; here videos are not rendered
        llm="offline",
        log_level="WARNING",
        queue_concurrency=4,
        slack_signing_secret=SECRET,
        slack_bot_token="xoxb-test-token",
        slack_api_url=slack.api_url,
        slack_reviewers=[REVIEWER, "S0REVIEWERS"],
        meta_page_id="100000000000001",  # the Page Meta exports' ads run as
    )


def start_bot(home: Path, slack: FakeSlackAPI) -> Bot:
    """The runtime as ``adloop serve`` builds it with Slack configured (it mounts the route)."""
    runtime = LocalRuntime(make_settings(home, slack)).start()
    return Bot(runtime, slack, httpx.Client(timeout=10))


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI(usergroups={"S0REVIEWERS": [GROUP_REVIEWER]}) as fake:
        yield fake


@pytest.fixture
def bot(tmp_path: Path, slack: FakeSlackAPI) -> Iterator[Bot]:
    b = start_bot(tmp_path / "home", slack)
    yield b
    b.http.close()
    b.runtime.stop()


@dataclass
class Published:
    bot: Bot
    campaign_id: str


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """One campaign started from Slack (as ``/adloop new`` does), run through the pipeline and
    posted.
    Shared by the tests of reactions, replies and publishing (each works on its own creative)
    because posting is rate-limited to a message per second."""
    with FakeSlackAPI(usergroups={"S0REVIEWERS": [GROUP_REVIEWER]}) as fake:
        b = start_bot(tmp_path_factory.mktemp("home"), fake)
        brief = load_brief(EXAMPLES / "glowdrop-serum.yaml").brief
        from bot.commands import start_from_slack

        campaign = start_from_slack(
            b.services, brief, request_id="module-campaign", channel=CHANNEL
        )
        assert wait_for_campaign(b.services, campaign.id, timeout_s=60)["status"] == "complete"
        b.idle()
        yield Published(b, campaign.id)
        b.http.close()
        b.runtime.stop()


def give_videos(bot: Bot, campaign_id: str, tmp: Path) -> None:
    """What the render job leaves (bot tests do not render): tests/media/rendered.py."""
    give_rendered_videos(bot.services, campaign_id, tmp)


def reply_in_thread(
    pub: Published,
    label: str,
    text: str,
    *,
    event_id: str | None = None,
    retry: int | None = None,
    ts_suffix: str = "1",
    **extra: Any,
) -> str:
    """A reviewer's reply ``text`` in creative ``label``'s thread, delivered as Slack's Events
    API would; its thread's ts. ``ts_suffix`` keeps replies of different tests apart."""
    thread = pub.bot.creative(pub.campaign_id, label)["slack_ts"]
    event = {
        "type": "message",
        "channel": CHANNEL,
        "user": OUTSIDER,
        "text": text,
        "ts": f"{thread}{ts_suffix}",
        "thread_ts": thread,
        "channel_type": "channel",
        "event_ts": f"{thread}{ts_suffix}",
        **extra,
    }
    assert pub.bot.event(event, event_id=event_id, retry=retry).status_code == 200
    return str(thread)
