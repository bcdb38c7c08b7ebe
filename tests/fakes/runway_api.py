"""A fake Runway developer API (``api.dev.runwayml.com``) and its output CDN, on 127.0.0.1.

* ``POST /v1/text_to_video`` and ``/v1/image_to_video``: checks ``Authorization: Bearer`` and
  ``X-Runway-Version``, the model, ratio and duration, and answers ``{"id"}``.
* ``GET /v1/tasks/{id}``: ``PENDING``, then ``RUNNING`` (with ``progress``) for
  ``polls_before_done`` polls, then ``SUCCEEDED`` with ``output: [https://CDN_HOST/...mp4]`` or,
  when ``failure`` is set, ``FAILED`` with ``failure`` and ``failureCode``.
* ``GET /clips/{id}.mp4``: the clip (a real, tiny H.264 MP4), as the CDN serves it.

The output URL names a public-looking host; :class:`PublicRoute` is an httpx transport that
delivers requests for :data:`CDN_IP` to this server, so ``safe_fetch`` still resolves, checks
and pins the address itself. ``submit_errors`` / ``poll_errors`` are answered first, in order.
"""

from __future__ import annotations

import functools
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx

from .http_server import FakeResponse, HttpError, LoopbackServer, RecordedRequest

CDN_HOST = "dnznrvs05pmza.cloudfront.net"
CDN_IP = "93.184.215.14"  # a global unicast address; never contacted (see PublicRoute)
VERSION = "2024-11-06"
_MODELS = {
    "text_to_video": {"veo3.1_fast", "veo3.1", "veo3"},
    "image_to_video": {"gen4_turbo", "gen4.5", "veo3.1", "veo3.1_fast"},
}
_RATIOS = {"1280:720", "720:1280", "1080:1920", "1920:1080", "1104:832", "832:1104", "960:960"}


@functools.cache
def tiny_clip(seconds: float = 1.0) -> bytes:
    """A real MP4: ``seconds`` of ffmpeg's test pattern at 128×72, 24 fps."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "clip.mp4"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=s=128x72:r=24:d={seconds}"]
            + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(out)],
            check=True,
        )
        return out.read_bytes()


def resolver(host: str, *_: Any, **__: Any) -> list[tuple[Any, ...]]:
    """``socket.getaddrinfo`` for the fake internet: the CDN host is :data:`CDN_IP`."""
    import socket

    if host != CDN_HOST:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (CDN_IP, 0))]


class PublicRoute(httpx.BaseTransport):
    """Delivers requests addressed to :data:`CDN_IP` to a loopback port (TLS not simulated)."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.HTTPTransport()
        self.hosts: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.url.host != CDN_IP:
            raise httpx.ConnectError(f"test network: no route to {request.url.host}")
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class FakeRunwayAPI(LoopbackServer):
    """Runway on 127.0.0.1; see the module docstring."""

    def __init__(
        self,
        *,
        api_key: str = "key_test",
        polls_before_done: int = 2,
        failure: tuple[str, str] | None = None,
        submit_errors: Iterable[HttpError] = (),
        poll_errors: Iterable[HttpError] = (),
        clip: bytes | None = None,
    ) -> None:
        super().__init__(self._handle)
        self.api_key, self.polls_before_done, self.failure = api_key, polls_before_done, failure
        self.submit_errors, self.poll_errors = list(submit_errors), list(poll_errors)
        self.clip = clip if clip is not None else tiny_clip()
        self.tasks: dict[str, dict[str, Any]] = {}  # id -> {"body", "polls"}
        self._guard = threading.Lock()

    def _handle(self, request: RecordedRequest) -> FakeResponse:
        with self._guard:
            if request.path.startswith("/clips/"):
                return FakeResponse(200, self.clip, {"Content-Type": "video/mp4"})
            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                return _error(401, "Invalid API key")
            if request.headers.get("x-runway-version") != VERSION:
                return _error(400, "X-Runway-Version header is missing or unsupported")
            endpoint = request.path.removeprefix("/v1/")
            if request.method == "POST" and endpoint in _MODELS:
                return self._submit(endpoint, request.json or {})
            if request.method == "GET" and endpoint.startswith("tasks/"):
                return self._poll(endpoint.removeprefix("tasks/"))
            return _error(404, f"no route for {request.method} {request.path}")

    def _submit(self, endpoint: str, body: dict[str, Any]) -> FakeResponse:
        if self.submit_errors:
            e = self.submit_errors.pop(0)
            return _error(e.status, e.message, e.headers)
        problem = _invalid(endpoint, body)
        if problem:
            return _error(400, problem)
        task_id = str(uuid.uuid4())
        self.tasks[task_id] = {"body": body, "polls": 0, "endpoint": endpoint}
        return FakeResponse(200, {"id": task_id})

    def _poll(self, task_id: str) -> FakeResponse:
        if self.poll_errors:
            e = self.poll_errors.pop(0)
            return _error(e.status, e.message, e.headers)
        task = self.tasks.get(task_id)
        if task is None:
            return _error(404, "Task not found")
        task["polls"] += 1
        answer: dict[str, Any] = {"id": task_id, "createdAt": "2026-11-21T02:00:00.000Z"}
        if task["polls"] <= self.polls_before_done:
            running = task["polls"] > 1
            answer["status"] = "RUNNING" if running else "PENDING"
            if running:
                answer["progress"] = round(task["polls"] / (self.polls_before_done + 1), 2)
        elif self.failure:
            answer |= {
                "status": "FAILED",
                "failure": self.failure[1],
                "failureCode": self.failure[0],
            }
        else:
            answer |= {"status": "SUCCEEDED", "output": [f"https://{CDN_HOST}/clips/{task_id}.mp4"]}
        return FakeResponse(200, answer)


def _invalid(endpoint: str, body: dict[str, Any]) -> str | None:
    if body.get("model") not in _MODELS[endpoint]:
        return f"model {body.get('model')!r} is not available on /v1/{endpoint}"
    if body.get("ratio") not in _RATIOS:
        return f"ratio {body.get('ratio')!r} is not supported"
    if not isinstance(body.get("duration"), int):
        return "duration must be an integer"
    if endpoint == "image_to_video" and not str(body.get("promptImage", "")).startswith(
        ("https://", "data:image/")
    ):
        return "promptImage must be an HTTPS URL or a data URI"
    if endpoint == "text_to_video" and not body.get("promptText"):
        return "promptText is required"
    return None


def _error(status: int, message: str, headers: Any = None) -> FakeResponse:
    return FakeResponse(status, {"error": message}, dict(headers or {}))
