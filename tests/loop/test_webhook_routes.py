"""The webhook routes through the real Flask app: signed deliveries are ingested once however
often they arrive; a wrong signature, a stale timestamp or a wrong verify token stores nothing."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from shared.services import Services
from tests.loop.conftest import seed_campaign
from tests.loop.platforms import (
    Day,
    google_body,
    hub_signature,
    meta_completion,
    tiktok_body,
    timed_signature,
)

NOW = 1_800_000_000


def _day(label: str, day: str = "2026-03-01", clicks: int = 40, name: str | None = None) -> Day:
    return Day(
        f"ad-{label}",
        name if name is not None else f"adl.c1.{label} feed pain_first",
        day,
        impressions=2000,
        clicks=clicks,
        spend=30.0,
        conversions=3,
        revenue=90.0,
        views_3s=600,
        completions=150,
    )


@pytest.fixture
def campaign(services: Services) -> None:
    seed_campaign(services, "c1", [{"label": "A"}, {"label": "B"}, {"label": "B01"}])


def _count(services: Services, collection: str) -> int:
    return len(services.documents.query(collection))


def _post_tiktok(client: FlaskClient, body: bytes, t: int = NOW, secret: str = "tiktok-secret"):  # type: ignore[no-untyped-def]
    return client.post(
        "/webhooks/tiktok",
        data=body,
        headers={"TikTok-Signature": timed_signature(secret, body, t)},
    )


def _post_google(client: FlaskClient, body: bytes, t: int = NOW):  # type: ignore[no-untyped-def]
    """The Google Ads script pushes report rows (TikTok's are pulled: tests/loop/test_tiktok.py)."""
    return client.post(
        "/webhooks/google-ads",
        data=body,
        headers={"X-Adloop-Signature": timed_signature("gads-secret", body, t)},
    )


def test_meta_verification_echoes_the_challenge_only_for_the_right_token(
    client: FlaskClient,
) -> None:
    ok = client.get(
        "/webhooks/meta",
        query_string={
            "hub.mode": "subscribe",
            "hub.verify_token": "verify-me",
            "hub.challenge": "1158201444",
        },
    )
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "1158201444")
    wrong = client.get(
        "/webhooks/meta",
        query_string={
            "hub.mode": "subscribe",
            "hub.verify_token": "guess",
            "hub.challenge": "1158201444",
        },
    )
    assert wrong.status_code == 403
    assert "1158201444" not in wrong.get_data(as_text=True)


def test_a_signed_report_is_ingested_once_however_often_it_arrives(
    client: FlaskClient, services: Services, campaign: None
) -> None:
    body = google_body([_day("A"), _day("B"), _day("B01"), _day("A", "2026-03-02")])
    first = _post_google(client, body)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["stored"] == 4
    for _ in range(3):
        again = _post_google(client, body)
        assert again.status_code == 200 and again.get_json()["duplicate"] is True
    snaps = services.documents.query("performance")
    assert len(snaps) == 4
    a = services.documents.get("performance/google:ad-A:2026-03-01")
    assert a is not None and (a["impressions"], a["clicks"], a["campaign_id"], a["label"]) == (
        2000,
        40,
        "c1",
        "A",
    )
    # The same report re-sent as a new delivery (re-serialised, say) is still one snapshot per day.
    reordered = google_body([_day("A", "2026-03-02"), _day("B01"), _day("B"), _day("A")])
    assert _post_google(client, reordered).get_json()["unchanged"] == 4
    assert _count(services, "performance") == 4


def test_a_corrected_report_replaces_the_days_figures_rather_than_adding(
    client: FlaskClient, services: Services, campaign: None
) -> None:
    _post_google(client, google_body([_day("A", clicks=40)]))
    _post_google(client, google_body([_day("A", clicks=55)]))
    doc = services.documents.get("performance/google:ad-A:2026-03-01")
    assert doc is not None and doc["clicks"] == 55
    assert _count(services, "performance") == 1


@pytest.mark.parametrize("how", ["wrong secret", "stale", "future", "no header", "tampered"])
def test_a_bad_tiktok_signature_is_401_and_stores_nothing(
    client: FlaskClient, services: Services, campaign: None, how: str
) -> None:
    body = tiktok_body([_day("A")])
    headers = {
        "wrong secret": {"TikTok-Signature": timed_signature("nope", body, NOW)},
        "stale": {"TikTok-Signature": timed_signature("tiktok-secret", body, NOW - 301)},
        "future": {"TikTok-Signature": timed_signature("tiktok-secret", body, NOW + 400)},
        "no header": {},
        "tampered": {
            "TikTok-Signature": timed_signature(
                "tiktok-secret", body.replace(b"2000", b"9000"), NOW
            )
        },
    }[how]
    r = client.post("/webhooks/tiktok", data=body, headers=headers)
    assert r.status_code == 401
    assert (
        _count(services, "performance")
        == _count(services, "deliveries")
        == _count(services, "unmatched")
        == 0
    )


def test_unknown_ads_are_kept_aside_and_reported_not_dropped(
    client: FlaskClient, services: Services, campaign: None
) -> None:
    body = google_body(
        [_day("A"), _day("Z", name="Spring sale video 3"), _day("C", name="adl.c1.C feed")]
    )
    t = NOW - 10
    r = client.post(
        "/webhooks/google-ads",
        data=body,
        headers={"X-Adloop-Signature": timed_signature("gads-secret", body, t)},
    )
    assert r.status_code == 200, r.get_json()
    assert (r.get_json()["stored"], r.get_json()["unmatched"]) == (1, 2)
    reasons = {d.data["ad_name"]: d.data["reason"] for d in services.documents.query("unmatched")}
    assert reasons == {
        "Spring sale video 3": "no tracking code in the ad name",
        "adl.c1.C feed": "no creative C in campaign c1",
    }
    spend = services.documents.get("performance/google:ad-A:2026-03-01")
    assert spend is not None and spend["spend"] == 30.0


def test_google_ads_needs_its_shared_secret(
    client: FlaskClient, services: Services, campaign: None
) -> None:
    body = google_body([_day("A")])
    r = client.post(
        "/webhooks/google-ads",
        data=body,
        headers={"X-Adloop-Signature": timed_signature("tiktok-secret", body, NOW)},
    )
    assert r.status_code == 401
    assert _count(services, "performance") == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"rows": "rows"}',
        b'{"rows": [{}]}',
        b'{"rows": [{"ad_id": "1", "date": "yesterday"}]}',
        b'{"rows": [{"ad_id": "1", "date": "2026-01-01", "clicks": "many"}]}',
        b"\xff\xfe",
    ],
)
def test_a_malformed_signed_report_is_400_never_500(
    client: FlaskClient, services: Services, body: bytes
) -> None:
    r = _post_google(client, body)
    assert r.status_code == 400, r.get_json()
    assert _count(services, "performance") == 0


def test_meta_deliveries_need_the_app_secrets_signature(
    client: FlaskClient, services: Services
) -> None:
    body = meta_completion("act_1", "9000")
    for header in (
        {},
        {"X-Hub-Signature-256": hub_signature("wrong", body)},
        {"X-Hub-Signature-256": hub_signature("meta-secret", body + b" ")},
    ):
        assert client.post("/webhooks/meta", data=body, headers=header).status_code == 401
    assert _count(services, "unmatched") == 0
    bad = b'{"entry": "x"}'
    r = client.post(
        "/webhooks/meta",
        data=bad,
        headers={"X-Hub-Signature-256": hub_signature("meta-secret", bad)},
    )
    assert r.status_code == 400


def test_a_report_adloop_did_not_ask_for_is_kept_aside(
    client: FlaskClient, services: Services
) -> None:
    body = meta_completion("act_1", "777")
    r = client.post(
        "/webhooks/meta",
        data=body,
        headers={"X-Hub-Signature-256": hub_signature("meta-secret", body)},
    )
    assert r.status_code == 200 and r.get_json()["unknown_reports"] == 1
    assert services.documents.get("unmatched/meta-report:777") is not None


def test_without_a_secret_the_route_refuses_and_stores_nothing(home, services: Services) -> None:  # type: ignore[no-untyped-def]
    from infra.app import create_app
    from shared.pipeline.runner import StepRunner
    from shared.settings import Settings
    from shared.task_endpoint import SharedTokenAuth
    from shared.web.webhooks import webhook_routes

    bare = Settings(home=home)
    app = create_app(
        StepRunner(services, {}), SharedTokenAuth("t"), extra_routes=webhook_routes(services, bare)
    )
    body = tiktok_body([_day("A")])
    r = app.test_client().post(
        "/webhooks/tiktok", data=body, headers={"TikTok-Signature": timed_signature("", body, NOW)}
    )
    assert r.status_code == 503 and "TIKTOK_CLIENT_SECRET" in r.get_json()["error"]
    assert _count(services, "performance") == 0


def test_an_unreadable_row_is_kept_aside_and_costs_the_readable_ones_nothing(
    client: FlaskClient, services: Services, campaign: None
) -> None:
    good = json.loads(google_body([_day("A")]))["rows"][0]
    bad = {**good, "ad_id": "ad-x", "conversions": -1.0}  # no snapshot holds it
    body = json.dumps({"rows": [bad, good]}).encode()
    r = _post_google(client, body)
    assert r.status_code == 200 and r.get_json()["stored"] == 1
    assert r.get_json()["rejected"] == 1
    assert services.documents.get("performance/google:ad-A:2026-03-01") is not None
    (kept,) = [d.data for d in services.documents.query("rejected")]
    assert kept["platform"] == "google" and kept["row"] == 0 and "conversions" in kept["reason"]
    # A delivery of nothing readable is the sender's to hear about: 400, nothing stored.
    only_bad = json.dumps({"rows": [bad]}).encode()
    r = _post_google(client, only_bad)
    assert r.status_code == 400 and "no report row could be read" in r.get_json()["error"]
    assert _count(services, "rejected") == 1
