"""No secret reaches a log line, the CLI's output or an HTTP answer: a whole campaign runs on the
embedded runtime with every secret set to a recognisable value (Claude through the fake Anthropic
API, Slack through the fake Web API), then signed and forged webhooks, Slack requests and task
calls arrive; everything logged at DEBUG, by adloop and by the libraries, is searched."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from infra.cli import main
from infra.runtime import LocalRuntime
from shared.log import configure
from shared.settings import Settings
from tests.conftest import EXAMPLES
from tests.fakes import Answer, FakeAnthropicAPI, RecordedRequest, anthropic_api
from tests.fakes.model_brain import answer
from tests.fakes.slack_api import FakeSlackAPI
from tests.loop.platforms import hub_signature, timed_signature

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-SECRET-slack-bot-token-1111",
    "SLACK_SIGNING_SECRET": "SECRET-slack-signing-2222",
    "ANTHROPIC_API_KEY": "sk-ant-SECRET-anthropic-3333",
    "META_APP_SECRET": "SECRET-meta-app-4444",
    "META_VERIFY_TOKEN": "SECRET-meta-verify-5555",
    "META_ACCESS_TOKEN": "SECRET-meta-access-6666",
    "TIKTOK_CLIENT_SECRET": "SECRET-tiktok-7777",
    "GOOGLE_ADS_WEBHOOK_SECRET": "SECRET-gads-8888",
    "ADLOOP_TASK_TOKEN": "SECRET-task-token-9999",
}
# Distinctive parts too, in case a value is cut or re-encoded on its way to a log.
NEEDLES = [
    *SECRETS.values(),
    *(v.rsplit("-", 2)[-2] + "-" + v.rsplit("-", 1)[-1] for v in SECRETS.values()),
]


def _leaks(*texts: str) -> list[str]:
    return [n for n in NEEDLES for t in texts if n in t]


def _claude(request: RecordedRequest) -> Answer:
    return Answer(answer(anthropic_api.prompt_of(request)))


@pytest.fixture
def fakes() -> Iterator[tuple[FakeAnthropicAPI, FakeSlackAPI]]:
    with FakeAnthropicAPI(responder=_claude) as claude, FakeSlackAPI() as slack:
        yield claude, slack


@pytest.fixture
def secret_env(
    home: Path, monkeypatch: pytest.MonkeyPatch, fakes: tuple[FakeAnthropicAPI, FakeSlackAPI]
) -> Path:
    claude, slack = fakes
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ADLOOP_LLM", "anthropic")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.url)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("ADLOOP_LOG_LEVEL", "DEBUG")
    return home


def test_a_whole_campaign_and_hostile_requests_log_no_secret(
    secret_env: Path,
    fakes: tuple[FakeAnthropicAPI, FakeSlackAPI],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    claude, slack = fakes
    caplog.set_level(logging.DEBUG)  # the libraries' loggers (anthropic, httpx, slack_sdk, ...)

    # 1. The CLI runs a campaign end to end on Claude; its logs go to its stderr at DEBUG.
    code = main(["campaign", "new", "--brief", str(EXAMPLES / "glowdrop-serum.yaml"), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err[-2000:]
    assert json.loads(out)["status"] == "complete"
    keys = {
        r.headers.get("x-api-key") or r.headers.get("authorization", "").removeprefix("Bearer ")
        for r in claude.requests
    }
    assert keys == {SECRETS["ANTHROPIC_API_KEY"]}, keys  # the key was used: a leak had its chance
    assert '"severity": "DEBUG"' in err or '"severity": "INFO"' in err, "logs were captured"

    # 2. The same runtime as a server, logging to a buffer: signed, forged and unauthorised calls.
    buffer = io.StringIO()
    configure("DEBUG", stream=buffer)
    answers = _hostile_requests(Settings())
    assert _leaks(out, err, caplog.text, buffer.getvalue(), *answers) == []
    assert buffer.getvalue(), "the server logged something to search"
    assert slack.calls("views.open"), "the bot token was used on the wire: a leak had its chance"


_slack_new = b"/adloop new"


def _signed_slack(
    call: tuple[str, str, bytes, dict[str, str]], now: int
) -> tuple[str, str, bytes, dict[str, str]]:
    """``/adloop new``, signed: the bot opens the form through the Web API with its token."""
    body = b"command=%2Fadloop&text=new&channel_id=C1&user_id=U1&team_id=T1&trigger_id=1.2.3"
    base = f"v0:{now}:".encode() + body
    digest = hmac.new(SECRETS["SLACK_SIGNING_SECRET"].encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "X-Slack-Signature": f"v0={digest}",
        "X-Slack-Request-Timestamp": str(now),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return call[0], call[1], body, headers


def _hostile_requests(settings: Settings) -> list[str]:
    """Answers (status and body) to a round of signed, forged and unauthorised requests."""
    now = int(time.time())
    report = json.dumps({"rows": [{"ad_id": "1", "date": "2026-03-01", "clicks": 1}]}).encode()
    tiktok = json.dumps({"data": {"list": []}}).encode()
    meta = json.dumps({"object": "ad_account", "entry": []}).encode()
    calls: list[tuple[str, str, bytes, dict[str, str]]] = [
        (
            "POST",
            "/webhooks/google-ads",
            report,
            {
                "X-Adloop-Signature": timed_signature(
                    SECRETS["GOOGLE_ADS_WEBHOOK_SECRET"], report, now
                )
            },
        ),
        (
            "POST",
            "/webhooks/google-ads",
            report,
            {"X-Adloop-Signature": timed_signature("guess", report, now)},
        ),
        (
            "POST",
            "/webhooks/tiktok",
            tiktok,
            {
                "TikTok-Signature": timed_signature(
                    SECRETS["TIKTOK_CLIENT_SECRET"], tiktok, now - 3600
                )
            },
        ),
        ("POST", "/webhooks/tiktok", b"{", {"TikTok-Signature": "t=1,s=2"}),
        (
            "POST",
            "/webhooks/meta",
            meta,
            {"X-Hub-Signature-256": hub_signature(SECRETS["META_APP_SECRET"], meta)},
        ),
        ("POST", "/webhooks/meta", meta, {"X-Hub-Signature-256": "sha256=00"}),
        (
            "GET",
            "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1",
            b"",
            {},
        ),
        (
            "POST",
            "/slack/events",
            b"command=%2Fadloop&text=help",
            {"X-Slack-Signature": "v0=00", "X-Slack-Request-Timestamp": str(now)},
        ),
        ("POST", "/slack/events", _slack_new, {}),
        (
            "POST",
            "/tasks/intake",
            b'{"campaign_id": "c1", "step": "intake"}',
            {"Authorization": "Bearer guess"},
        ),
        (
            "POST",
            "/tasks/intake",
            b"{",
            {"Authorization": f"Bearer {SECRETS['ADLOOP_TASK_TOKEN']}"},
        ),
        (
            "POST",
            "/tasks/intake",
            b'{"campaign_id": "nope", "step": "intake"}',
            {"Authorization": f"Bearer {SECRETS['ADLOOP_TASK_TOKEN']}"},
        ),
    ]
    texts = []
    calls = [_signed_slack(c, now) if c[2] is _slack_new else c for c in calls]
    with LocalRuntime(settings) as runtime, httpx.Client(timeout=10) as http:
        for method, path, body, headers in calls:
            r = http.request(method, runtime.url + path, content=body or None, headers=headers)
            assert r.status_code < 500, (path, r.status_code, r.text[:200])
            texts.append(f"{r.status_code} {r.headers} {r.text}")
    return texts
