"""TikTok, checked against TikTok's own formats: the bulk-import template's header (fixture,
tests/fixtures/platforms/tiktok/SOURCES.md), the Reporting API's integrated report pulled from
a fake that implements its documented parameters, paging and codes, and the webhook that keeps
signed envelopes and ingests nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from pydantic import SecretStr

from shared.adapters.tiktok_business import TikTokReportsClient
from shared.errors import PermanentError, TransientError, Unauthorized
from shared.loop.tiktok_report import pull_tiktok_report
from shared.platforms.sheets import Ad, ExportJob
from shared.platforms.tiktok import REQUIRED, tiktok_row, tiktok_sheet
from shared.services import Services
from tests.fakes.http_server import FakeResponse
from tests.fakes.tiktok_business_api import (
    ADVERTISER,
    TOKEN,
    FakeTikTokReports,
    answer,
    tiktok_server,
)
from tests.loop.conftest import LoopSettings, seed_campaign
from tests.loop.platforms import timed_signature
from tests.loop.test_meta_report import drain

FIXTURES = Path(__file__).parents[1] / "fixtures" / "platforms" / "tiktok"
NOW = 1_800_000_000  # the webhook clock in tests/loop/conftest.py


def _ad(label: str, *, video: bool = True) -> Ad:
    return Ad(
        campaign_id="c1",
        label=label,
        stage="Conversion",
        language="en",
        angle="pain_first",
        headline="Glow in 7 days",
        primary_text="Dull skin? One drop a day.",
        cta="Shop Now",
        hook="Tired of dull skin?",
        videos={"9x16": f"campaigns/c1/{label}.mp4"} if video else {},
    )


def _job(**over: Any) -> ExportJob:
    values: dict[str, Any] = {
        "campaign_id": "c1",
        "landing_url": "https://shop.example/serum?ref=ads",
        "business_name": "GlowDrop",
        "countries": ("US", "MX"),
        "languages": ("en",),
        "start": date(2026, 3, 2),
        "daily_budget": 35.0,
        "tiktok_identity_id": "7100000000000000009",
        "tiktok_pixel_id": "C4PIXEL000000",
    }
    return ExportJob(**{**values, **over})


def test_the_sheet_is_tiktoks_template_with_every_required_column_filled() -> None:
    published = json.loads((FIXTURES / "bulk_import_header.json").read_text())
    sheet = tiktok_sheet([_ad("A"), _ad("B")], _job())
    assert sheet.header == published  # neither removed, renamed nor reordered
    assert sheet.problems == []
    for row in sheet.rows:
        assert list(row) == published
        assert [c for c in REQUIRED if not row[c]] == []
    a = sheet.rows[0]
    assert (a["Ad Name"], a["Video Name"], a["Call to Action"]) == (
        "adl.c1.A",
        "adl.c1.A.9x16.mp4",
        "Shop Now",
    )
    assert (a["Campaign Name"], a["Advertising Objective"], a["Campaign Status"]) == (
        "adloop c1",
        "Sales",
        "Off",
    )
    assert (a["Ad Group Budget Type"], a["Ad Group Budget Amount"]) == ("Daily", "35.00")
    assert (a["Location"], a["Start Time"]) == ("United States,Mexico", "2026/03/02 00:00")
    assert (a["Placements"], a["Bid Strategy"]) == ("TikTok", "Maximum Delivery")
    assert a["Web URL"] == (
        "https://shop.example/serum?ref=ads&utm_source=tiktok&utm_medium=paid_social"
        "&utm_content=adl.c1.A"
    )
    assert sheet.videos == {"adl.c1.A.9x16.mp4": "campaigns/c1/A.mp4", **sheet.videos}
    # Only the Creative library upload needs a person when identity and pixel are set.
    assert len(sheet.notes) == 1 and "Creative library" in sheet.notes[0]


def test_the_notes_name_what_only_a_person_can_supply() -> None:
    sheet = tiktok_sheet(
        [_ad("A"), _ad("B", video=False)],
        _job(tiktok_identity_id=None, tiktok_pixel_id=None, daily_budget=10.0),
    )
    notes = "\n".join(sheet.notes)
    assert "ADLOOP_TIKTOK_IDENTITY_ID" in notes and "ADLOOP_TIKTOK_PIXEL_ID" in notes
    assert "minimum" in notes and "B: no 9:16 video rendered" in notes
    assert [r["Ad Name"] for r in sheet.rows] == ["adl.c1.A"]  # B could not import: left out
    assert tiktok_sheet([_ad("B", video=False)], _job()).problems


def _report_row(ad_id: str, name: str, day: str, **metrics: str) -> dict[str, Any]:
    figures = {
        "ad_name": name,
        "impressions": "2000",
        "clicks": "40",
        "spend": "10.00",
        "complete_payment": "2",
        "total_complete_payment_rate": "59.80",
        "video_watched_2s": "600",
        "video_views_p100": "150",
        **metrics,
    }
    return {"dimensions": {"ad_id": ad_id, "stat_time_day": f"{day} 00:00:00"}, "metrics": figures}


def test_revenue_is_the_value_paired_with_complete_payment() -> None:
    row = tiktok_row(_report_row("1", "adl.c1.A", "2026-03-01", total_purchase_value="0.00"))
    s = row.snapshot
    assert (s.spend, s.conversions, s.revenue, s.video_3s_views) == (10.0, 2, 59.8, 600)
    assert row.ad_name == "adl.c1.A"


def _client(url: str, token: str = TOKEN) -> TikTokReportsClient:
    return TikTokReportsClient(token, base_url=url, first_backoff_s=0.01, max_backoff_s=0.05)


def _read(url: str, advertiser: str = ADVERTISER, token: str = TOKEN) -> list[dict[str, Any]]:
    client = _client(url, token)
    try:
        return list(
            client.daily_ad_report(advertiser, start_date="2026-03-01", end_date="2026-03-01")
        )
    finally:
        client.close()


def test_the_client_pages_to_the_end_and_retries_rate_limits_and_server_errors() -> None:
    rows = [_report_row(str(i), f"adl.c1.A x{i}", "2026-03-01") for i in range(5)]
    fake = FakeTikTokReports(
        rows=rows,
        script=[
            answer(40100, "Too many requests. Please retry in some time."),
            answer(50000, "System error"),
            FakeResponse(503, "upstream unavailable"),
        ],
    )
    with tiktok_server(fake) as server:
        client = _client(server.url)
        got = list(
            client.daily_ad_report(
                ADVERTISER, start_date="2026-03-01", end_date="2026-03-01", page_size=2
            )
        )
        client.close()
    assert [r["dimensions"]["ad_id"] for r in got] == ["0", "1", "2", "3", "4"]
    served = fake.requests[3:]
    assert [r.query["page"] for r in served] == [["1"], ["2"], ["3"]]
    first = fake.requests[0]
    assert first.headers["access-token"] == TOKEN and "Access-Token" not in first.query
    assert json.loads(first.query["dimensions"][0]) == ["ad_id", "stat_time_day"]
    assert (first.query["report_type"], first.query["data_level"]) == (["BASIC"], ["AUCTION_AD"])
    assert "total_complete_payment_rate" in json.loads(first.query["metrics"][0])


def test_a_bad_token_or_a_refused_request_is_permanent_with_tiktoks_message() -> None:
    fake = FakeTikTokReports()
    with tiktok_server(fake) as server:
        with pytest.raises(
            Unauthorized, match="incorrect or has been revoked.*TIKTOK_ACCESS_TOKEN"
        ):
            _read(server.url, token="stolen")
        with pytest.raises(PermanentError, match="40002.*No permission to operate advertiser"):
            _read(server.url, advertiser="1")
        fake.script = [answer(40100, "Too many requests.")] * 5
        with pytest.raises(TransientError, match="40100"):
            _read(server.url)
    assert len(fake.requests) == 2 + 5  # refusals are not retried; the rate limit 5 times


def test_the_fake_refuses_what_tiktok_refuses() -> None:
    fake = FakeTikTokReports()
    with tiktok_server(fake) as server:
        import httpx

        url = server.url + "/open_api/v1.3/report/integrated/get/"
        ok = {
            "advertiser_id": ADVERTISER,
            "report_type": "BASIC",
            "data_level": "AUCTION_AD",
            "dimensions": '["ad_id","stat_time_day"]',
            "metrics": '["spend"]',
            "start_date": "2026-03-01",
            "end_date": "2026-03-01",
        }
        head = {"Access-Token": TOKEN}
        assert httpx.get(url, params=ok, headers=head).json()["code"] == 0
        assert httpx.get(url, params={**ok, "Access-Token": TOKEN}).json()["code"] == 40104
        for bad in ({"report_type": "DAILY"}, {"metrics": '["revenue"]'}, {"page_size": "1001"}):
            assert httpx.get(url, params={**ok, **bad}, headers=head).json()["code"] == 40002
        no_dates = {k: v for k, v in ok.items() if k != "start_date"}
        assert httpx.get(url, params=no_dates, headers=head).json()["code"] == 40002


def _complete(services: Services, cid: str, at: str) -> None:
    doc = services.documents.get(f"campaigns/{cid}") or {}
    services.documents.set(f"campaigns/{cid}", {**doc, "completed_at": at})


def test_the_daily_pull_ingests_the_last_days_and_a_corrected_day_replaces_the_figures(
    client: FlaskClient, services: Services, settings: LoopSettings
) -> None:
    seed_campaign(services, "c1", [{"label": "A"}, {"label": "B", "angle": "curiosity"}])
    _complete(services, "c1", "2026-02-20T10:00:00+00:00")
    services.clock = lambda: __import__("datetime").datetime(2026, 3, 4, 6, 0)  # type: ignore[assignment]
    rows = [
        _report_row("t-A", "adl.c1.A feed", "2026-03-01"),
        _report_row("t-A", "adl.c1.A feed", "2026-03-03", spend="12.00"),
        _report_row(
            "t-B",
            "adl.c1.B feed",
            "2026-03-03",
            complete_payment="0",
            total_complete_payment_rate="0.00",
        ),
        _report_row("t-x", "Retargeting 2025", "2026-03-02"),
        _report_row("t-A", "adl.c1.A feed", "2026-02-20"),  # outside the seven days
    ]
    fake = FakeTikTokReports(rows=rows, script=[answer(40100, "Too many requests.")])
    with tiktok_server(fake) as server:
        settings.tiktok_access_token = SecretStr(TOKEN)
        settings.tiktok_advertiser_id = ADVERTISER
        settings.tiktok_api_url = server.url
        assert pull_tiktok_report(services, settings) == 1
        assert drain(client, services) == [("loop_tiktok_report", 200), ("loop_learn", 200)]
        asked = fake.requests[-1].query
        assert (asked["start_date"], asked["end_date"]) == (["2026-02-25"], ["2026-03-03"])
        snaps = {d.id: d.data for d in services.documents.query("performance")}
        assert sorted(snaps) == [
            "tiktok:t-A:2026-03-01",
            "tiktok:t-A:2026-03-03",
            "tiktok:t-B:2026-03-03",
        ]
        assert snaps["tiktok:t-A:2026-03-03"]["revenue"] == 59.8
        assert [d.data["ad_name"] for d in services.documents.query("unmatched")] == [
            "Retargeting 2025"
        ]
        # The next day TikTok has corrected 03-03: the pull re-reads it and replaces it.
        fake.rows[1] = _report_row("t-A", "adl.c1.A feed", "2026-03-03", spend="14.50")
        services.clock = lambda: __import__("datetime").datetime(2026, 3, 5, 6, 0)  # type: ignore[assignment]
        assert pull_tiktok_report(services, settings) == 1
        assert drain(client, services) == [("loop_tiktok_report", 200), ("loop_learn", 200)]
    fixed = services.documents.get("performance/tiktok:t-A:2026-03-03")
    assert fixed is not None and fixed["spend"] == 14.5
    assert len(services.documents.query("performance")) == 3


def test_no_pull_without_tiktok_settings_or_recent_campaigns(
    services: Services, settings: LoopSettings
) -> None:
    assert pull_tiktok_report(services, settings) == 0
    settings.tiktok_access_token = SecretStr(TOKEN)
    settings.tiktok_advertiser_id = ADVERTISER
    assert pull_tiktok_report(services, settings) == 0  # no campaign completed lately


ENVELOPE = {
    "client_key": "bwo2m45353a6k85",
    "event": "authorization.removed",
    "create_time": 1615338610,
    "user_openid": "act.example12345Example12345Example",
    "content": '{"reason": 1 }',
}  # TikTok's own example payload (developers.tiktok.com/doc/webhooks-events)


def _post(client: FlaskClient, body: bytes, secret: str = "tiktok-secret") -> Any:
    sig = timed_signature(secret, body, NOW)
    return client.post("/webhooks/tiktok", data=body, headers={"TikTok-Signature": sig})


def test_a_signed_envelope_is_kept_once_and_answered_200_every_time(
    client: FlaskClient, services: Services
) -> None:
    body = json.dumps(ENVELOPE).encode()
    first = _post(client, body)
    assert first.status_code == 200 and first.get_json()["duplicate"] is False
    again = _post(client, body)  # TikTok delivers at least once
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    [kept] = services.documents.query("tiktok_events")
    assert kept.data["readable"] is True
    assert {k: kept.data[k] for k in ENVELOPE} == ENVELOPE
    assert services.documents.query("performance") == []


def test_a_forged_envelope_is_401_and_nothing_is_kept(
    client: FlaskClient, services: Services
) -> None:
    body = json.dumps(ENVELOPE).encode()
    assert _post(client, body, secret="guess").status_code == 401
    assert client.post("/webhooks/tiktok", data=body).status_code == 401
    assert services.documents.query("tiktok_events") == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"data": {"list": []}}', b"\xff\xfe"])
def test_a_signed_body_that_is_no_envelope_is_kept_unread_and_answered_200(
    client: FlaskClient, services: Services, body: bytes
) -> None:
    r = _post(client, body)
    assert r.status_code == 200 and r.get_json()["readable"] is False
    [kept] = services.documents.query("tiktok_events")
    assert kept.data["readable"] is False and kept.data["reason"]
    assert services.documents.query("performance") == []


def test_a_dash_is_no_figure_and_an_unreadable_row_costs_the_pull_nothing(
    client: FlaskClient, services: Services, settings: LoopSettings
) -> None:
    """TikTok writes "-" where it has no figure; the report is the whole account's, so a row
    adloop cannot read (another advertiser's ad with a value no snapshot holds) is kept aside
    and the rest of the pull still lands."""
    seed_campaign(services, "c1", [{"label": "A"}])
    _complete(services, "c1", "2026-03-01T10:00:00+00:00")
    services.clock = lambda: __import__("datetime").datetime(2026, 3, 4, 6, 0)  # type: ignore[assignment]
    rows = [
        _report_row("t-x", "Someone else's ad", "2026-03-03", spend="1e400"),
        _report_row(
            "t-A",
            "adl.c1.A feed",
            "2026-03-03",
            complete_payment="-",
            total_complete_payment_rate="-",
            video_watched_2s="-",
        ),
    ]
    with tiktok_server(FakeTikTokReports(rows=rows)) as server:
        settings.tiktok_access_token = SecretStr(TOKEN)
        settings.tiktok_advertiser_id = ADVERTISER
        settings.tiktok_api_url = server.url
        assert pull_tiktok_report(services, settings) == 1
        assert drain(client, services) == [("loop_tiktok_report", 200), ("loop_learn", 200)]
    snap = services.documents.get("performance/tiktok:t-A:2026-03-03")
    assert snap is not None and (snap["spend"], snap["conversions"], snap["revenue"]) == (
        10.0,
        0,
        0,
    )
    (kept,) = [d.data for d in services.documents.query("rejected")]
    assert kept["platform"] == "tiktok" and "spend" in kept["reason"]


def test_a_pull_that_failed_does_not_stop_a_later_pull_of_the_same_days(
    client: FlaskClient, services: Services, settings: LoopSettings
) -> None:
    seed_campaign(services, "c1", [{"label": "A"}])
    _complete(services, "c1", "2026-03-01T10:00:00+00:00")
    fake = FakeTikTokReports(
        rows=[_report_row("t-A", "adl.c1.A feed", "2026-03-03")],
        script=[answer(40002, "advertiser_id: invalid")],  # permanent: the task fails
    )
    with tiktok_server(fake) as server:
        settings.tiktok_access_token = SecretStr(TOKEN)
        settings.tiktok_advertiser_id = ADVERTISER
        settings.tiktok_api_url = server.url
        services.clock = lambda: __import__("datetime").datetime(2026, 3, 4, 6, 0)  # type: ignore[assignment]
        assert pull_tiktok_report(services, settings) == 1
        drain(client, services)
        assert services.documents.query("performance") == []
        # Six hours later the scheduler pulls the same three days again: a new task, and it lands.
        services.clock = lambda: __import__("datetime").datetime(2026, 3, 4, 12, 0)  # type: ignore[assignment]
        assert pull_tiktok_report(services, settings) == 1
        assert ("loop_tiktok_report", 200) in drain(client, services)
    assert services.documents.get("performance/tiktok:t-A:2026-03-03") is not None
