"""shared.net.safe_fetch: no fetch reaches a private, loopback or link-local address, not by
name, not by a numeric trick, not after a redirect; bodies are capped and bounded in time.

No network: names resolve through an injected resolver, and the "public internet" is a transport
that delivers packets addressed to one made-up public address to a loopback server. The code
under test still resolves, checks and pins every hop itself.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import httpx
import pytest

from shared.errors import BadInput
from shared.net.safe_fetch import fetch
from tests.fakes.http_server import FakeResponse, LoopbackServer, RecordedRequest

PUBLIC_IP = "93.184.215.14"  # a global unicast address; never contacted (see PublicInternet)


def resolver_for(table: dict[str, Sequence[str]], calls: list[str] | None = None) -> Any:
    """``socket.getaddrinfo`` over a fixed table; a list value is answered in turn per call."""
    answers = {name: list(v) for name, v in table.items()}

    def resolve(host: str, *_: Any, **__: Any) -> list[tuple[Any, ...]]:
        if calls is not None:
            calls.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answers[host]
        # "a|b" entries mean: this call answers a, the next one b (a name that rebinds).
        first = addresses[0].split("|")
        if len(first) > 1:
            addresses[0] = "|".join(first[1:])
        family = socket.AF_INET6 if ":" in first[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (a, 0)) for a in [first[0], *addresses[1:]]]

    return resolve


class PublicInternet(httpx.BaseTransport):
    """Routes requests for ``PUBLIC_IP`` to a loopback server; refuses every other address."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.HTTPTransport()
        self.routed: list[httpx.Request] = []
        self.hosts: list[str] = []  # the address each request was sent to

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.routed.append(request)
        self.hosts.append(request.url.host)
        if request.url.host != PUBLIC_IP:
            raise httpx.ConnectError(f"test network: no route to {request.url.host}")
        # TLS is not simulated: the loopback server speaks plain HTTP.
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@pytest.fixture
def site() -> Iterator[tuple[LoopbackServer, dict[str, FakeResponse]]]:
    pages: dict[str, FakeResponse] = {}

    def handle(request: RecordedRequest) -> FakeResponse:
        return pages.get(request.path, FakeResponse(404, "no such page"))

    with LoopbackServer(handle) as server:
        yield server, pages


def _refused(url: str, **kwargs: Any) -> str:
    kwargs.setdefault("max_bytes", 1000)
    kwargs.setdefault("timeout_s", 5.0)
    with pytest.raises(BadInput) as err:
        fetch(url, **kwargs)
    return str(err.value)


def test_a_public_page_is_fetched_through_the_address_that_was_checked(site: Any) -> None:
    server, pages = site
    pages["/p.png"] = FakeResponse(200, b"PNGDATA")
    net = PublicInternet(server.port)
    body = fetch(
        "https://cdn.example.com/p.png",
        max_bytes=1000,
        timeout_s=5,
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}),
        transport=net,
    )
    assert body == b"PNGDATA"
    assert server.requests[0].headers["host"] == "cdn.example.com"
    assert net.routed[0].extensions["sni_hostname"] == "cdn.example.com"


def test_a_public_looking_name_that_resolves_to_loopback_is_refused(site: Any) -> None:
    server, pages = site
    pages["/p.png"] = FakeResponse(200, b"inside")
    message = _refused(
        f"http://assets.example.com:{server.port}/p.png",
        allow_http=True,
        resolver=resolver_for({"assets.example.com": ["127.0.0.1"]}),
    )
    assert "127.0.0.1" in message and "loopback" in message
    assert server.requests == [], "nothing was sent to the private address"


def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    resolver = resolver_for({"mixed.example.com": [PUBLIC_IP, "10.1.2.3"]})
    assert "10.1.2.3" in _refused("https://mixed.example.com/x", resolver=resolver)


PRIVATE = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # the cloud metadata server
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.251",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.10",  # documentation
    "198.18.0.1",  # benchmarking
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 wrapping the metadata server
    "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata server
    "2001:db8::1",
]


@pytest.mark.parametrize("address", PRIVATE)
def test_private_addresses_are_refused_by_name(address: str) -> None:
    message = _refused(
        "https://innocent.example.com/a.png",
        resolver=resolver_for({"innocent.example.com": [address]}),
    )
    assert str(ipaddress.ip_address(address)) in message and "refused" in message


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254", "::1", "::ffff:10.0.0.1"])
def test_private_addresses_are_refused_as_literals(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    assert "refused" in _refused(f"https://{host}/a.png")


@pytest.mark.parametrize("host", ["2130706433", "0x7f.0.0.1", "127.1", "017700000001", "localhost"])
def test_numeric_tricks_for_loopback_are_refused(host: str) -> None:
    # The system resolver turns these into 127.0.0.1 locally (no DNS query leaves the machine).
    assert "127.0.0.1" in _refused(f"http://{host}/x", allow_http=True)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/x",
        "gopher://example.com/_x",
        "data:text/plain,hi",
        "javascript:alert(1)",
        "dict://example.com:11211/stat",
        "//example.com/x",
        "example.com/x",
        "http://example.com/x",  # plain http when allow_http is off
        "https:///nohost",
        "https://[::1",
        "https://example.com:99999/x",
    ],
)
def test_only_http_and_https_urls_with_a_host_are_fetched(url: str) -> None:
    message = _refused(url, resolver=resolver_for({"example.com": [PUBLIC_IP]}))
    assert message  # a clear reason, never a traceback


def test_an_unknown_host_is_a_clear_refusal() -> None:
    assert "cannot resolve" in _refused("https://nowhere.invalid/x", resolver=resolver_for({}))


def _redirecting(site: Any, location: str) -> tuple[LoopbackServer, PublicInternet]:
    server, pages = site
    pages["/start"] = FakeResponse(302, "moved", {"Location": location})
    pages["/secret"] = FakeResponse(200, b"the metadata token")
    return server, PublicInternet(server.port)


def test_a_redirect_from_a_public_host_to_loopback_is_refused(site: Any) -> None:
    server, net = _redirecting(site, f"http://127.0.0.1:{site[0].port}/secret")
    message = _refused(
        "http://cdn.example.com/start",
        allow_http=True,
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}),
        transport=net,
    )
    assert "127.0.0.1" in message and "loopback" in message
    assert [r.path for r in server.requests] == ["/start"], "the private hop was never requested"


def test_a_redirect_to_a_name_that_resolves_privately_is_refused(site: Any) -> None:
    server, net = _redirecting(site, "http://metadata.internal/computeMetadata/v1/")
    calls: list[str] = []
    message = _refused(
        "http://cdn.example.com/start",
        allow_http=True,
        resolver=resolver_for(
            {"cdn.example.com": [PUBLIC_IP], "metadata.internal": ["169.254.169.254"]}, calls
        ),
        transport=net,
    )
    assert "169.254.169.254" in message
    assert calls == ["cdn.example.com", "metadata.internal"], "every hop is resolved again"
    assert len(net.routed) == 1


def test_a_redirect_on_the_same_public_host_is_followed_and_checked_again(site: Any) -> None:
    server, net = _redirecting(site, "/secret")
    calls: list[str] = []
    body = fetch(
        "http://cdn.example.com/start",
        max_bytes=1000,
        timeout_s=5,
        allow_http=True,
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}, calls),
        transport=net,
    )
    assert body == b"the metadata token"
    assert calls == ["cdn.example.com", "cdn.example.com"]


def test_a_name_that_rebinds_to_loopback_after_the_check_still_reaches_the_checked_address(
    site: Any,
) -> None:
    server, pages = site
    pages["/p"] = FakeResponse(200, b"public")
    net = PublicInternet(server.port)
    # First answer public (checked), any later answer loopback: the connection must use the
    # checked address, not ask again.
    body = fetch(
        "https://rebind.example.com/p",
        max_bytes=100,
        timeout_s=5,
        resolver=resolver_for({"rebind.example.com": [f"{PUBLIC_IP}|127.0.0.1"]}),
        transport=net,
    )
    assert body == b"public" and net.hosts == [PUBLIC_IP]


def test_endless_redirects_stop(site: Any) -> None:
    server, net = _redirecting(site, "/start")
    message = _refused(
        "http://cdn.example.com/start",
        allow_http=True,
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}),
        transport=net,
    )
    assert "redirects" in message


def test_an_error_status_is_a_clear_refusal(site: Any) -> None:
    server, _ = site
    message = _refused(
        "https://cdn.example.com/missing.png",
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}),
        transport=PublicInternet(server.port),
    )
    assert "HTTP 404" in message


def test_a_declared_oversize_body_is_refused_before_it_is_read(site: Any) -> None:
    server, pages = site
    pages["/big"] = FakeResponse(200, b"x" * 50_000)
    message = _refused(
        "https://cdn.example.com/big",
        max_bytes=10_000,
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}),
        transport=PublicInternet(server.port),
    )
    assert "50,000 bytes" in message and "10,000" in message


def _raw_server(write: Callable[[socket.socket], None]) -> Iterator[int]:
    """A one-connection server that answers with whatever ``write`` sends (no Content-Length)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            with contextlib.suppress(OSError):  # the client hung up, as it should
                write(conn)
            stop.wait(5)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    listener.close()
    thread.join(timeout=5)


@pytest.fixture
def endless() -> Iterator[int]:
    def write(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        for _ in range(400):  # 4 MB unless the client stops reading
            conn.sendall(b"y" * 10_000)

    yield from _raw_server(write)


@pytest.fixture
def stalled() -> Iterator[int]:
    def write(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst bytes")

    yield from _raw_server(write)


def test_an_undeclared_oversize_body_is_cut_off_with_an_error(endless: int) -> None:
    message = _refused(
        "https://cdn.example.com/stream",
        max_bytes=100_000,
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}),
        transport=PublicInternet(endless),
    )
    assert "over the 100,000 byte limit" in message


def test_a_body_that_stops_arriving_is_refused(stalled: int) -> None:
    message = _refused(
        "https://cdn.example.com/slow",
        timeout_s=0.5,
        resolver=resolver_for({"cdn.example.com": [PUBLIC_IP]}),
        transport=PublicInternet(stalled),
    )
    assert "in time" in message
