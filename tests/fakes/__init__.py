"""Fakes of outside APIs: real HTTP servers on 127.0.0.1 speaking each API's wire format.

A fake is driven by a *script*, a list of replies given in order, or by a *responder*, a function
from the recorded request to a reply (for a fake model that answers from the prompt). The reply
types below are provider-neutral; each fake renders them in its own wire format:

>>> with FakeAnthropicAPI([HttpError(429, headers={"retry-after": "1"}), Answer({"ok": True})]):
...     ...

Every request is recorded (``fake.requests``) so tests assert on what the real SDK sent.
"""

from .anthropic_api import FakeAnthropicAPI
from .http_server import (
    Answer,
    FakeResponse,
    HttpError,
    LoopbackServer,
    Malformed,
    RecordedRequest,
    Refused,
    Reply,
    Responder,
    Script,
    Slow,
    Text,
    Truncated,
)
from .vertex_api import FakeVertexAPI

__all__ = [
    "Answer",
    "FakeAnthropicAPI",
    "FakeResponse",
    "FakeVertexAPI",
    "HttpError",
    "LoopbackServer",
    "Malformed",
    "RecordedRequest",
    "Refused",
    "Reply",
    "Responder",
    "Script",
    "Slow",
    "Text",
    "Truncated",
]
