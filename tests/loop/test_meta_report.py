"""Meta pushes "report finished", not metrics: adloop pulls the report from the Marketing API
(paginated, retried when throttled) on the feedback queue, and ingests it once."""

from __future__ import annotations

from flask.testing import FlaskClient
from pydantic import SecretStr

from shared.adapters.local_queue import SqliteTaskQueue
from shared.adapters.meta_marketing import MetaInsightsClient
from shared.loop.steps import request_meta_report
from shared.services import Services
from tests.fakes.http_server import FakeResponse
from tests.loop.conftest import LoopSettings, seed_campaign
from tests.loop.platforms import (
    Day,
    FakeGraph,
    graph_server,
    hub_signature,
    meta_completion,
    meta_row,
)


def drain(client: FlaskClient, services: Services) -> list[tuple[str, int]]:
    """Deliver every queued task to /tasks/<step> the way the local dispatcher does."""
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


def _rows() -> list[dict[str, object]]:
    days = [
        Day(
            f"m-{label}",
            f"adl.c1.{label} feed",
            f"2026-03-0{d}",
            3000,
            60 if label == "A" else 20,
            40.0,
            4 if label == "A" else 1,
            160.0 if label == "A" else 30.0,
            900,
            200,
        )
        for label in ("A", "B")
        for d in (1, 2)
    ]
    days.append(Day("m-x", "Retargeting 2025", "2026-03-01", 10, 1, 1.0, 0, 0.0))
    return [meta_row(d) for d in days]


def test_a_finished_report_is_pulled_page_by_page_and_ingested_once(
    client: FlaskClient, services: Services, settings: LoopSettings
) -> None:
    seed_campaign(services, "c1", [{"label": "A"}, {"label": "B", "angle": "curiosity"}])
    graph = FakeGraph(
        rows_for=lambda params: _rows(),
        page_size=2,
        throttle=[FakeResponse(429, {"error": {"message": "slow down", "code": 4}})],
    )
    with graph_server(graph) as server:
        graph.base = server.url
        settings.meta_access_token = SecretStr("meta-token")
        settings.meta_graph_url = server.url
        meta = MetaInsightsClient("meta-token", base_url=server.url, max_backoff_s=0.5)
        rid = request_meta_report(
            services, meta, "c1", "1234", since="2026-03-01", until="2026-03-02"
        )
        meta.close()
        graph.throttle.append(
            FakeResponse(400, {"error": {"message": "User request limit reached", "code": 17}})
        )
        body = meta_completion("act_1234", rid)
        sig = {"X-Hub-Signature-256": hub_signature("meta-secret", body)}
        for _ in range(3):  # Meta retries deliveries; every copy is the same report
            r = client.post("/webhooks/meta", data=body, headers=sig)
            assert r.status_code == 200 and r.get_json()["queued"] == 1
        ran = drain(client, services)
        pages = [q for q in server.requests if q.method == "GET"]
    assert ran == [("loop_meta_report", 200), ("loop_learn", 200)]
    assert len(pages) == 1 + 3  # one throttled, then three pages of two rows
    assert all(q.query["access_token"] == ["meta-token"] for q in pages)
    snaps = {d.id: d.data for d in services.documents.query("performance")}
    assert sorted(snaps) == [f"meta:m-{label}:2026-03-0{d}" for label in "AB" for d in (1, 2)]
    a1 = snaps["meta:m-A:2026-03-01"]
    assert (a1["clicks"], a1["conversions"], a1["revenue"], a1["video_3s_views"]) == (
        60,
        4,
        160.0,
        900,
    )
    assert [d.data["ad_name"] for d in services.documents.query("unmatched")] == [
        "Retargeting 2025"
    ]
    # Learning ran: the pattern library knows both angles, the stronger one scored higher.
    angles = {
        d.data["value"]: d.data["score"]
        for d in services.documents.query("patterns", [("kind", "==", "angle")])
    }
    assert angles["pain_first"] > 0.5 > angles["curiosity"]
