"""The functions' HTTPS front door, behaving as Cloud Run's does for a function terraform deploys.

For a private function (``roles/run.invoker`` granted to named members only) Cloud Run itself
checks the caller: no bearer token or one it cannot verify -> 401; a valid token for a member
without the invoker role -> 403 (https://cloud.google.com/run/docs/troubleshooting, "401" and
"403"); a token for another audience -> 401. A request it lets through reaches the container
with the same token, its signature replaced by ``SIGNATURE_REMOVED_BY_GOOGLE``
(https://cloud.google.com/run/docs/troubleshooting#signature-removed). A caller may send its token
in ``X-Serverless-Authorization`` instead: Cloud Run then checks that header alone, strips its
signature, and passes ``Authorization`` on as it came, unverified
(https://cloud.google.com/run/docs/authenticating/service-to-service). A public function
(``allUsers``) gets every request as it came.

``/{service}`` routes to that function's own process, as ``https://REGION-PROJECT.cloudfunctions.net/{service}``
does; ``GET /_local/certs`` publishes the local issuer's certificates.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from shared.task_endpoint import SERVERLESS_AUTHORIZATION
from tests.e2e.oidc import Issuer, strip_signature

CERTS_PATH = "/_local/certs"
MAX_BODY = 32 * 1024 * 1024  # Cloud Run's request size limit for HTTP/1
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "host"}


@dataclass(frozen=True)
class Route:
    service: str
    port: int
    invokers: frozenset[
        str
    ]  # IAM members: "allUsers", "serviceAccount:x@p.iam.gserviceaccount.com"

    @property
    def public(self) -> bool:
        return "allUsers" in self.invokers


@dataclass
class Refusal:
    service: str
    status: int
    reason: str


class FrontDoor:
    def __init__(self, issuer: Issuer, routes: Mapping[str, Route]) -> None:
        self.issuer = issuer
        self.routes = dict(routes)
        self.refusals: list[Refusal] = []
        ThreadingHTTPServer.request_queue_size = 256  # many tasks dispatched at once
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def certs_url(self) -> str:
        return self.url + CERTS_PATH

    def start(self) -> FrontDoor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def admit(self, route: Route, authorization: str) -> tuple[int, str, str]:
        """(status, reason, the checked header's value to forward): 200 lets the call through."""
        if route.public:
            return 200, "", authorization
        if not authorization.startswith("Bearer "):
            return 401, "no bearer token", ""
        token = authorization.removeprefix("Bearer ").strip()
        try:
            claims = self.issuer.verify(token, audience=f"{self.url}/{route.service}")
        except (
            Exception
        ) as e:  # whatever a hostile token makes the decoder raise, Cloud Run says 401
            return 401, f"token not verified: {type(e).__name__}", ""
        if f"serviceAccount:{claims.get('email')}" not in route.invokers:
            return 403, f"{claims.get('email')} lacks roles/run.invoker", ""
        return 200, "", f"Bearer {strip_signature(token)}"


def _handler(door: FrontDoor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path == CERTS_PATH:
                self._reply(200, door.issuer.certs_json(), "application/json")
                return
            self._forward()

        def do_POST(self) -> None:
            self._forward()

        do_PUT = do_PATCH = do_DELETE = do_POST

        def _forward(self) -> None:
            service, _, rest = self.path.lstrip("/").partition("/")
            service, _, query = service.partition("?")
            route = door.routes.get(service)
            try:
                body = self._body()
            except ValueError as e:
                self.close_connection = True
                status = 413 if "large" in str(e) else 400
                self._reply(status, str(e).encode(), "text/plain")
                return
            if route is None:
                self._reply(404, b"no such function", "text/plain")
                return
            checked = (
                SERVERLESS_AUTHORIZATION
                if SERVERLESS_AUTHORIZATION in self.headers
                else "Authorization"
            )
            status, reason, authorization = door.admit(route, self.headers.get(checked, ""))
            if status != 200:
                door.refusals.append(Refusal(service, status, reason))
                self._reply(status, f"{status}: {reason}".encode(), "text/plain")
                return
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in HOP_BY_HOP | {"content-length", checked.lower()}
            }
            headers["Content-Length"] = str(len(body))
            if authorization:
                headers[checked] = authorization
            path = "/" + rest + (f"?{query}" if query else "")
            upstream = http.client.HTTPConnection("127.0.0.1", route.port, timeout=1800)
            try:
                upstream.request(self.command, path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
                self._reply(answer.status, data, None, kept)
            except OSError as e:
                self._reply(503, f"upstream unavailable: {e}".encode(), "text/plain")
            finally:
                upstream.close()

        def _body(self) -> bytes:
            """The request body, Content-Length or chunked, at most MAX_BODY bytes."""
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                chunks, size = [], 0
                while True:
                    line = self.rfile.readline(1024).split(b";", 1)[0].strip()
                    n = int(line, 16)
                    if n == 0:
                        self.rfile.readline(1024)
                        return b"".join(chunks)
                    size += n
                    if size > MAX_BODY:
                        raise ValueError("request too large")
                    chunks.append(self.rfile.read(n))
                    self.rfile.readline(1024)
            raw = self.headers.get("Content-Length") or "0"
            if not raw.isascii() or not raw.isdigit():
                raise ValueError("bad Content-Length")
            if int(raw) > MAX_BODY:
                raise ValueError("request too large")
            return self.rfile.read(int(raw))

        def _reply(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            headers: list[tuple[str, str]] | None = None,
        ) -> None:
            self.send_response(status)
            for name, value in headers or []:
                if name.lower() != "content-length":
                    self.send_header(name, value)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
