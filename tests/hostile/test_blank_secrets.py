"""An empty or whitespace-only secret is no secret (issue 13, finding 3).

``META_APP_SECRET=`` in an env file used to make the empty key sign Meta deliveries, an empty
``META_VERIFY_TOKEN`` verified anyone, and ``ADLOOP_TASK_TOKEN=`` let a bare ``Bearer `` run
tasks. Settings decide once that a blank secret is unset; every route that needs one answers 503
naming it, stores nothing, and ``adloop serve`` says at start which routes are disabled.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from infra.runtime import LocalRuntime
from shared.errors import NotConfigured
from shared.platforms.meta import check_meta_signature, meta_challenge
from shared.platforms.webhook import check_timed_signature, sign
from shared.settings import Settings
from shared.task_endpoint import SharedTokenAuth
from tests.conftest import ADLOOP, REPO
from tests.hostile.conftest import document_counts

BLANKS = ["", " ", "\t", " \n "]
SECRET_FIELDS = sorted(
    name
    for name, field in Settings.model_fields.items()
    if field.annotation is not None and SecretStr in getattr(field.annotation, "__args__", ())
)


def test_every_secret_setting_is_covered() -> None:
    assert {
        "slack_signing_secret",
        "slack_bot_token",
        "meta_app_secret",
        "meta_verify_token",
        "tiktok_client_secret",
        "google_ads_webhook_secret",
        "task_token",
        "anthropic_api_key",
    } <= set(SECRET_FIELDS)


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
@pytest.mark.parametrize("field", SECRET_FIELDS)
def test_a_blank_secret_in_the_environment_is_unset(
    home: Path, monkeypatch: pytest.MonkeyPatch, field: str, blank: str
) -> None:
    monkeypatch.setenv(Settings.env_name(field), blank)
    settings = Settings()
    assert getattr(settings, field) is None
    assert settings.unset(field) == [Settings.env_name(field)]


def test_a_real_secret_is_kept_as_given(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("META_APP_SECRET", " s3cret ")
    value = Settings().meta_app_secret
    assert value is not None and value.get_secret_value() == " s3cret "


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
def test_the_checks_refuse_a_blank_secret_themselves(blank: str) -> None:
    body = b'{"entry": []}'
    with pytest.raises(NotConfigured, match="META_APP_SECRET"):
        check_meta_signature(body, "sha256=" + sign(blank, body), blank)
    with pytest.raises(NotConfigured):
        check_timed_signature(body, f"t=1,s={sign(blank, b'1.' + body)}", blank, 1, name="T")
    with pytest.raises(NotConfigured, match="META_VERIFY_TOKEN"):
        meta_challenge({"hub.mode": "subscribe", "hub.verify_token": blank}, blank)
    with pytest.raises(ValueError, match="empty"):
        SharedTokenAuth(blank)


# --- the real routes of a running LocalRuntime ----------------------------------------------------


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def blank_env(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "META_APP_SECRET",
        "META_VERIFY_TOKEN",
        "TIKTOK_CLIENT_SECRET",
        "GOOGLE_ADS_WEBHOOK_SECRET",
        "ADLOOP_TASK_TOKEN",
        "SLACK_SIGNING_SECRET",
    ):
        monkeypatch.setenv(name, " " if "TOKEN" in name else "")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-a-real-looking-token")


@pytest.fixture
def runtime(blank_env: None) -> Iterator[tuple[LocalRuntime, list[logging.LogRecord]]]:
    records = _Records()
    logger = logging.getLogger("adloop")
    logger.addHandler(records)
    try:
        rt = LocalRuntime(Settings()).start(announce=True)  # as `adloop serve` starts it
        try:
            yield rt, records.records
        finally:
            rt.stop()
    finally:
        logger.removeHandler(records)


def test_routes_without_their_secret_answer_503_and_store_nothing(
    runtime: tuple[LocalRuntime, list[logging.LogRecord]],
) -> None:
    rt, _ = runtime
    rt.services.documents.get("campaigns/none")  # the state database exists from here on
    before = document_counts(rt.settings.home_dir)
    body = json.dumps({"object": "ad_account", "entry": []}).encode()
    now = int(time.time())
    with httpx.Client(base_url=rt.url, timeout=10) as http:
        answers = {
            "META_APP_SECRET": http.post(
                "/webhooks/meta",
                content=body,
                headers={"X-Hub-Signature-256": "sha256=" + sign("", body)},
            ),
            "META_VERIFY_TOKEN": http.get(
                "/webhooks/meta",
                params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "42"},
            ),
            "TIKTOK_CLIENT_SECRET": http.post(
                "/webhooks/tiktok",
                content=b'{"data": {"list": []}}',
                headers={"TikTok-Signature": f"t={now},s=" + sign("", f"{now}.".encode())},
            ),
            "GOOGLE_ADS_WEBHOOK_SECRET": http.post(
                "/webhooks/google-ads",
                content=b'{"rows": []}',
                headers={"X-Adloop-Signature": f"t={now},s=" + sign("", f"{now}.".encode())},
            ),
            "SLACK_SIGNING_SECRET": http.post(
                "/slack/events",
                content=b"command=%2Fadloop&text=help",
                headers={
                    "X-Slack-Request-Timestamp": str(now),
                    # Slack's v0 scheme with the blank key (slack_sdk refuses to sign with it).
                    "X-Slack-Signature": "v0="
                    + sign(" ", f"v0:{now}:command=%2Fadloop&text=help".encode()),
                },
            ),
        }
    for name, answer in answers.items():
        assert answer.status_code == 503, (name, answer.status_code, answer.text)
        assert f"{name}" in answer.json()["error"] and "not configured" in answer.json()["error"]
    assert document_counts(rt.settings.home_dir) == before  # no delivery, event or row kept


def _raw(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: conn.recv(65536), b""))


@pytest.mark.parametrize("authorization", [b"Bearer ", b"Bearer", b"Bearer  \t", b""])
def test_a_bare_bearer_never_runs_a_task_when_the_token_setting_is_blank(
    runtime: tuple[LocalRuntime, list[logging.LogRecord]], authorization: bytes
) -> None:
    rt, _ = runtime
    body = json.dumps({"campaign_id": "c1", "step": "intake", "key": "k"}).encode()
    answer = _raw(
        rt.url,
        b"POST /tasks/intake HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Authorization: " + authorization + b"\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body,
    )
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]


def test_start_up_names_each_route_disabled_for_want_of_its_secret(
    runtime: tuple[LocalRuntime, list[logging.LogRecord]],
) -> None:
    _, records = runtime
    disabled = {
        getattr(r, "route", None): getattr(r, "missing", None)
        for r in records
        if getattr(r, "route", None)
    }
    assert disabled == {
        "POST /slack/events": ["SLACK_SIGNING_SECRET"],
        "GET /webhooks/meta": ["META_VERIFY_TOKEN"],
        "POST /webhooks/meta": ["META_APP_SECRET"],
        "POST /webhooks/tiktok": ["TIKTOK_CLIENT_SECRET"],
        "POST /webhooks/google-ads": ["GOOGLE_ADS_WEBHOOK_SECRET"],
    }


def test_a_blank_task_token_file_is_replaced_by_a_real_token(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "task-token").write_text("  \n")
    with LocalRuntime(Settings()) as rt:
        answer = _raw(
            rt.url,
            b"POST /tasks/intake HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Authorization: Bearer \r\nContent-Length: 2\r\n\r\n{}",
        )
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert len((home / "task-token").read_text().strip()) >= 32


def test_adloop_serve_warns_in_its_log_and_refuses_with_503(home: Path, blank_env: None) -> None:
    server = subprocess.Popen(
        [ADLOOP, "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},  # this checkout's code, installed or not
    )
    try:
        deadline = time.monotonic() + 30
        while not (home / "server.json").exists():
            assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
            time.sleep(0.1)
        url = json.loads((home / "server.json").read_text())["url"]
        body = b'{"rows": []}'
        now = int(time.time())
        answer = httpx.post(
            f"{url}/webhooks/google-ads",
            content=body,
            headers={"X-Adloop-Signature": f"t={now},s=" + sign("", f"{now}.".encode() + body)},
        )
        assert answer.status_code == 503
        assert "GOOGLE_ADS_WEBHOOK_SECRET is not configured" in answer.json()["error"]
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    logged = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    warned = {e.get("route"): e.get("missing") for e in logged if e.get("severity") == "WARNING"}
    assert warned.get("POST /webhooks/google-ads") == ["GOOGLE_ADS_WEBHOOK_SECRET"]
    assert warned.get("POST /slack/events") == ["SLACK_SIGNING_SECRET"]
