"""A product site on the "public internet" of the tests: a loopback server behind a made-up
public address (tests/hostile/test_safe_fetch.py's PublicInternet), so safe_fetch still resolves,
checks and pins every hop itself. Loopback is reachable only this way, only in tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from shared.net.safe_fetch import Fetcher, fetch
from tests.conftest import EXAMPLES
from tests.fakes.http_server import FakeResponse, LoopbackServer, RecordedRequest
from tests.hostile.test_safe_fetch import PUBLIC_IP, PublicInternet, resolver_for

PAGE = Path(__file__).parent.parent / "fixtures" / "pages" / "glowdrop.html"
URL = "https://shop.glowdrop.example/serum"
HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass
class Site:
    server: LoopbackServer
    pages: dict[str, FakeResponse]
    fetch: Fetcher


@contextmanager
def product_site(names: dict[str, list[str]] | None = None) -> Iterator[Site]:
    pages = {
        "/serum": FakeResponse(200, PAGE.read_bytes(), HTML),
        "/bottle.png": FakeResponse(
            200, (EXAMPLES / "assets" / "glowdrop-bottle.png").read_bytes()
        ),
        "/images/serum-texture.png": FakeResponse(
            200, (EXAMPLES / "assets" / "ledgerly-app.png").read_bytes()
        ),
    }

    def handle(request: RecordedRequest) -> FakeResponse:
        return pages.get(request.path, FakeResponse(404, "no such page"))

    table = {"shop.glowdrop.example": [PUBLIC_IP], "cdn.glowdrop.example": [PUBLIC_IP]}
    with LoopbackServer(handle) as server:
        transport = PublicInternet(server.port)
        routed = partial(
            fetch, resolver=resolver_for({**table, **(names or {})}), transport=transport
        )
        yield Site(server, pages, routed)
        transport.close()
