"""Hostile deliveries to the ad-platform webhooks: a wrong, missing or stale signature is a 401
and stores nothing; a signed but malformed body is a 400 naming the problem; nothing answers 5xx
(the platform would retry for days) and no answer carries a stack trace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from infra.runtime import LocalRuntime
from shared.settings import Settings
from tests.hostile.conftest import document_counts
from tests.loop.platforms import hub_signature, timed_signature

NOW = 1_800_000_000
SECRETS = {
    "meta_app_secret": "meta-app-secret-value",
    "meta_verify_token": "meta-verify-token-value",
    "tiktok_client_secret": "tiktok-client-secret-value",
    "google_ads_webhook_secret": "google-ads-webhook-secret-value",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FlaskClient, Path]]:
    """The embedded runtime's real Flask app (every route), its webhook clock fixed at NOW."""
    from infra.app import create_app
    from shared.web.webhooks import webhook_routes

    home = tmp_path_factory.mktemp("hostile-webhooks")
    settings = Settings(home=home, render=False, **SECRETS)  # type: ignore[arg-type]
    runtime = LocalRuntime(settings)
    routes = webhook_routes(runtime.services, settings, clock=lambda: float(NOW))
    flask_app = create_app(runtime.runner, _auth(runtime), extra_routes=routes)
    yield flask_app.test_client(), home


def _auth(runtime: LocalRuntime) -> Any:
    from shared.bootstrap import local_task_token
    from shared.task_endpoint import SharedTokenAuth

    return SharedTokenAuth(local_task_token(runtime.settings))


def _check(answer: Any, status: int | tuple[int, ...]) -> None:
    text = answer.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text, text[:400]
    wanted = status if isinstance(status, tuple) else (status,)
    assert answer.status_code in wanted, (answer.status_code, text[:300])


def _deep(n: int) -> bytes:
    return b'{"entry": ' + b"[" * n + b"]" * n + b"}"


def _row_body(key: str, rows: Any) -> bytes:
    if key == "data.list":
        return json.dumps({"event": "report", "data": {"list": rows}}).encode()
    return json.dumps({"customer_id": "1", "rows": rows}).encode()


GOOD_GOOGLE_ROW = {"ad_id": "1", "date": "2026-03-01", "impressions": 10, "clicks": 1}
GOOD_TIKTOK_ROW = {
    "dimensions": {"ad_id": "1", "stat_time_day": "2026-03-01 00:00:00"},
    "metrics": {"impressions": "10"},
}

# Signed bodies with something wrong inside: (id, body) -> 400 on every route.
MALFORMED: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("truncated", b'{"entry": [{"changes": ['),
    ("null", b"null"),
    ("list", b"[]"),
    ("string", b'"report"'),
    ("number", b"42"),
    ("not-utf8", b'{"x": "\xff\xfe"}'),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("utf16", '{"x": 1}'.encode("utf-16")),
    ("nan", b'{"entry": NaN}'),
    ("big-int", b'{"entry": ' + b"9" * 5000 + b"}"),
]
META_MALFORMED = [
    *MALFORMED,
    ("entry-null", b'{"entry": null}'),
    ("entry-string", b'{"entry": "x"}'),
    ("entry-numbers", b'{"entry": [1, 2]}'),
    ("changes-string", b'{"entry": [{"changes": "x"}]}'),
    ("change-number", b'{"entry": [{"changes": [1]}]}'),
    ("value-string", b'{"entry": [{"changes": [{"field": "x", "value": "s"}]}]}'),
    ("deep", _deep(100_000)),
    # Ids and fields become parts of document paths: a "/" in them was a 500 or a nested path.
    (
        "report-id-path",
        b'{"entry": [{"id": "1", "changes": [{"field": "async_requests", "value":'
        b' {"status": "completed", "id": "../../campaigns/x"}}]}]}',
    ),
    ("field-path", b'{"entry": [{"id": "1", "changes": [{"field": "a/b/c", "value": {}}]}]}'),
    (
        "report-id-object",
        b'{"entry": [{"id": "1", "changes": [{"field": "async_requests", "value":'
        b' {"status": "completed", "report_run_id": {"a": "/"}}}]}]}',
    ),
]


@pytest.mark.parametrize(
    ("body"), [b for _, b in META_MALFORMED], ids=[n for n, _ in META_MALFORMED]
)
def test_meta_signed_but_malformed_is_400(app: Any, body: bytes) -> None:
    client, home = app
    before = document_counts(home)
    sig = hub_signature(SECRETS["meta_app_secret"], body)
    _check(client.post("/webhooks/meta", data=body, headers={"X-Hub-Signature-256": sig}), 400)
    assert document_counts(home) == before


def _rows_cases(good: dict[str, Any], bad_rows: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [
        ("rows-missing", None),
        ("rows-string", "rows"),
        ("rows-of-numbers", [1, 2]),
        ("rows-mixed", [good, "x"]),
        *bad_rows,
    ]


GOOGLE_ROWS = _rows_cases(
    GOOD_GOOGLE_ROW,
    [
        ("no-ad-id", [{"date": "2026-03-01"}]),
        ("no-date", [{"ad_id": "1"}]),
        ("bad-date", [{**GOOD_GOOGLE_ROW, "date": "yesterday"}]),
        ("date-object", [{**GOOD_GOOGLE_ROW, "date": {"y": 2026}}]),
        ("clicks-text", [{**GOOD_GOOGLE_ROW, "clicks": "many"}]),
        ("clicks-list", [{**GOOD_GOOGLE_ROW, "clicks": [1]}]),
        ("negative-spend", [{**GOOD_GOOGLE_ROW, "cost_micros": -5_000_000}]),
        ("nan-impressions", [{**GOOD_GOOGLE_ROW, "impressions": "nan"}]),
        ("infinite-impressions", [{**GOOD_GOOGLE_ROW, "impressions": "1e400"}]),
        ("slash-in-ad-id", [{**GOOD_GOOGLE_ROW, "ad_id": "a/b/c"}]),
    ],
)
TIKTOK_ROWS = _rows_cases(
    GOOD_TIKTOK_ROW,
    [
        ("no-dimensions", [{"metrics": {}}]),
        ("dimensions-string", [{"dimensions": "x", "metrics": {}}]),
        ("metrics-list", [{"dimensions": GOOD_TIKTOK_ROW["dimensions"], "metrics": [1]}]),
        (
            "spend-text",
            [{"dimensions": GOOD_TIKTOK_ROW["dimensions"], "metrics": {"spend": "lots"}}],
        ),
        (
            "infinite-spend",
            [{"dimensions": GOOD_TIKTOK_ROW["dimensions"], "metrics": {"clicks": "inf"}}],
        ),
    ],
)


def _params(cases: list[tuple[str, Any]]) -> list[Any]:
    return [
        pytest.param(
            rows,
            id=name,
        )
        for name, rows in cases
    ]


@pytest.mark.parametrize("rows", _params(GOOGLE_ROWS))
def test_google_ads_signed_rows_with_wrong_types_are_400(app: Any, rows: Any) -> None:
    client, home = app
    body = _row_body("rows", rows)
    before = document_counts(home)
    sig = timed_signature(SECRETS["google_ads_webhook_secret"], body, NOW)
    answer = client.post("/webhooks/google-ads", data=body, headers={"X-Adloop-Signature": sig})
    _check(answer, 400)
    assert document_counts(home) == before, "nothing half-written"


def _kept_unread(client: Any, home: Path, body: bytes) -> None:
    """TikTok's webhooks carry no report rows (they are pulled): whatever a signed body holds
    is answered 200 (TikTok retries anything else for 72 hours), kept once, unread, and no
    figure is ingested from it."""
    before = document_counts(home)
    sig = timed_signature(SECRETS["tiktok_client_secret"], body, NOW)
    answer = client.post("/webhooks/tiktok", data=body, headers={"TikTok-Signature": sig})
    _check(answer, 200)
    assert answer.get_json()["readable"] is False
    after = document_counts(home)
    assert after.pop("tiktok_events") == before.pop("tiktok_events", 0) + 1
    assert after == before, "nothing but the event is written"


@pytest.mark.parametrize("rows", _params(TIKTOK_ROWS))
def test_tiktok_signed_rows_of_any_shape_are_kept_unread_never_ingested(
    app: Any, rows: Any
) -> None:
    client, home = app
    _kept_unread(client, home, _row_body("data.list", rows))


@pytest.mark.parametrize(
    ("route", "header", "secret", "key"),
    [("/webhooks/google-ads", "X-Adloop-Signature", "google_ads_webhook_secret", "rows")],
)
@pytest.mark.parametrize(("name", "body"), [c for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_timed_routes_signed_but_malformed_are_400(
    app: Any, route: str, header: str, secret: str, key: str, name: str, body: bytes
) -> None:
    client, home = app
    before = document_counts(home)
    sig = timed_signature(SECRETS[secret], body, NOW)
    _check(client.post(route, data=body, headers={header: sig}), 400)
    assert document_counts(home) == before


@pytest.mark.parametrize(("name", "body"), [c for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_tiktok_signed_but_malformed_is_kept_unread_and_answered_200(
    app: Any, name: str, body: bytes
) -> None:
    client, home = app
    _kept_unread(client, home, body)


def test_an_enormous_batch_of_unknown_ads_is_answered_and_kept_aside(app: Any) -> None:
    client, home = app
    rows = [{**GOOD_GOOGLE_ROW, "ad_id": f"x{i}", "ad_name": "not ours"} for i in range(3000)]
    body = _row_body("rows", rows)
    sig = timed_signature(SECRETS["google_ads_webhook_secret"], body, NOW)
    answer = client.post("/webhooks/google-ads", data=body, headers={"X-Adloop-Signature": sig})
    _check(answer, 200)
    assert answer.get_json()["unmatched"] == 3000 and answer.get_json()["stored"] == 0


def test_a_body_over_8_mib_is_413(app: Any) -> None:
    client, _ = app
    body = b'{"rows": [' + b" " * (9 * 1024 * 1024) + b"]}"
    for route in ("/webhooks/meta", "/webhooks/tiktok", "/webhooks/google-ads"):
        _check(client.post(route, data=body), 413)


GOOD_META = json.dumps({"object": "ad_account", "entry": []}).encode()
GOOD_TIMED = _row_body("rows", [GOOD_GOOGLE_ROW])


def _meta_sig(secret: str = SECRETS["meta_app_secret"], body: bytes = GOOD_META) -> str:
    return hub_signature(secret, body)


META_FORGED = [
    ("missing", None),
    ("empty", ""),
    ("prefix-only", "sha256="),
    ("sha1", "sha1=" + _meta_sig()[7:47]),
    ("wrong-secret", _meta_sig("guess")),
    ("other-body", _meta_sig(body=b"{}")),
    ("truncated", _meta_sig()[:-1]),
    ("no-prefix", _meta_sig()[7:]),
    ("garbage", "sha256=zzzz-not-hex"),
    ("unicode", "sha256=\u00e9\u00e9"),
]


@pytest.mark.parametrize("signature", [s for _, s in META_FORGED], ids=[n for n, _ in META_FORGED])
def test_meta_forged_signatures_are_401(app: Any, signature: str | None) -> None:
    client, home = app
    before = document_counts(home)
    headers = {} if signature is None else {"X-Hub-Signature-256": signature}
    _check(client.post("/webhooks/meta", data=GOOD_META, headers=headers), 401)
    assert document_counts(home) == before


def _timed(secret: str, t: int | str, body: bytes = GOOD_TIMED) -> str:
    return timed_signature(secret, body, t)  # type: ignore[arg-type]


TIMED_FORGED = [
    ("missing", None),
    ("empty", ""),
    ("no-s", f"t={NOW}"),
    ("no-t", _timed("x", NOW).split(",", 1)[1]),
    ("t-text", "t=now,s=abc"),
    ("wrong-secret", "@guess"),
    ("other-body", "@other"),
    ("stale-301s", f"@{NOW - 301}"),
    ("stale-1-day", f"@{NOW - 86_400}"),
    ("future-301s", f"@{NOW + 301}"),
    ("t-negative", "@-5"),
    ("t-unicode-digits", "t=\u0661\u0662,s=00"),
]


@pytest.mark.parametrize(
    ("route", "header", "secret"),
    [
        ("/webhooks/tiktok", "TikTok-Signature", "tiktok_client_secret"),
        ("/webhooks/google-ads", "X-Adloop-Signature", "google_ads_webhook_secret"),
    ],
)
@pytest.mark.parametrize("spec", [s for _, s in TIMED_FORGED], ids=[n for n, _ in TIMED_FORGED])
def test_timed_forged_or_stale_signatures_are_401(
    app: Any, route: str, header: str, secret: str, spec: str | None
) -> None:
    client, home = app
    value: str | None = spec
    if spec == "@guess":
        value = _timed("guess", NOW)
    elif spec == "@other":
        value = _timed(SECRETS[secret], NOW, b"{}")
    elif spec is not None and spec.startswith("@"):
        value = _timed(SECRETS[secret], int(spec[1:]))
    before = document_counts(home)
    headers = {} if value is None else {header: value}
    _check(client.post(route, data=GOOD_TIMED, headers=headers), 401)
    assert document_counts(home) == before


@pytest.mark.parametrize("skew", [-299, 0, 299])
def test_timed_signatures_inside_five_minutes_are_accepted(app: Any, skew: int) -> None:
    client, _ = app
    sig = _timed(SECRETS["google_ads_webhook_secret"], NOW + skew)
    answer = client.post(
        "/webhooks/google-ads", data=GOOD_TIMED, headers={"X-Adloop-Signature": sig}
    )
    _check(answer, 200)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 403),
        ({"hub.mode": "subscribe"}, 403),
        ({"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}, 403),
        ({"hub.mode": "unsubscribe", "hub.verify_token": SECRETS["meta_verify_token"]}, 403),
        ({"hub.mode": "subscribe", "hub.verify_token": SECRETS["meta_verify_token"]}, 400),
        ({"hub.mode": "subscribe", "hub.verify_token": "\u00e9", "hub.challenge": "1"}, 403),
    ],
)
def test_meta_verification_refuses_wrong_tokens(
    app: Any, params: dict[str, str], status: int
) -> None:
    client, _ = app
    answer = client.get("/webhooks/meta", query_string=params)
    _check(answer, status)
    assert SECRETS["meta_verify_token"] not in answer.get_data(as_text=True)


def _stored_json_is_valid(home: Path) -> bool:
    """Every stored document is JSON SQLite can query (one NaN once broke every later query)."""
    import sqlite3

    with sqlite3.connect(home / "state.db") as conn:
        [(bad,)] = conn.execute("SELECT COUNT(*) FROM documents WHERE NOT json_valid(data)")
    return bool(bad == 0)


_ROW = b'{"ad_id": "9", "date": "2026-03-01", "ad_name": "not ours", '
NON_FINITE: list[tuple[str, str, bytes, str]] = [
    # (id, route, body, the field the answer must name)
    (
        "google-infinity-text",
        "google",
        _row_body("rows", [{**GOOD_GOOGLE_ROW, "cost_micros": "Infinity"}]),
        "cost_micros",
    ),
    (
        "google-neg-infinity-text",
        "google",
        _row_body("rows", [{**GOOD_GOOGLE_ROW, "cost_micros": "-Infinity"}]),
        "cost_micros",
    ),
    (
        "google-nan-text",
        "google",
        _row_body("rows", [{**GOOD_GOOGLE_ROW, "conversions_value": "NaN"}]),
        "conversions_value",
    ),
    ("google-nan-literal", "google", b'{"rows": [' + _ROW + b'"clicks": NaN}]}', "rows[0].clicks"),
    (
        "google-1e400",
        "google",
        b'{"rows": [' + _ROW + b'"cost_micros": 1e400}]}',
        "rows[0].cost_micros",
    ),
    (
        "google-4000-digits",
        "google",
        b'{"rows": [' + _ROW + b'"impressions": ' + b"9" * 4000 + b"}]}",
        "rows[0].impressions",
    ),
    (
        "google-1e300",
        "google",
        b'{"rows": [' + _ROW + b'"impressions": 1e300}]}',
        "rows[0].impressions",
    ),
    (
        "meta-event-nan",
        "meta",
        b'{"object": "ad_account", "entry": [{"id": "1", "changes": '
        b'[{"field": "ad_rules", "value": {"spend": NaN}}]}]}',
        "value.spend",
    ),
    (
        "meta-event-infinity",
        "meta",
        b'{"entry": [{"id": "1", "changes": [{"field": "x", "value": {"n": -Infinity}}]}]}',
        "value.n",
    ),
    (
        "meta-event-4000-digits",
        "meta",
        b'{"entry": [{"id": "1", "changes": [{"field": "x", "value": {"n": '
        + b"1" * 4000
        + b"}}]}]}",
        "value.n",
    ),
]
_ROUTES = {
    "google": ("/webhooks/google-ads", "X-Adloop-Signature", "google_ads_webhook_secret"),
    "tiktok": ("/webhooks/tiktok", "TikTok-Signature", "tiktok_client_secret"),
    "meta": ("/webhooks/meta", "X-Hub-Signature-256", "meta_app_secret"),
}


@pytest.mark.parametrize(
    ("platform", "body", "field"),
    [pytest.param(p, b, f, id=n) for n, p, b, f in NON_FINITE],
)
def test_a_signed_number_that_is_not_finite_or_bounded_is_400_naming_it(
    app: Any, platform: str, body: bytes, field: str
) -> None:
    client, home = app
    route, header, secret = _ROUTES[platform]
    if platform == "meta":
        sig = hub_signature(SECRETS[secret], body)
    else:
        sig = timed_signature(SECRETS[secret], body, NOW)
    before = document_counts(home)
    answer = client.post(route, data=body, headers={header: sig})
    _check(answer, 400)
    assert field in answer.get_json()["error"], answer.get_json()
    assert document_counts(home) == before, "nothing stored"
    assert _stored_json_is_valid(home)
    # The state store still answers: a good delivery after the bad one is ingested.
    good = _row_body("rows", [{**GOOD_GOOGLE_ROW, "ad_name": "not ours either"}])
    sig = timed_signature(SECRETS["google_ads_webhook_secret"], good, NOW)
    ok = client.post("/webhooks/google-ads", data=good, headers={"X-Adloop-Signature": sig})
    _check(ok, 200)
