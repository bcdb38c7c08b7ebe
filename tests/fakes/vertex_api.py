"""A fake Vertex AI ``generateContent`` REST endpoint for Gemini models.

Serves ``POST /{v1|v1beta1}/projects/P/locations/L/publishers/google/models/M:generateContent``.
Point the Gen AI SDK at it with ``genai.Client(vertexai=True, project=..., location=...,
credentials=google.oauth2.credentials.Credentials(token="fake"),
http_options=HttpOptions(base_url=fake.url))`` (``GeminiGenerator(api_endpoint=fake.url)``).

An :class:`Answer` becomes one candidate whose text part is the JSON, with ``usageMetadata``;
errors carry Google's error body (``{"error": {"code", "message", "status"}}``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .http_server import (
    Answer,
    FakeResponse,
    HttpError,
    RecordedRequest,
    Refused,
    ScriptedAPI,
    Text,
)

_PATH = re.compile(
    r"^/(?:v1|v1beta1)/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"/publishers/google/models/(?P<model>[^/:]+):generateContent$"
)

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class FakeVertexAPI(ScriptedAPI):
    """Vertex AI Gemini on 127.0.0.1; see :class:`tests.fakes.http_server.ScriptedAPI`."""

    def route(self, request: RecordedRequest) -> FakeResponse | None:
        if request.method == "POST" and _PATH.match(request.path):
            return None
        return _error(HttpError(404, f"no route for {request.method} {request.path}"))

    def render(
        self, reply: Answer | Text | Refused | HttpError, request: RecordedRequest
    ) -> FakeResponse:
        if isinstance(reply, HttpError):
            return _error(reply)
        body: dict[str, Any] = {
            "modelVersion": model_of(request),
            "responseId": f"fake-{self.script.given:04d}",
        }
        if isinstance(reply, Refused):
            body["promptFeedback"] = {"blockReason": reply.reason}
            body["usageMetadata"] = _usage(50, 0)
            return FakeResponse(200, body)
        text = json.dumps(reply.obj) if isinstance(reply, Answer) else reply.text
        body["candidates"] = [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ]
        body["usageMetadata"] = _usage(reply.input_tokens, reply.output_tokens)
        return FakeResponse(200, body)


def model_of(request: RecordedRequest) -> str:
    """The model named in a request's URL."""
    match = _PATH.match(request.path)
    return match["model"] if match else ""


def system_of(request: RecordedRequest) -> str:
    """The system instruction a request carried, as one string."""
    instruction = (request.json or {}).get("systemInstruction") or {}
    return "\n".join(part.get("text", "") for part in instruction.get("parts", []))


def prompt_of(request: RecordedRequest) -> str:
    """The text of the last user turn, for responders that answer from the prompt."""
    contents = [c for c in (request.json or {}).get("contents", []) if c.get("role") == "user"]
    if not contents:
        return ""
    return "\n".join(part.get("text", "") for part in contents[-1].get("parts", []))


def generation_config_of(request: RecordedRequest) -> dict[str, Any]:
    """The ``generationConfig`` a request carried (mime type, schema, token limit)."""
    return dict((request.json or {}).get("generationConfig") or {})


def _usage(prompt_tokens: int, output_tokens: int) -> dict[str, int]:
    return {
        "promptTokenCount": prompt_tokens,
        "candidatesTokenCount": output_tokens,
        "totalTokenCount": prompt_tokens + output_tokens,
    }


def _error(error: HttpError) -> FakeResponse:
    status = _STATUS_NAMES.get(error.status, "UNKNOWN")
    body = {"error": {"code": error.status, "message": error.message, "status": status}}
    return FakeResponse(error.status, body, dict(error.headers))
