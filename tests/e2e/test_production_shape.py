"""Campaigns run through the production shape: Cloud Functions as terraform deploys them,
chained by Cloud Tasks (OIDC through a Cloud Run-like front door), state in Firestore, assets in
GCS, videos from the render job through the Cloud Run Admin API, posts in Slack."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from infra.runtime import wait_for_campaign
from shared.services import Services
from tests.conftest import EXAMPLES
from tests.e2e.cloud import SECRETS, LocalCloud
from tests.e2e.oidc import strip_signature

pytestmark = pytest.mark.slow
CHANNEL = "C0LOCALCLOUD"
USER = "U0MARKETER"


def signed(cloud: LocalCloud, body: str, content_type: str) -> httpx.Response:
    """POST to slack_events as Slack does: v0 signature over the timestamp and raw body."""
    ts = str(int(time.time()))
    signature = SignatureVerifier(SECRETS["SLACK_SIGNING_SECRET"]).generate_signature(
        timestamp=ts, body=body
    )
    return httpx.post(
        cloud.url("slack_events"),
        content=body.encode(),
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
        },
        timeout=30,
    )


def slash_command(cloud: LocalCloud, text: str, trigger_id: str) -> httpx.Response:
    form = {
        "token": "legacy",
        "team_id": "T0LOCAL",
        "team_domain": "local",
        "channel_id": CHANNEL,
        "channel_name": "ads",
        "user_id": USER,
        "user_name": "pat",
        "command": "/adloop",
        "text": text,
        "api_app_id": "A0LOCAL",
        "is_enterprise_install": "false",
        "response_url": f"{cloud.slack.url}/commands/T0LOCAL/1/x",
        "trigger_id": trigger_id,
    }
    return signed(cloud, urlencode(form), "application/x-www-form-urlencoded")


def modal_values(**values: str) -> dict[str, Any]:
    return {
        block: {"value": {"type": "plain_text_input", "value": value}}
        for block, value in values.items()
    }


def creatives(services: Services, campaign_id: str) -> dict[str, dict[str, Any]]:
    docs = services.documents.query(f"campaigns/{campaign_id}/creatives")
    return {d.path.rsplit("/", 1)[-1]: d.data for d in docs}


def test_a_campaign_started_in_slack_runs_every_step_and_renders_its_videos(
    cloud: LocalCloud, operator: Services
) -> None:
    assert slash_command(cloud, "new", "11.22.local").status_code == 200
    (opened,) = [
        c for c in cloud.slack.calls("views.open") if c.args["trigger_id"] == "11.22.local"
    ]
    submission = {
        "type": "view_submission",
        "team": {"id": "T0LOCAL", "domain": "local"},
        "user": {"id": USER, "username": "pat", "team_id": "T0LOCAL"},
        "api_app_id": "A0LOCAL",
        "token": "legacy",
        "trigger_id": "11.23.local",
        "view": {
            **opened.args["view"],
            "id": "V0LOCAL",
            "state": {
                "values": modal_values(
                    product="GlowDrop Vitamin C Serum",
                    offer="20% off your first order",
                    persona="busy moms in their 30s who skip skincare",
                    market="US",
                )
            },
        },
    }
    submission["view"]["root_view_id"] = "V0LOCAL"
    answer = signed(
        cloud, urlencode({"payload": json.dumps(submission)}), "application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200, answer.text
    # Next: the form pushes "More about the product"; Start submits it (Slack gives the pushed
    # view its own id and names the first as its root).
    pushed = answer.json()
    assert pushed["response_action"] == "push", pushed
    more = {
        **submission,
        "trigger_id": "11.24.local",
        "view": {
            **pushed["view"],
            "id": "V0LOCALMORE",
            "root_view_id": "V0LOCAL",
            "previous_view_id": "V0LOCAL",
            "state": {"values": {}},
        },
    }
    answer = signed(
        cloud, urlencode({"payload": json.dumps(more)}), "application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200 and answer.json() == {"response_action": "clear"}, answer.text

    campaign_id = _campaign_in(operator, CHANNEL)
    doc = wait_for_campaign(operator, campaign_id, timeout_s=600)
    assert doc["status"] == "complete", doc.get("error")
    assert all(s.get("status") == "done" for s in doc["steps"].values()), doc["steps"]

    ads = creatives(operator, campaign_id)
    assert {label for label in ads if len(label) == 1} == set("ABCDEFG")
    videos = {
        d.path.rsplit("/", 1)[-1]: d.data
        for d in operator.documents.query(f"campaigns/{campaign_id}/videos")
    }
    assert set(videos) == {"V1", "V2", "V3", "V4", "V5"}
    for video in videos.values():
        for path in _video_paths(video):
            data = operator.blobs.get(path)  # read back from the GCS emulator
            assert data[4:8] == b"ftyp", f"{path} is not an MP4"
    assert len(cloud.run_admin.executions) >= 5
    assert all(e.process.returncode == 0 for e in cloud.run_admin.executions.values())

    # Slack: the campaign message and one message per creative, each rendered video uploaded
    # (from GCS) into its creative's thread.
    posted = {m.ts for m in cloud.slack.messages(CHANNEL) if m.thread_ts is None}
    assert len(posted) == 8
    assert {ads[label]["slack_ts"] for label in "ABCDEFG"} <= posted
    uploads = cloud.slack.calls("files.completeUploadExternal")
    threads = {c.args.get("thread_ts") for c in uploads if c.args.get("channel_id") == CHANNEL}
    with_video = {label for label in "ABCDEFG" if ads[label].get("video_id")}
    assert with_video and all(ads[label]["slack_ts"] in threads for label in with_video)
    assert any(data[4:8] == b"ftyp" for data in cloud.slack.uploads.values())


def test_the_cli_runs_fifty_variations_on_the_deployment_with_parallel_dispatch(
    cloud: LocalCloud, tmp_path: Path
) -> None:
    env = {
        **cloud.operator_env(),
        "ADLOOP_HOME": str(tmp_path / "home"),
        "ADLOOP_LOG_LEVEL": "WARNING",
    }
    started = time.monotonic()
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("adloop")),
            "campaign",
            "new",
            "--brief",
            str(EXAMPLES / "ledgerly-bookkeeping.json"),
            "--variations",
            "50",
            "--wait",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    campaign = json.loads(done.stdout)
    assert campaign["status"] == "complete"
    assert len(campaign["blueprints"]) == 50
    assert all(s.get("status") == "done" for s in campaign["steps"].values()), campaign["steps"]
    print(f"50 variations on the local cloud: {time.monotonic() - started:.1f} s")


@pytest.mark.parametrize("function", ["sweep", "insights_pull", "digest"])
def test_cloud_scheduler_calls_as_the_invoker_are_served(cloud: LocalCloud, function: str) -> None:
    invoker = cloud.deployment.scheduler[function]
    token = cloud.issuer.mint(cloud.url(function), invoker)
    answer = httpx.post(
        cloud.url(function), headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("function", ["sweep", "insights_pull", "digest"])
def test_unauthenticated_scheduler_calls_are_refused(cloud: LocalCloud, function: str) -> None:
    assert httpx.post(cloud.url(function), timeout=30).status_code == 401
    stranger = cloud.issuer.mint(
        cloud.url(function), "stranger@adloop-local.iam.gserviceaccount.com"
    )
    refused = httpx.post(
        cloud.url(function), headers={"Authorization": f"Bearer {stranger}"}, timeout=30
    )
    assert refused.status_code == 403


def _campaign_in(services: Services, channel: str, timeout_s: float = 60) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [
            d
            for d in services.documents.query("campaigns")
            if d.data.get("slack_channel") == channel
        ]
        if found:
            return found[-1].path.rsplit("/", 1)[-1]
        time.sleep(0.2)
    raise AssertionError(f"no campaign for channel {channel}")


def _video_paths(video: dict[str, Any]) -> list[str]:
    assert video["render_status"] == "done", video
    paths = [files["video"] for files in video["assets"].values()]
    assert paths, f"no rendered video in {video}"
    return paths


FORGERIES = [
    "no token",
    "another audience",
    "another service account",
    "expired",
    "wrong signature",
]


def _forged(cloud: LocalCloud, kind: str, url: str) -> str | None:
    invoker = cloud.invoker
    now = int(time.time())
    if kind == "no token":
        return None
    if kind == "another audience":
        return cloud.issuer.mint(cloud.url("publish"), invoker)
    if kind == "another service account":
        return cloud.issuer.mint(url, "stranger@adloop-local.iam.gserviceaccount.com")
    if kind == "expired":
        return cloud.issuer.mint(url, invoker, iat=now - 7200, exp=now - 3600)
    from tests.e2e.oidc import Issuer

    return Issuer.generate().mint(url, invoker)  # signed, but not by the issuer


@pytest.mark.parametrize("kind", FORGERIES)
def test_a_forged_task_call_is_refused_and_changes_nothing(
    cloud: LocalCloud, operator: Services, kind: str
) -> None:
    from shared.models import Brief
    from shared.models.campaign import Campaign
    from shared.ports.queue import Task

    brief = Brief.model_validate(
        {"product": "Kettle", "offer": "10% off", "persona": "tea lovers", "market": "US"}
    )
    campaign_id = f"forged-{FORGERIES.index(kind)}-{int(time.time())}"
    before = Campaign(id=campaign_id, brief=brief).model_dump(mode="json")
    operator.documents.set(f"campaigns/{campaign_id}", before)
    task = Task(campaign_id, "intake")
    url = cloud.url("intake")
    token = _forged(cloud, kind, url)
    direct = f"http://127.0.0.1:{cloud.front_door.routes['intake'].port}/"

    # Through the front door, Cloud Run's invoker check refuses it ...
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    answer = httpx.post(url, content=task.body(), headers=headers, timeout=30)
    assert answer.status_code in (401, 403), answer.text
    # ... and were that check off, the function itself would (the token as Cloud Run would
    # have forwarded it, signature stripped; a wrong signature kept as it came).
    if token and kind != "wrong signature":
        headers["Authorization"] = f"Bearer {strip_signature(token)}"
    answer = httpx.post(direct, content=task.body(), headers=headers, timeout=30)
    assert answer.status_code in (401, 403), answer.text

    assert operator.documents.get(f"runs/{task.name}") is None
    assert operator.documents.get(f"campaigns/{campaign_id}") == before
    assert operator.documents.query(f"campaigns/{campaign_id}/creatives") == []


def test_the_invoker_gets_through_to_the_step(cloud: LocalCloud) -> None:
    """The control for the refusals above: the same call with the invoker's token reaches the
    step, which answers for itself (no such campaign)."""
    from shared.ports.queue import Task

    url = cloud.url("intake")
    token = cloud.issuer.mint(url, cloud.invoker)
    answer = httpx.post(
        url,
        content=Task("no-such-campaign", "intake").body(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 404
    assert "no campaign" in answer.json()["error"]
