"""A fake Anthropic Messages API: ``POST /v1/messages`` and Claude-on-Vertex ``:rawPredict``.

Point the real SDK at it with ``anthropic.Anthropic(base_url=fake.url, api_key=...)`` (or the
``ANTHROPIC_BASE_URL`` variable), or ``AnthropicVertex(base_url=fake.vertex_url, ...)``.

An :class:`Answer` comes back the way the real API returns structured output: as a ``tool_use``
block when the request forced a tool, otherwise as a text block holding the JSON
(``output_config.format``). Errors carry Anthropic's error body, and their headers as given.
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

_VERTEX_PATH = re.compile(
    r"^/v1/projects/[^/]+/locations/[^/]+/publishers/anthropic/models/(?P<model>[^/:]+):rawPredict$"
)

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}


class FakeAnthropicAPI(ScriptedAPI):
    """Anthropic's Messages API on 127.0.0.1; see :class:`tests.fakes.http_server.ScriptedAPI`."""

    @property
    def vertex_url(self) -> str:
        """Base URL for ``AnthropicVertex`` (its paths start with ``/v1/projects/...``)."""
        return self.url + "/v1"

    def route(self, request: RecordedRequest) -> FakeResponse | None:
        if request.method == "POST" and (
            request.path == "/v1/messages" or _VERTEX_PATH.match(request.path)
        ):
            return None
        return _error(HttpError(404, f"no route for {request.method} {request.path}"))

    def render(
        self, reply: Answer | Text | Refused | HttpError, request: RecordedRequest
    ) -> FakeResponse:
        if isinstance(reply, HttpError):
            return _error(reply)
        number = self.script.given
        body: dict[str, Any] = {
            "id": f"msg_fake_{number:04d}",
            "type": "message",
            "role": "assistant",
            "model": model_of(request),
            "stop_sequence": None,
        }
        body.update(_content(reply, request))
        return FakeResponse(200, body, {"request-id": f"req_fake_{number:04d}"})


def model_of(request: RecordedRequest) -> str:
    """The model a request asked for (body field, or the Vertex URL)."""
    match = _VERTEX_PATH.match(request.path)
    if match:
        return match["model"]
    return str((request.json or {}).get("model", ""))


def system_of(request: RecordedRequest) -> str:
    """The system prompt a request carried, as one string."""
    system = (request.json or {}).get("system", "")
    if isinstance(system, list):
        return "\n".join(block.get("text", "") for block in system)
    return str(system)


def prompt_of(request: RecordedRequest) -> str:
    """The text of the last user message, for responders that answer from the prompt."""
    messages = (request.json or {}).get("messages", [])
    user = [m for m in messages if m.get("role") == "user"]
    if not user:
        return ""
    content = user[-1].get("content", "")
    if isinstance(content, list):
        return "\n".join(block.get("text", "") for block in content if block.get("type") == "text")
    return str(content)


def forced_tool(request: RecordedRequest) -> str | None:
    """The tool name the request forced with ``tool_choice``, if any."""
    choice = (request.json or {}).get("tool_choice") or {}
    return choice.get("name") if choice.get("type") == "tool" else None


def _content(reply: Answer | Text | Refused, request: RecordedRequest) -> dict[str, Any]:
    if isinstance(reply, Refused):
        return {
            "content": [{"type": "text", "text": f"I can't help with that ({reply.reason})."}],
            "stop_reason": "refusal",
            "usage": {"input_tokens": 50, "output_tokens": 8},
        }
    usage = {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens}
    tool = forced_tool(request)
    if isinstance(reply, Answer) and tool:
        block = {"type": "tool_use", "id": "toolu_fake_01", "name": tool, "input": reply.obj}
        return {"content": [block], "stop_reason": "tool_use", "usage": usage}
    text = json.dumps(reply.obj) if isinstance(reply, Answer) else reply.text
    return {"content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "usage": usage}


def _error(error: HttpError) -> FakeResponse:
    # https://docs.claude.com/en/api/errors ("Error shapes"): a top-level ``error`` object with
    # ``type`` and ``message``, and a ``request_id`` beside it (also sent as ``request-id``).
    kind = _ERROR_TYPES.get(error.status, "api_error")
    body = {
        "type": "error",
        "error": {"type": kind, "message": error.message},
        "request_id": "req_fake_error",
    }
    return FakeResponse(error.status, body, {"request-id": "req_fake_error", **error.headers})
