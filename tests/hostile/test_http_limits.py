"""``adloop serve``'s HTTP limits, from outside over loopback (issue 13, findings 12 and 13).

* A body over 8 MiB is refused with 413 however it is sent: chunked bodies used to be cut to
  8 MiB and processed; a Content-Length that lies does not get one through either.
* Stalled and trickling clients are cut off: 150 partial requests used to hold 150 server
  threads forever. Now a stalled connection holds no thread, is closed after the idle timeout
  (or the request deadline, for a trickle), and open connections are capped.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from werkzeug.serving import make_server

from infra.app import MAX_BODY_BYTES, create_app
from infra.runtime import LocalRuntime
from shared.bootstrap import local_task_token
from shared.platforms.webhook import sign
from shared.settings import Settings
from tests.hostile.conftest import document_counts

SECRET = "gads-secret"
OVER = 9 * 1024 * 1024


@pytest.fixture
def runtime(home: Path) -> Iterator[LocalRuntime]:
    settings = Settings(
        google_ads_webhook_secret=SECRET,  # type: ignore[arg-type]
        serve_idle_timeout_s=1,
        serve_request_timeout_s=2,
    )
    with LocalRuntime(settings) as rt:
        rt.services.documents.get("campaigns/none")  # the state database exists from here on
        yield rt


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def _exchange(url: str, head: bytes, chunks: Iterator[bytes] | list[bytes] = ()) -> bytes:
    """Send ``head`` then ``chunks`` on one connection while reading the answer (a server may
    answer, and close, before the body is all sent); return what came back."""
    conn = socket.create_connection(_address(url), timeout=30)
    received: list[bytes] = []

    def read() -> None:
        try:
            while data := conn.recv(65536):
                received.append(data)
        except OSError:
            pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        conn.sendall(head)
        for chunk in chunks:
            conn.sendall(chunk)
        conn.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the server stopped reading: its answer says why
    reader.join(timeout=30)
    conn.close()
    return b"".join(received)


def _chunked(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield f"{n:x}\r\n".encode() + b"x" * n + b"\r\n"
        sent += n
    yield b"0\r\n\r\n"


def _status(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1."), answer[:200]
    return int(answer.split(b" ", 2)[1])


# --- bodies ---------------------------------------------------------------------------------------


def _signed_head(path: str, *, extra: bytes = b"") -> bytes:
    now = int(time.time())
    # Signed over an empty body: a truncated body that reached the handler would get a 401,
    # an unsigned 9 MiB body processed at all a 200 or 400; only 413 is right.
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-Adloop-Signature: t={now},s={sign(SECRET, f'{now}.'.encode())}\r\n"
    ).encode() + extra


@pytest.mark.parametrize("path", ["/webhooks/google-ads", "/tasks/intake", "/slack/events"])
def test_a_chunked_body_over_the_limit_is_413(runtime: LocalRuntime, path: str) -> None:
    before = document_counts(runtime.settings.home_dir)
    head = _signed_head(path, extra=b"Transfer-Encoding: chunked\r\n\r\n")
    assert _status(_exchange(runtime.url, head, _chunked(OVER))) == 413
    assert document_counts(runtime.settings.home_dir) == before
    assert httpx.get(f"{runtime.url}/healthz").status_code == 200


def test_a_chunked_body_within_the_limit_arrives_whole(runtime: LocalRuntime) -> None:
    rows = [
        {"ad_id": str(i), "ad_name": f"adl.nobody.A feed x{i}", "date": "2026-03-01"}
        for i in range(3)
    ]
    body = json.dumps({"rows": rows, "note": "x" * (2 * 1024 * 1024)}).encode()
    assert 1024 * 1024 < len(body) < MAX_BODY_BYTES
    now = int(time.time())
    answer = httpx.post(
        f"{runtime.url}/webhooks/google-ads",
        content=iter([body[: len(body) // 2], body[len(body) // 2 :]]),  # sent chunked
        headers={"X-Adloop-Signature": f"t={now},s={sign(SECRET, f'{now}.'.encode() + body)}"},
    )
    assert answer.status_code == 200, answer.text  # the signature covers every byte
    assert answer.json()["unmatched"] == len(rows)


def test_a_body_of_exactly_the_limit_is_read(runtime: LocalRuntime) -> None:
    head = (
        "POST /tasks/intake HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        f"Authorization: Bearer {local_task_token(runtime.settings)}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    answer = _exchange(runtime.url, head, _chunked(MAX_BODY_BYTES))
    assert _status(answer) == 422 and b"task body must be JSON" in answer


def test_a_content_length_over_the_limit_is_413_before_the_body_is_sent(
    runtime: LocalRuntime,
) -> None:
    head = _signed_head("/webhooks/google-ads", extra=f"Content-Length: {OVER}\r\n\r\n".encode())
    started = time.monotonic()
    assert _status(_exchange(runtime.url, head)) == 413
    assert time.monotonic() - started < 5


def test_a_short_content_length_does_not_smuggle_a_large_body(runtime: LocalRuntime) -> None:
    before = document_counts(runtime.settings.home_dir)
    head = _signed_head("/webhooks/google-ads", extra=b"Content-Length: 12\r\n\r\n")
    answer = _exchange(runtime.url, head, [b'{"rows": []}', b"x" * OVER])
    # The 12 declared bytes are the request (unsigned: 401); the rest is not a request (400).
    assert _status(answer) == 401
    assert b" 200 " not in answer
    assert document_counts(runtime.settings.home_dir) == before


def test_content_length_and_chunked_together_follow_the_chunks(runtime: LocalRuntime) -> None:
    head = _signed_head(
        "/webhooks/google-ads", extra=b"Content-Length: 12\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    assert _status(_exchange(runtime.url, head, _chunked(OVER))) in (400, 413)


def test_the_app_refuses_an_oversized_chunked_body_on_any_server(home: Path) -> None:
    """The limit holds in the app too, behind a server that streams chunked bodies to it
    (werkzeug's here; gunicorn in a container), not only behind waitress."""
    from shared.bootstrap import bootstrap
    from shared.pipeline.runner import StepRunner
    from shared.task_endpoint import SharedTokenAuth

    app = create_app(StepRunner(bootstrap(Settings()), {}), SharedTokenAuth("t0k3n"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        head = (
            b"POST /tasks/intake HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0k3n\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        assert _status(_exchange(url, head, _chunked(OVER))) == 413
        small = _exchange(url, head, _chunked(1000))
        assert _status(small) == 422 and b"task body must be JSON" in small
    finally:
        server.shutdown()
        server.server_close()


# --- stalled clients ------------------------------------------------------------------------------

STALLS = [
    b"",  # connects, says nothing
    b"POST /tasks/intake HTTP/1.1\r\nHost: x\r\n",  # headers never finished
    b"POST /webhooks/google-ads HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{",  # body
]


def _closed_by_server(conn: socket.socket) -> bool:
    """Whether the server has closed ``conn`` (after an answer, such as a 400, or not); waits
    as long as the socket's timeout allows."""
    try:
        while conn.recv(65536):
            pass
        return True
    except (BlockingIOError, TimeoutError):
        return False
    except ConnectionError:
        return True


def test_stalled_clients_hold_no_thread_and_are_closed(runtime: LocalRuntime) -> None:
    threads_before = threading.active_count()
    stalled = []
    for i in range(60):
        conn = socket.create_connection(_address(runtime.url), timeout=5)
        if STALLS[i % 3]:
            conn.sendall(STALLS[i % 3])
        stalled.append(conn)
    try:
        started = time.monotonic()
        assert httpx.get(f"{runtime.url}/healthz", timeout=5).json() == {"ok": True}
        assert time.monotonic() - started < 1.0, "the server keeps answering"
        assert threading.active_count() <= threads_before + 2, "stalled requests hold threads"
        for conn in stalled:
            conn.settimeout(8)  # idle timeout 1 s, checked every second
            assert _closed_by_server(conn), "a stalled connection was left open"
    finally:
        for conn in stalled:
            conn.close()
    assert httpx.get(f"{runtime.url}/healthz", timeout=5).json() == {"ok": True}


def test_a_trickling_client_is_cut_off_at_the_request_deadline(runtime: LocalRuntime) -> None:
    conn = socket.create_connection(_address(runtime.url), timeout=5)
    request = b"POST /tasks/intake HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200
    started = time.monotonic()
    try:
        conn.setblocking(False)
        for byte in request:  # a byte every 0.3 s: never idle for the 1 s idle timeout
            try:
                conn.send(bytes([byte]))
            except OSError:
                break
            if _closed_by_server(conn):
                break
            time.sleep(0.3)
        else:
            raise AssertionError("a trickle of one byte at a time was never cut off")
    finally:
        conn.close()
    assert time.monotonic() - started < 2 + 4, "cut off about the 2 s request deadline"


def test_open_connections_are_capped(runtime: LocalRuntime) -> None:
    server = runtime._server
    assert server is not None
    # The 150 partial requests: past the cap they wait in the listen backlog.
    stalled = [socket.create_connection(_address(runtime.url), timeout=5) for _ in range(150)]
    for conn in stalled:
        conn.sendall(STALLS[1])
    try:
        time.sleep(0.5)
        assert server.connections <= runtime.settings.serve_connection_limit
        # Those waiting for a place are served once stalled ones time out.
        assert httpx.get(f"{runtime.url}/healthz", timeout=10).json() == {"ok": True}
    finally:
        for conn in stalled:
            conn.close()
