"""A fake Google Cloud Text-to-Speech ``v1beta1/text:synthesize`` endpoint on 127.0.0.1.

It reads the SSML the way Google does for marks: the text between tags is spoken (by
espeak-ng here), and each ``<mark name="..."/>`` becomes a timepoint at the time the next word
starts. ``audioContent`` is LINEAR16, i.e. a WAV file, base64-encoded. Requests need a bearer
token (``token``). Scripts: :class:`Synthesized` (``with_timepoints=False`` drops them, as
Google does when time pointing is not enabled) and ``HttpError`` with Google's error body.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from typing import Any

from .elevenlabs_api import espeak_words
from .http_server import (
    Answer,
    FakeResponse,
    HttpError,
    RecordedRequest,
    Refused,
    Reply,
    ScriptedAPI,
    Text,
)

_STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}
_STATUS_NAMES |= {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
# https://docs.cloud.google.com/text-to-speech/quotas ("Content limits"): 5,000 bytes of text
# or SSML per request; a longer input is refused with 400 INVALID_ARGUMENT.
INPUT_BYTES_MAX = 5_000
_ESPEAK = {"en": "en-us", "es": "es", "pt": "pt-br", "fr": "fr", "de": "de"}


@dataclass(frozen=True)
class Synthesized:
    """A success; ``with_timepoints=False`` answers without ``timepoints``."""

    with_timepoints: bool = True


def read_ssml(ssml: str) -> tuple[str, list[tuple[str, int]]]:
    """The spoken text and, per mark, (name, index of the word it precedes)."""
    text, marks = "", []
    for part in re.split(r"(<[^>]+>)", ssml):
        mark = re.fullmatch(r'<mark\s+name="([^"]*)"\s*/>', part)
        if mark:
            marks.append((mark.group(1), len(text.split())))
        elif not part.startswith("<"):
            text += html.unescape(part)
    return " ".join(text.split()), marks


class FakeGoogleTtsAPI(ScriptedAPI):
    """Google TTS on 127.0.0.1; unscripted requests are answered with :class:`Synthesized`."""

    def __init__(self, *replies: Reply | Synthesized, token: str = "ya29.fake-tts") -> None:
        super().__init__(replies, responder=lambda _r: Synthesized())  # type: ignore[arg-type, return-value]
        self.token = token
        self.sent: list[dict[str, Any]] = []

    def route(self, request: RecordedRequest) -> FakeResponse | None:
        if request.method != "POST" or request.path != "/v1beta1/text:synthesize":
            return _error(HttpError(404, f"no route for {request.method} {request.path}"))
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _error(HttpError(401, "Request had invalid authentication credentials."))
        body = request.json or {}
        if not (body.get("input") or {}).get("ssml") and not (body.get("input") or {}).get("text"):
            return _error(HttpError(400, "Either `input.text` or `input.ssml` is required."))
        spoken = (body.get("input") or {}).get("ssml") or (body.get("input") or {}).get("text")
        if len(str(spoken).encode()) > INPUT_BYTES_MAX:
            message = (
                "Either `input.text` or `input.ssml` is longer than the limit of "
                f"{INPUT_BYTES_MAX} bytes."
            )
            return _error(HttpError(400, message))
        return None

    def _to_response(self, reply: Any, request: RecordedRequest) -> FakeResponse:
        if isinstance(reply, Synthesized):
            return self._synthesize(reply, request)
        return super()._to_response(reply, request)

    def render(
        self, reply: Answer | Text | Refused | HttpError, request: RecordedRequest
    ) -> FakeResponse:
        if isinstance(reply, HttpError):
            return _error(reply)
        raise TypeError(f"fake Google TTS cannot answer {reply!r}")

    def _synthesize(self, reply: Synthesized, request: RecordedRequest) -> FakeResponse:
        body = request.json
        text, marks = read_ssml(body["input"].get("ssml") or "")
        language = body["voice"]["languageCode"].split("-")[0]
        wav, duration, words = espeak_words(text, _ESPEAK.get(language, language))
        # espeak's words are the tokens with a letter or digit; map token index -> start
        tokens = text.split()
        spoken = [i for i, t in enumerate(tokens) if any(ch.isalnum() for ch in t)]
        starts: dict[int, float] = {}
        pending = list(words)
        for i in spoken:  # espeak now and then runs a short word into the next: keep order
            if pending and pending[0].text == tokens[i]:
                starts[i] = pending.pop(0).start_s
            else:
                starts[i] = starts.get(i - 1, 0.0)
        answer: dict[str, Any] = {
            "audioContent": base64.b64encode(wav).decode(),
            "audioConfig": body.get("audioConfig", {}),
        }
        if reply.with_timepoints and "SSML_MARK" in body.get("enableTimePointing", []):
            answer["timepoints"] = [
                {"markName": name, "timeSeconds": starts.get(index, duration)}
                for name, index in marks
            ]
        self.sent.append(answer)
        return FakeResponse(200, answer)


def _error(reply: HttpError) -> FakeResponse:
    status = _STATUS_NAMES.get(reply.status, "UNKNOWN")
    body = {"error": {"code": reply.status, "message": reply.message, "status": status}}
    return FakeResponse(reply.status, body, dict(reply.headers))
