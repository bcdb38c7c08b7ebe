"""Meta's performance comes from an asynchronous insights report that adloop requests daily and
polls until Meta says it is done (``GET /{report_run_id}``), then reads page by page; an
``async_requests`` webhook delivery is only a hint. Tested against a fake Graph API that speaks
the documented wire format (tests/fakes/meta_graph_api.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from pydantic import SecretStr

from shared.adapters.local_queue import SqliteTaskQueue
from shared.loop.steps import RESTATED_DAYS, pull_recent_insights
from shared.services import Services
from tests.fakes.http_server import LoopbackServer
from tests.fakes.meta_graph_api import FakeGraph, meta_graph_server
from tests.loop.conftest import LoopSettings, seed_campaign
from tests.loop.platforms import Day, hub_signature, meta_completion, meta_row


def drain(client: FlaskClient, services: Services) -> list[tuple[str, int]]:
    """Deliver every due task to /tasks/<step> the way the local dispatcher does."""
    queue = services.queue
    assert isinstance(queue, SqliteTaskQueue)
    done = []
    while (lease := queue.lease()) is not None:
        r = client.post(
            f"/tasks/{lease.step}", data=lease.body, headers={"Authorization": "Bearer t"}
        )
        done.append((lease.step, r.status_code))
        queue.complete(lease)
    return done


def _rows(account: str, since: str, until: str, *, clicks: int = 60) -> list[dict[str, Any]]:
    days = [
        Day(f"m-{label}", f"adl.c1.{label} feed", since, 3000, clicks, 40.0, 4, 160.0, 900, 200)
        for label in ("A", "B")
    ]
    days.append(Day("m-x", "Retargeting 2025", since, 10, 1, 1.0, 0, 0.0))
    return [meta_row(d) for d in days]


@pytest.fixture
def graph(services: Services, settings: LoopSettings) -> Iterator[tuple[FakeGraph, LoopbackServer]]:
    seed_campaign(services, "c1", [{"label": "A"}, {"label": "B", "angle": "curiosity"}])
    doc = services.documents.get("campaigns/c1") or {}
    today = services.clock().date()
    services.documents.set("campaigns/c1", {**doc, "completed_at": today.isoformat()})
    fake = FakeGraph(rows_for=_rows, page_size=2)
    with meta_graph_server(fake) as server:
        settings.meta_access_token = SecretStr("meta-token")
        settings.meta_graph_url = server.url
        settings.meta_ad_account_id = "act_1234"
        settings.meta_report_poll_s = 0.0  # re-checks due at once, so drain() runs them
        yield fake, server


def _reads(server: LoopbackServer, rid: str) -> int:
    return sum(1 for q in server.requests if q.method == "GET" and q.path.endswith(f"/{rid}"))


def _snapshot(services: Services, ad: str) -> dict[str, Any]:
    day = (services.clock().date() - timedelta(days=RESTATED_DAYS)).isoformat()
    return services.documents.get(f"performance/meta:{ad}:{day}") or {}


def test_a_report_is_polled_until_done_then_read_page_by_page(
    client: FlaskClient,
    services: Services,
    settings: LoopSettings,
    graph: tuple[FakeGraph, LoopbackServer],
) -> None:
    fake, server = graph
    assert pull_recent_insights(services, settings) == 1
    (rid,) = fake.reports
    fake.throttle_next()  # the first status read is throttled (code 80000) and retried
    ran = drain(client, services)
    # Not Started, Started, Running: each check queues the next; Completed: read, then learn.
    assert ran == [("loop_meta_report", 200)] * 4 + [("loop_learn", 200)]
    assert _reads(server, rid) == 1 + 4
    pages = [q for q in server.requests if q.path.endswith(f"/{rid}/insights")]
    assert len(pages) == 2  # three rows, two per page, following paging.next
    assert all(q.query["access_token"] == ["meta-token"] for q in server.requests)
    post = next(q for q in server.requests if q.method == "POST")
    assert post.path == "/v25.0/act_1234/insights" and post.query["level"] == ["ad"]
    a = _snapshot(services, "m-A")
    assert (a["clicks"], a["conversions"], a["revenue"]) == (60, 4, 160.0)
    record = services.documents.get(f"meta_reports/{rid}") or {}
    assert (record["status"], record["async_status"], record["stored"]) == (
        "ingested",
        "Job Completed",
        2,
    )
    assert [d.data["ad_name"] for d in services.documents.query("unmatched")] == [
        "Retargeting 2025"
    ]


def test_a_failed_run_is_recorded_and_asked_for_again_next_day(
    client: FlaskClient,
    services: Services,
    settings: LoopSettings,
    graph: tuple[FakeGraph, LoopbackServer],
) -> None:
    fake, _ = graph
    fake.steps_for = lambda n: (
        [("Job Running", 10), ("Job Failed", 10)] if n == 0 else [("Job Completed", 100)]
    )
    pull_recent_insights(services, settings)
    (failed,) = fake.reports
    assert drain(client, services) == [("loop_meta_report", 200)] * 2  # nothing to learn from
    record = services.documents.get(f"meta_reports/{failed}") or {}
    assert (record["status"], record["reason"]) == ("failed", "Job Failed")
    assert _snapshot(services, "m-A") == {}
    # The next daily pull asks again for the failed run's days (and its own), once.
    assert pull_recent_insights(services, settings) == 2
    assert (services.documents.get(f"meta_reports/{failed}") or {})["status"] == "retried"
    drain(client, services)
    assert _snapshot(services, "m-A")["clicks"] == 60
    assert pull_recent_insights(services, settings) == 1  # the failure is not asked for twice


def test_a_corrected_day_replaces_the_figures(
    client: FlaskClient,
    services: Services,
    settings: LoopSettings,
    graph: tuple[FakeGraph, LoopbackServer],
) -> None:
    fake, _ = graph
    pull_recent_insights(services, settings)
    drain(client, services)
    fake.rows_for = lambda a, s, u: _rows(a, s, u, clicks=75)  # Meta restated the day
    pull_recent_insights(services, settings)
    drain(client, services)
    assert _snapshot(services, "m-A")["clicks"] == 75
    assert len([d for d in services.documents.query("performance") if ":m-A:" in d.id]) == 1


def test_a_redelivered_check_changes_nothing(
    client: FlaskClient,
    services: Services,
    settings: LoopSettings,
    graph: tuple[FakeGraph, LoopbackServer],
) -> None:
    fake, server = graph
    fake.steps_for = lambda n: [("Job Completed", 100)]
    pull_recent_insights(services, settings)
    (rid,) = fake.reports
    queue = services.queue
    assert isinstance(queue, SqliteTaskQueue)
    lease = queue.lease()
    assert lease is not None
    for _ in range(2):  # the queue delivers the same task twice (at least once)
        r = client.post(
            "/tasks/loop_meta_report", data=lease.body, headers={"Authorization": "Bearer t"}
        )
        assert r.status_code == 200
    queue.complete(lease)
    assert _reads(server, rid) == 1
    assert (
        len([q for q in server.requests if q.path.endswith("/insights") and q.method == "GET"]) == 2
    )
    assert _snapshot(services, "m-A")["clicks"] == 60


def test_the_webhook_hint_is_the_same_check_as_the_scheduled_one(
    client: FlaskClient,
    services: Services,
    settings: LoopSettings,
    graph: tuple[FakeGraph, LoopbackServer],
) -> None:
    fake, server = graph
    fake.steps_for = lambda n: [("Job Completed", 100)]
    pull_recent_insights(services, settings)
    (rid,) = fake.reports
    body = meta_completion("act_1234", rid)
    sig = {"X-Hub-Signature-256": hub_signature("meta-secret", body)}
    for _ in range(3):  # Meta retries deliveries; each is the same hint
        r = client.post("/webhooks/meta", data=body, headers=sig)
        assert r.status_code == 200 and r.get_json()["queued"] == 1
    assert drain(client, services) == [("loop_meta_report", 200), ("loop_learn", 200)]
    assert _reads(server, rid) == 1
    # A hint arriving after the report was read starts nothing new either.
    client.post("/webhooks/meta", data=body, headers=sig)
    assert drain(client, services) == [] and _reads(server, rid) == 1


def test_the_fake_refuses_what_meta_refuses(graph: tuple[FakeGraph, LoopbackServer]) -> None:
    import httpx

    _, server = graph
    with httpx.Client(base_url=server.url) as http:
        no_token = http.post("/v25.0/act_1/insights", params={"level": "ad"})
        assert no_token.status_code == 400 and no_token.json()["error"]["code"] == 104
        bad = http.post(
            "/v25.0/act_1/insights",
            params={"access_token": "meta-token", "level": "ad", "fields": "ad_id,revenue"},
        )
        assert bad.status_code == 400 and "revenue" in bad.json()["error"]["message"]
        unknown = http.get("/v25.0/999", params={"access_token": "meta-token"})
        assert unknown.json()["error"]["error_subcode"] == 33
