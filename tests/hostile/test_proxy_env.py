"""Proxy variables never see the local queue's deliveries (issue 13, finding 4).

httpx honours HTTP_PROXY / ALL_PROXY by default, so with one set every task the local queue
delivered, bearer token included, went to that proxy. Clients that call this machine's own
server ignore the environment's proxies; outbound provider clients may use them on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, running_server, wait_for_campaign
from shared.pipeline.campaigns import start_campaign
from shared.settings import Settings
from tests.bot.conftest import wait_until
from tests.conftest import EXAMPLES
from tests.fakes.http_server import FakeResponse, LoopbackServer

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
)


@pytest.fixture
def proxy(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    """A loopback "proxy" that records what it is sent and forwards nothing."""
    with LoopbackServer(lambda _: FakeResponse(502, {"error": "the proxy keeps it"})) as server:
        for name in PROXY_VARIABLES:
            monkeypatch.setenv(name, server.url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield server


def test_a_campaign_completes_and_the_proxy_sees_nothing(proxy: LoopbackServer) -> None:
    loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml")
    runtime = LocalRuntime(Settings()).start(announce=True)  # as `adloop serve` starts it
    try:
        assert running_server(runtime.settings.home_dir) == runtime.url
        campaign = start_campaign(runtime.services, loaded.brief, images=loaded.images)

        def finished_or_leaked() -> bool:
            doc = runtime.services.documents.get(f"campaigns/{campaign.id}") or {}
            return bool(proxy.requests) or doc.get("status") in ("complete", "failed")

        wait_until(finished_or_leaked, timeout_s=120, what="the campaign (or a leak)")
        seen = proxy.requests
        assert seen == [], f"the proxy was sent {[(r.method, r.path) for r in seen]}"
        done = wait_for_campaign(runtime.services, campaign.id, timeout_s=1)
    finally:
        runtime.stop()
    assert done["status"] == "complete"
