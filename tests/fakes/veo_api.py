"""A fake Veo on Vertex AI: the long-running ``predictLongRunning`` + ``fetchPredictOperation``.

The wire format, from https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/veo-video-generation
("REST", "Response body") and from what google-genai 2.x parses (``models.py``,
``_GenerateVideosResponse_from_vertex``):

* ``POST /v1/projects/P/locations/L/publishers/google/models/M:predictLongRunning`` with
  ``{instances: [{prompt}], parameters: {aspectRatio, durationSeconds, sampleCount, ...}}``
  answers an operation ``{"name": ".../models/M/operations/OP"}``.
* ``POST .../models/M:fetchPredictOperation`` with ``{"operationName"}`` answers the operation:
  without ``done`` while it runs; then ``done: true`` and ``response`` of type
  ``cloud.ai.large_models.vision.GenerateVideoResponse``: ``raiMediaFilteredCount``, and
  ``videos: [{bytesBase64Encoded | gcsUri, mimeType}]`` or ``raiMediaFilteredReasons``; or
  ``done: true`` with ``error`` (a ``google.rpc.Status``: ``code``, ``message``).
* Errors are Google's ``{"error": {"code", "message", "status"}}``
  (https://cloud.google.com/apis/design/errors#http_mapping).

``submit_errors`` / ``poll_errors`` (``HttpError``) are answered first, in order.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterable
from typing import Any

from .http_server import FakeResponse, HttpError, LoopbackServer, RecordedRequest
from .runway_api import tiny_clip

_PATH = re.compile(
    r"^/v1(?:beta1)?/projects/(?P<p>[^/]+)/locations/(?P<l>[^/]+)"
    r"/publishers/google/models/(?P<m>[^/:]+):(?P<verb>predictLongRunning|fetchPredictOperation)$"
)
_STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}
_STATUS_NAMES |= {404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL"}
_STATUS_NAMES |= {503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
RESPONSE_TYPE = "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse"


class FakeVeoAPI(LoopbackServer):
    """Veo on 127.0.0.1; requests need ``Authorization: Bearer {token}``."""

    def __init__(
        self,
        *,
        token: str = "ya29.veo",
        polls_before_done: int = 2,
        filtered: list[str] | None = None,
        failure: tuple[int, str] | None = None,
        submit_errors: Iterable[HttpError] = (),
        poll_errors: Iterable[HttpError] = (),
    ) -> None:
        super().__init__(self._handle)
        self.token, self.polls_before_done = token, polls_before_done
        self.filtered, self.failure = filtered, failure  # failure: (google.rpc code, message)
        self.submit_errors, self.poll_errors = list(submit_errors), list(poll_errors)
        self.polls = 0
        self.operations: list[str] = []
        self._guard = threading.Lock()

    def _handle(self, request: RecordedRequest) -> FakeResponse:
        match = _PATH.match(request.path)
        if request.method != "POST" or not match:
            return error(HttpError(404, f"no route for {request.method} {request.path}"))
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return error(HttpError(401, "Request had invalid authentication credentials."))
        with self._guard:
            if match.group("verb") == "predictLongRunning":
                return self._submit(request)
            return self._poll(request)

    def _submit(self, request: RecordedRequest) -> FakeResponse:
        if self.submit_errors:
            return error(self.submit_errors.pop(0))
        instances = (request.json or {}).get("instances") or []
        if not instances or not instances[0].get("prompt"):
            return error(HttpError(400, "instances[0].prompt is required"))
        resource = request.path.split("/", 2)[2].split(":")[0]
        name = f"{resource}/operations/op-{len(self.operations) + 1:03d}"
        self.operations.append(name)
        return FakeResponse(200, {"name": name})

    def _poll(self, request: RecordedRequest) -> FakeResponse:
        if self.poll_errors:
            return error(self.poll_errors.pop(0))
        name = (request.json or {}).get("operationName")
        if name not in self.operations:
            return error(HttpError(404, f"operation {name!r} not found"))
        self.polls += 1
        if self.polls <= self.polls_before_done:
            return FakeResponse(200, {"name": name})
        if self.failure:
            code, message = self.failure
            return FakeResponse(
                200, {"name": name, "done": True, "error": {"code": code, "message": message}}
            )
        response: dict[str, Any] = {
            "@type": RESPONSE_TYPE,
            "raiMediaFilteredCount": len(self.filtered or []),
        }
        if self.filtered:
            response["raiMediaFilteredReasons"] = self.filtered
        else:
            clip = base64.b64encode(tiny_clip()).decode()
            response["videos"] = [{"bytesBase64Encoded": clip, "mimeType": "video/mp4"}]
        return FakeResponse(200, {"name": name, "done": True, "response": response})


def error(reply: HttpError) -> FakeResponse:
    status = _STATUS_NAMES.get(reply.status, "UNKNOWN")
    body = {"error": {"code": reply.status, "message": reply.message, "status": status}}
    return FakeResponse(reply.status, body, dict(reply.headers))
