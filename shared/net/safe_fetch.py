"""Fetch a URL a user gave us without letting it reach inside our network.

A URL in a brief or a render spec is user input. Fetching it naively lets a user make our
servers call the metadata server (169.254.169.254), a database on 10.x or a local admin port
(SSRF). :func:`fetch`:

* accepts only ``https`` (and ``http`` when asked);
* resolves the host itself and refuses it if *any* address is private, loopback, link-local,
  multicast, reserved or unspecified, including those hidden in IPv6 (``::ffff:127.0.0.1``,
  6to4, NAT64, Teredo);
* connects to the address it checked (the URL's host is kept in the ``Host`` header and TLS
  SNI), so a DNS answer that changes between check and connect (rebinding) cannot redirect it;
* follows redirects itself, checking every hop the same way;
* streams the body with a byte cap and an overall deadline.

Every refusal is :class:`shared.errors.BadInput` with a message naming the URL and the reason.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from shared.errors import BadInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., Sequence[tuple[Any, ...]]]
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class Fetcher(Protocol):
    """What a caller of :func:`fetch` needs of it (steps get one through ``Services.fetch``)."""

    def __call__(self, url: str, *, max_bytes: int, timeout_s: float) -> bytes: ...


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout_s: float,
    allow_http: bool = False,
    resolver: Resolver = socket.getaddrinfo,
    transport: httpx.BaseTransport | None = None,
) -> bytes:
    """The body of ``url``, at most ``max_bytes`` long, within ``timeout_s`` seconds overall.

    ``resolver`` has ``socket.getaddrinfo``'s signature; ``transport`` is httpx's (tests pass
    one that routes a made-up public address to a loopback server).
    """
    deadline = time.monotonic() + timeout_s
    with httpx.Client(transport=transport, trust_env=False, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            address = checked_address(url, allow_http=allow_http, resolver=resolver)
            location = _get(client, url, address, max_bytes=max_bytes, deadline=deadline)
            if isinstance(location, bytes):
                return location
            url = urljoin(url, location)
    raise BadInput(f"{_short(url)}: more than {MAX_REDIRECTS} redirects")


def checked_address(url: str, *, allow_http: bool, resolver: Resolver) -> IPAddress:
    """The address to connect to for ``url``, after checking the scheme and every address its
    host resolves to; BadInput otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise BadInput(f"{url[:200]!r} is not a URL ({e})") from e
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        allowed = " or ".join(f"{s}://" for s in schemes)
        raise BadInput(f"{_short(url)}: only {allowed} URLs can be fetched")
    host = parts.hostname
    if not host:
        raise BadInput(f"{_short(url)}: the URL has no host")
    try:
        _ = parts.port  # an out-of-range or non-numeric port raises here
    except ValueError as e:
        raise BadInput(f"{_short(url)}: bad port ({e})") from e
    addresses = resolve(host, resolver)
    for address in addresses:
        reason = refusal(address)
        if reason:
            raise BadInput(
                f"{_short(url)}: {host!r} resolves to {address}, {reason} "
                "(private, loopback and link-local addresses are refused)"
            )
    return addresses[0]


def resolve(host: str, resolver: Resolver = socket.getaddrinfo) -> list[IPAddress]:
    """Every address ``host`` stands for (a literal is itself); BadInput when none."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = resolver(host, None, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise BadInput(f"cannot resolve host {host!r} ({e})") from e
    addresses = []
    for info in infos:
        try:
            addresses.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
        except ValueError:
            continue
    if not addresses:
        raise BadInput(f"cannot resolve host {host!r}")
    return addresses


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from, or None for a public unicast address."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        why = refusal(inner)
        return f"which embeds {inner}, {why}" if why else None
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "an unspecified address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, why in checks:
        if getattr(address, attribute):
            return why
    if not address.is_global:
        return "a private (non-global) address"
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _get(
    client: httpx.Client, url: str, address: IPAddress, *, max_bytes: int, deadline: float
) -> bytes | str:
    """One hop: the body, or the redirect's Location."""
    try:
        request = _pinned_request(client, url, address, deadline)
        response = client.send(request, stream=True)
    except httpx.TimeoutException as e:
        raise BadInput(f"{_short(url)}: no answer in time ({type(e).__name__})") from e
    except (httpx.HTTPError, httpx.InvalidURL) as e:
        raise BadInput(f"{_short(url)}: could not fetch ({type(e).__name__}: {e})") from e
    try:
        if response.status_code in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise BadInput(f"{_short(url)}: a redirect without a Location")
            return str(location)
        if response.status_code >= 400:
            raise BadInput(f"{_short(url)}: the server answered HTTP {response.status_code}")
        return _read_capped(response, url, max_bytes=max_bytes, deadline=deadline)
    finally:
        response.close()


def _pinned_request(
    client: httpx.Client, url: str, address: IPAddress, deadline: float
) -> httpx.Request:
    """A GET to ``address`` itself, with the URL's host in ``Host`` and TLS SNI."""
    original = httpx.URL(url)
    pinned = original.copy_with(host=str(address))
    remaining = max(deadline - time.monotonic(), 0.001)
    host_header = original.netloc.decode("ascii").rsplit("@", 1)[-1]
    return client.build_request(
        "GET",
        pinned,
        headers={"Host": host_header},
        timeout=httpx.Timeout(remaining),
        extensions={"sni_hostname": original.host},
    )


def _read_capped(response: httpx.Response, url: str, *, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BadInput(f"{_short(url)}: {int(declared):,} bytes is over the {max_bytes:,} limit")
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise BadInput(f"{_short(url)}: the body is over the {max_bytes:,} byte limit")
            if time.monotonic() > deadline:
                raise BadInput(f"{_short(url)}: the body did not arrive in time")
    except httpx.TimeoutException as e:
        raise BadInput(f"{_short(url)}: the body did not arrive in time") from e
    except httpx.HTTPError as e:
        raise BadInput(f"{_short(url)}: the download broke off ({type(e).__name__})") from e
    return bytes(body)


def _short(url: str) -> str:
    """The URL without credentials or query (which may hold tokens), for messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return repr(url[:200])
    return f"{parts.scheme}://{host}{parts.path}"[:200]
