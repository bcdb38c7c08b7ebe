"""The ad platforms' body parsers (``shared.platforms``, ``shared.loop.ingest``), whatever a
signed body holds: events and rows the store can hold, or BadInput (400) saying why; never
another exception, and through the real routes never a 5xx or a document SQLite cannot read
(issue 13, "Also": property tests for every parser an outsider can reach)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from shared.errors import BadInput
from shared.loop.ingest import normalise
from shared.platforms.meta import parse_meta
from shared.platforms.webhook import parse_rows
from shared.ports.documents import check_storable
from tests.hostile.strategies import LEAF, NUMBER, SHORT, damaged, objects, to_text, values
from tests.hostile.test_webhook_bodies import NOW, SECRETS, _auth
from tests.loop.platforms import hub_signature, timed_signature

TEXT = st.one_of(
    st.sampled_from(["1", "23851", "adl.c1.A x", "a/b", "", " "]), st.text(max_size=20)
)
DAY = st.one_of(st.sampled_from(["2026-03-01", "2026-03-01 00:00:00", "2026-02-30", "x"]), LEAF)
METRIC = st.one_of(NUMBER, LEAF)
ACTIONS = st.lists(
    objects({"action_type": st.sampled_from(["purchase", "video_view", "x"]), "value": METRIC}),
    max_size=3,
)
GOOGLE_ROW = objects(
    {
        "ad_id": st.one_of(TEXT, LEAF),
        "ad_name": TEXT,
        "final_url": TEXT,
        "date": DAY,
        **{
            k: METRIC
            for k in ("impressions", "clicks", "cost_micros", "conversions", "conversions_value")
        },
    },
    required=("ad_id", "date"),
)
TIKTOK_ROW = objects(
    {
        "dimensions": objects({"ad_id": TEXT, "stat_time_day": DAY}, required=("ad_id",)),
        "metrics": objects(
            {
                k: METRIC
                for k in ("impressions", "clicks", "spend", "conversion", "total_purchase_value")
            }
            | {"ad_name": TEXT}
        ),
    },
    required=("dimensions", "metrics"),
)
META_ROW = objects(
    {
        "ad_id": TEXT,
        "ad_name": TEXT,
        "date_start": DAY,
        "impressions": METRIC,
        "spend": METRIC,
        "inline_link_clicks": METRIC,
        "actions": st.one_of(ACTIONS, LEAF),
        "action_values": ACTIONS,
    },
    required=("ad_id", "date_start"),
)
CHANGE = objects(
    {
        "field": st.sampled_from(["async_requests", "ad_rules", "x"]),
        "value": st.one_of(
            objects({"status": st.just("Job Completed"), "report_run_id": TEXT, "n": METRIC}),
            values(st.sampled_from(["id", "status", "spend", "n"])),
        ),
    },
    required=("value",),
)
META_EVENT = objects(
    {
        "object": st.just("ad_account"),
        "entry": st.lists(
            objects({"id": TEXT, "changes": st.lists(CHANGE, max_size=3)}), max_size=3
        ),
    },
    required=("entry",),
)
BODIES = {
    "google": objects({"customer_id": TEXT, "rows": st.lists(GOOGLE_ROW, max_size=4)}),
    "tiktok": objects({"data": objects({"list": st.lists(TIKTOK_ROW, max_size=4)})}),
    "meta-insights": objects({"data": st.lists(META_ROW, max_size=4)}),
    "meta": META_EVENT,
}
KEY = {"google": "rows", "tiktok": "data.list", "meta-insights": "data"}
ANY_KEY = st.sampled_from(["rows", "data", "list", "entry", "changes", "value", "ad_id", "x"])


def _body(name: str) -> st.SearchStrategy[bytes]:
    shaped = BODIES[name].map(to_text)
    return st.one_of(shaped, damaged(shaped), values(ANY_KEY).map(to_text)).map(str.encode)


def _parse(name: str, body: bytes) -> list[dict[str, Any]]:
    """What the route would store from ``body``: the events' values, or the rows' snapshots."""
    if name == "meta":
        return [{"value": event.value} for event in parse_meta(body)]
    _, raw = parse_rows(body, key=KEY[name])
    platform = name.removesuffix("-insights")
    return [row.snapshot.model_dump(mode="json") for row in normalise(platform, raw)]


@pytest.mark.parametrize("name", sorted(BODIES))
@SHORT
@given(data=st.data())
def test_a_body_is_what_the_store_can_hold_or_a_400(name: str, data: st.DataObject) -> None:
    body = data.draw(_body(name), label="body")
    try:
        docs = _parse(name, body)
    except BadInput as e:
        assert str(e)
        return
    for doc in docs:
        check_storable("performance/x", doc)
        json.dumps(doc, allow_nan=False)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FlaskClient, Path]]:
    from infra.app import create_app
    from infra.runtime import LocalRuntime
    from shared.settings import Settings
    from shared.web.webhooks import webhook_routes

    home = tmp_path_factory.mktemp("webhook-properties")
    settings = Settings(home=home, render=False, **SECRETS)  # type: ignore[arg-type]
    runtime = LocalRuntime(settings)
    routes = webhook_routes(runtime.services, settings, clock=lambda: float(NOW))
    yield create_app(runtime.runner, _auth(runtime), extra_routes=routes).test_client(), home


ROUTES = {
    "google": ("/webhooks/google-ads", "X-Adloop-Signature", "google_ads_webhook_secret"),
    "tiktok": ("/webhooks/tiktok", "TikTok-Signature", "tiktok_client_secret"),
    "meta": ("/webhooks/meta", "X-Hub-Signature-256", "meta_app_secret"),
}


@pytest.mark.parametrize("name", sorted(ROUTES))
@SHORT
@given(data=st.data())
def test_a_signed_body_is_answered_200_or_400_and_the_store_stays_readable(
    app: tuple[FlaskClient, Path], name: str, data: st.DataObject
) -> None:
    client, home = app
    body = data.draw(_body(name), label="body")
    route, header, secret = ROUTES[name]
    if name == "meta":
        signature = hub_signature(SECRETS[secret], body)
    else:
        signature = timed_signature(SECRETS[secret], body, NOW)
    answer = client.post(route, data=body, headers={header: signature})
    assert answer.status_code in (200, 400), answer.get_data(as_text=True)[:300]
    with sqlite3.connect(home / "state.db") as conn:
        [(bad,)] = conn.execute("SELECT COUNT(*) FROM documents WHERE NOT json_valid(data)")
    assert bad == 0
