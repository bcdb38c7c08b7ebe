"""`adloop pull`: the embedded default pulls performance as the scheduler does in production,
here from a server speaking TikTok's Reporting API (tests/fakes/tiktok_business_api.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main
from shared.bootstrap import bootstrap
from shared.loop.pull import pull_due
from shared.settings import Settings
from tests.fakes.tiktok_business_api import ADVERTISER, TOKEN, FakeTikTokReports, tiktok_server
from tests.loop.conftest import seed_campaign


def _row(ad_id: str, name: str, day: str, spend: str) -> dict[str, Any]:
    metrics = {
        "ad_name": name,
        "impressions": "2000",
        "clicks": "40",
        "spend": spend,
        "complete_payment": "2",
        "total_complete_payment_rate": "59.80",
        "video_watched_2s": "600",
        "video_views_p100": "150",
    }
    return {"dimensions": {"ad_id": ad_id, "stat_time_day": f"{day} 00:00:00"}, "metrics": metrics}


def test_adloop_pull_brings_tiktoks_figures_and_the_report_shows_them(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    services = bootstrap(Settings())
    seed_campaign(services, "c1", [{"label": "A"}, {"label": "B"}])
    doc = services.documents.get("campaigns/c1") or {}
    services.documents.set("campaigns/c1", {**doc, "completed_at": datetime.now(UTC).isoformat()})
    services.close()
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    fake = FakeTikTokReports(rows=[_row("t-A", "adl.c1.A feed", yesterday, "10.00")])
    with tiktok_server(fake) as server:
        monkeypatch.setenv("TIKTOK_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("ADLOOP_TIKTOK_ADVERTISER_ID", ADVERTISER)
        monkeypatch.setenv("ADLOOP_TIKTOK_API_URL", server.url)
        assert main(["pull", "--timeout", "60"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["tiktok_pulls"] == 1 and done["finished"] and done["snapshots"] == 1

    services = bootstrap(Settings())
    try:
        (snap,) = [d.data for d in services.documents.query("performance")]
        assert (snap["label"], snap["spend"], snap["revenue"]) == ("A", 10.0, 59.8)
        assert (services.documents.get("ops/performance_pull") or {}).get("tiktok_pulls") == 1
    finally:
        services.close()


def test_adloop_pull_without_a_platform_says_what_to_set(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pull"]) == 2
    said = capsys.readouterr().err
    assert "TIKTOK_ACCESS_TOKEN" in said and "META_ACCESS_TOKEN" in said


def test_adloop_serve_pulls_when_a_pull_is_due_and_records_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infra.runtime import LocalRuntime
    from tests.bot.conftest import wait_until

    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    fake = FakeTikTokReports(rows=[_row("t-A", "adl.c1.A feed", yesterday, "10.00")])
    with tiktok_server(fake) as server:
        monkeypatch.setenv("TIKTOK_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("ADLOOP_TIKTOK_ADVERTISER_ID", ADVERTISER)
        monkeypatch.setenv("ADLOOP_TIKTOK_API_URL", server.url)
        runtime = LocalRuntime(Settings())
        seed_campaign(runtime.services, "c1", [{"label": "A"}])
        doc = runtime.services.documents.get("campaigns/c1") or {}
        runtime.services.documents.set(
            "campaigns/c1", {**doc, "completed_at": datetime.now(UTC).isoformat()}
        )
        runtime.start(pull=True)
        try:
            wait_until(
                lambda: runtime.services.documents.get("performance/tiktok:t-A:" + yesterday),
                what="the pulled figures",
            )
        finally:
            runtime.stop()
    services = bootstrap(Settings())
    try:  # the pull is recorded, so the next start of serve does not pull again at once
        assert not pull_due(services, timedelta(hours=6))
        assert pull_due(services, timedelta(0))
    finally:
        services.close()


def test_adloop_pull_again_after_a_failed_pull_really_pulls_again(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person re-running `adloop pull` after fixing what failed gets a new pull, not the
    failed task's name answering "already done"."""
    from tests.fakes.tiktok_business_api import answer

    services = bootstrap(Settings())
    seed_campaign(services, "c1", [{"label": "A"}])
    doc = services.documents.get("campaigns/c1") or {}
    services.documents.set("campaigns/c1", {**doc, "completed_at": datetime.now(UTC).isoformat()})
    services.close()
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    fake = FakeTikTokReports(
        rows=[_row("t-A", "adl.c1.A feed", yesterday, "10.00")],
        script=[answer(40002, "advertiser_id: invalid")],  # permanent: the first pull fails
    )
    with tiktok_server(fake) as server:
        monkeypatch.setenv("TIKTOK_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("ADLOOP_TIKTOK_ADVERTISER_ID", ADVERTISER)
        monkeypatch.setenv("ADLOOP_TIKTOK_API_URL", server.url)
        assert main(["pull", "--timeout", "30"]) == 0
        assert json.loads(capsys.readouterr().out)["snapshots"] == 0
        asked = len(fake.requests)
        assert main(["pull", "--timeout", "30"]) == 0
    assert len(fake.requests) > asked
    assert json.loads(capsys.readouterr().out)["snapshots"] == 1
