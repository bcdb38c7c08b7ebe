"""A platform added to the registry alone reaches every consumer: the CLI's --platform, the
export (CLI and Slack), the Export buttons and their clicks, lint-copy and limits, the webhook
routes with their secrets, and ingest. A fourth, made-up platform is registered for each test."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from bot.export_action import export_task
from infra import cli
from infra.app import create_app
from shared.adapters.slack_layout import export_blocks
from shared.errors import BadInput
from shared.loop.export import export_command
from shared.loop.export_step import note_text
from shared.pipeline.runner import StepRunner
from shared.platforms import registry
from shared.platforms.limits import Limit
from shared.platforms.lint_copy import lint_lines
from shared.platforms.platform import Platform, Webhook
from shared.platforms.reports import Row, num, snapshot
from shared.platforms.sheets import Ad, ExportJob, Sheet, limit_errors
from shared.platforms.tracking import with_utm
from shared.platforms.webhook import TimedSignature
from shared.services import Services
from shared.settings import Settings
from shared.task_endpoint import SharedTokenAuth
from shared.web.routes import not_configured
from shared.web.webhooks import webhook_routes
from tests.loop.conftest import SECRETS, seed_campaign
from tests.loop.platforms import timed_signature

NOW = 1_800_000_000


def _sheet(ads: list[Ad], job: ExportJob) -> Sheet:
    url = job.landing_url
    rows, problems = [], []
    for ad in ads:
        problems += limit_errors(ad, FAKE.check({"primary_text": ad.headline}))
        rows.append(
            {"Ad": ad.code, "Text": ad.headline, "Link": with_utm(url, ad.code, source="fake")}
        )
    return Sheet("fake-ads.csv", ["Ad", "Text", "Link"], rows, {}, problems, [])


def _row(row: dict[str, Any]) -> Row:
    snap = snapshot(
        "fake",
        row["id"],
        row["day"],
        impressions=num(row, "views"),
        clicks=num(row, "taps"),
        spend=0.0,
        conversions=0.0,
        revenue=0.0,
        views_3s=0.0,
        completions=0.0,
    )
    return Row(snap, str(row.get("name") or ""))


FAKE = Platform(
    id="fake",
    name="Fakebook",
    import_into="Fakebook Ads Desk",
    copy_field="primary_text",
    limits=(Limit("primary_text", "post", 20, "error", "Fakebook refuses it"),),
    sheet=_sheet,
    report_row=_row,
    webhook=Webhook(
        slug="fake-ads",
        secret="tiktok_client_secret",  # an existing secret field, so Settings need not change
        signature=TimedSignature("X-Fake-Signature"),
        rows_key="items",
    ),
)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.setitem(registry.PLATFORMS, FAKE.id, FAKE)
    return FAKE


@pytest.fixture
def campaign(services: Services) -> str:
    seed_campaign(services, "c1", [{"label": "A", "tag": "Approved", "headline": "Glow"}])
    return "c1"


@pytest.fixture
def fake_client(fake: Platform, services: Services, settings: Settings) -> Iterator[FlaskClient]:
    app = create_app(
        StepRunner(services, {}),
        SharedTokenAuth("t"),
        extra_routes=webhook_routes(services, settings, clock=lambda: float(NOW)),
    )
    yield app.test_client()


def test_the_cli_exports_a_registered_platform(
    fake: Platform, campaign: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert cli.main(["export", campaign, "--platform", "fake", "--out", str(out)]) == 0
    with (out / "fake-ads.csv").open(encoding="utf-8") as f:
        [row] = list(csv.DictReader(f))
    assert row["Ad"] == "adl.c1.A" and "utm_source=fake" in row["Link"]


def test_the_cli_refuses_a_platform_not_registered(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        cli.main(["export", "c1", "--platform", "fake", "--out", str(tmp_path)])


def test_export_checks_the_platforms_own_limits(
    fake: Platform, services: Services, tmp_path: Path
) -> None:
    seed_campaign(services, "c2", [{"label": "A", "tag": "Approved", "headline": "x" * 21}])
    with pytest.raises(BadInput, match="post is 21 characters, max 20 on fake"):
        export_command(services, "c2", "fake", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_slack_offers_its_export_and_a_click_becomes_its_export_task(fake: Platform) -> None:
    [_, actions] = export_blocks("c1")
    buttons = {b["action_id"]: b["text"]["text"] for b in actions["elements"]}
    assert buttons["adloop_export_fake"] == "Export for Fakebook"
    click = {
        "actions": [{"action_id": "adloop_export_fake", "value": "c1", "action_ts": "1.5"}],
        "user": {"id": "U1"},
        "container": {"channel_id": "C1", "message_ts": "9.9"},
    }
    task = export_task(click)
    assert task is not None and task.payload["platform"] == "fake"


def test_an_export_click_for_a_platform_not_registered_is_no_task() -> None:
    click = {
        "actions": [{"action_id": "adloop_export_fake", "value": "c1", "action_ts": "1.5"}],
        "user": {"id": "U1"},
        "container": {"channel_id": "C1", "message_ts": "9.9"},
    }
    assert export_task(click) is None


def test_the_export_note_names_the_platform_and_where_to_import(fake: Platform) -> None:
    note = note_text("fake", "U1", b"Ad,Text\nadl.c1.A,Glow\n", ["c1-fake-ads.csv"], [])
    assert note.startswith("*Fakebook export*")
    assert "Import `c1-fake-ads.csv` in Fakebook Ads Desk." in note


def test_lint_copy_checks_its_text_against_its_limits(fake: Platform) -> None:
    line = {"id": "a", "text": "Glow all day, every day", "platform": "fake", "language": "en"}
    [verdict] = lint_lines([json.dumps(line)])
    assert [f["rule"] for f in verdict["findings"]] == ["fake.primary_text"]
    [refused] = lint_lines([json.dumps({**line, "platform": "myspace"})])
    assert "'fake'" in refused["findings"][0]["reason"]


def test_its_webhook_is_routed_signed_and_ingested(
    fake_client: FlaskClient, services: Services, campaign: str
) -> None:
    body = json.dumps(
        {"items": [{"id": "77", "day": "2026-03-01", "views": 500, "taps": 9, "name": "adl.c1.A"}]}
    ).encode()
    unsigned = fake_client.post("/webhooks/fake-ads", data=body)
    assert unsigned.status_code == 401
    signed = fake_client.post(
        "/webhooks/fake-ads",
        data=body,
        headers={"X-Fake-Signature": timed_signature(SECRETS["tiktok_client_secret"], body, NOW)},
    )
    assert signed.status_code == 200, signed.get_json()
    assert signed.get_json()["stored"] == 1
    stored = services.documents.get("performance/fake:77:2026-03-01")
    assert stored is not None and (stored["impressions"], stored["label"]) == (500, "A")


def test_its_webhook_needs_its_secret(fake: Platform, home: Path) -> None:
    reason = not_configured(Settings(home=home), "POST", "/webhooks/fake-ads")
    assert reason == "TIKTOK_CLIENT_SECRET is not configured"


def test_its_copy_limits_are_checked_by_id(fake: Platform) -> None:
    [finding] = registry.check({"primary_text": "x" * 21}, "fake")
    assert (finding.rule, finding.severity) == ("fake.primary_text", "error")
