"""A small threaded HTTP server on 127.0.0.1 for fakes of outside APIs.

A fake API is a function from a :class:`RecordedRequest` to a :class:`FakeResponse`; this module
runs it on an ephemeral loopback port, records every request (so tests assert on what a real SDK
client sent) and can misbehave on purpose: delay a reply, or cut a body short and drop the
connection the way a crashed upstream does.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it; header names are lower-cased."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty or not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass(frozen=True)
class FakeResponse:
    """What to send back. ``body`` may be bytes, text, or anything JSON-able."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # Seconds to wait before answering (slow upstreams, latency for benchmarks).
    delay_s: float = 0.0
    # Send only the first half of the body, then drop the connection (Content-Length stays whole).
    truncate: bool = False

    def encoded(self) -> tuple[bytes, str]:
        """The body as bytes and its content type."""
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        if self.body is None:
            return b"", "application/json"
        return json.dumps(self.body).encode(), "application/json"


Handler = Callable[[RecordedRequest], FakeResponse]


# --- scripts: provider-neutral replies that each fake renders in its own wire format ---


@dataclass(frozen=True)
class Answer:
    """A successful structured answer: ``obj`` as the JSON the model was asked for."""

    obj: Any
    input_tokens: int = 120
    output_tokens: int = 40


@dataclass(frozen=True)
class Text:
    """A successful reply whose text is exactly ``text`` (prose, fences, broken JSON...)."""

    text: str
    input_tokens: int = 120
    output_tokens: int = 40


@dataclass(frozen=True)
class Refused:
    """The model declined: a refusal (Anthropic) or a blocked prompt (Gemini)."""

    reason: str = "SAFETY"


@dataclass(frozen=True)
class HttpError:
    """An error status with the API's own error body; ``headers`` e.g. ``{"retry-after": "3"}``."""

    status: int
    message: str = "fake upstream error"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Malformed:
    """HTTP 200 whose body is not the API's JSON (a proxy's HTML page, say)."""

    body: str = "<html><body>upstream hiccup</body></html>"


@dataclass(frozen=True)
class Truncated:
    """A success reply cut off half-way, then the connection dropped."""

    of: Answer | Text = Answer({"cut": "off"})


@dataclass(frozen=True)
class Slow:
    """``then``, after ``seconds``."""

    seconds: float
    then: Reply


Reply = Answer | Text | Refused | HttpError | Malformed | Truncated | Slow | FakeResponse
Responder = Callable[[RecordedRequest], Reply]


class Script:
    """Replies handed out in order (thread-safe); then ``responder``; then a loud 500."""

    def __init__(self, replies: Iterable[Reply] = (), responder: Responder | None = None) -> None:
        self._replies = list(replies)
        self._responder = responder
        self._lock = threading.Lock()
        self.given = 0

    def next(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.given += 1
            if self._replies:
                return self._replies.pop(0)
        if self._responder is not None:
            return self._responder(request)
        return HttpError(500, f"fake script exhausted at request {self.given}: script more replies")


class LoopbackServer:
    """Serve ``handler`` on 127.0.0.1 (ephemeral port) in a daemon thread; a context manager.

    ``latency_s`` is added to every reply, for benchmarks that want a model that takes time.
    """

    def __init__(self, handler: Handler, *, latency_s: float = 0.0) -> None:
        self._handler = handler
        self._latency_s = latency_s
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started; use it as a context manager")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler_class(self))
        self._server.daemon_threads = True
        # A short poll interval keeps stop() (shutdown waits for the poll loop) near-instant.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _respond(self, request: RecordedRequest) -> FakeResponse:
        with self._lock:
            self._requests.append(request)
        response = self._handler(request)
        wait = self._latency_s + response.delay_s
        if wait > 0:
            time.sleep(wait)
        return response


def _make_handler_class(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real APIs
        # Headers and body in one segment, sent at once: without these, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every keep-alive request.
        wbufsize = -1
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            try:
                _write(self, server._respond(request))
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a timeout test); fine

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet; requests are recorded instead

    return _Handler


def _write(handler: BaseHTTPRequestHandler, response: FakeResponse) -> None:
    payload, content_type = response.encoded()
    handler.send_response(response.status)
    headers = {"Content-Type": content_type, **dict(response.headers)}
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(payload)))
    if response.truncate:
        handler.send_header("Connection", "close")
    handler.end_headers()
    if response.truncate:
        handler.wfile.write(payload[: len(payload) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        return
    handler.wfile.write(payload)


class ScriptedAPI(LoopbackServer):
    """A loopback server answering from a :class:`Script`; subclasses render replies natively.

    ``script`` replies are given in order, then ``responder`` (request -> reply) answers the rest.
    ``latency_s`` is a fixed delay added to every reply.
    """

    def __init__(
        self,
        script: Iterable[Reply] = (),
        *,
        responder: Responder | None = None,
        latency_s: float = 0.0,
    ) -> None:
        self.script = Script(script, responder)
        # Exceptions raised while answering (a responder's bug): also sent back as HTTP 500.
        self.failures: list[BaseException] = []
        super().__init__(self._handle, latency_s=latency_s)

    def route(self, request: RecordedRequest) -> FakeResponse | None:
        """Answer requests the real API would reject before the model runs (unknown paths)."""
        return None

    def render(
        self, reply: Answer | Text | Refused | HttpError, request: RecordedRequest
    ) -> FakeResponse:
        """The reply in this API's wire format."""
        raise NotImplementedError

    def _handle(self, request: RecordedRequest) -> FakeResponse:
        rejected = self.route(request)
        if rejected is not None:
            return rejected
        try:
            return self._to_response(self.script.next(request), request)
        except Exception as e:
            self.failures.append(e)
            return FakeResponse(500, f"fake failed to answer: {e!r}")

    def _to_response(self, reply: Reply, request: RecordedRequest) -> FakeResponse:
        if isinstance(reply, FakeResponse):
            return reply
        if isinstance(reply, Slow):
            inner = self._to_response(reply.then, request)
            return replace(inner, delay_s=inner.delay_s + reply.seconds)
        if isinstance(reply, Malformed):
            return FakeResponse(200, reply.body, {"Content-Type": "application/json"})
        if isinstance(reply, Truncated):
            return replace(self.render(reply.of, request), truncate=True)
        return self.render(reply, request)
