"""A fake ElevenLabs ``text-to-speech/{voice_id}/with-timestamps`` endpoint on 127.0.0.1.

It really speaks: the posted text is synthesised with espeak-ng and encoded in the requested
``output_format`` (``mp3_*`` with ffmpeg's LAME, or raw ``pcm_<rate>``), and answered as
``{audio_base64, alignment, normalized_alignment}`` with a character alignment spread over
espeak's word times. Scripts: :class:`Spoken` (an alignment of the test's choosing, or none),
``HttpError(429, headers={"retry-after": "2"})`` and the rest of ``tests.fakes.http_server``.
Errors carry ElevenLabs' body: ``{"detail": {"status", "message"}}``.
"""

from __future__ import annotations

import base64
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gpu_jobs.voice import EspeakVoice, WordTiming

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

_PATH = re.compile(r"^/v1/text-to-speech/(?P<voice>[^/]+)/with-timestamps$")
_STATUS = {401: "invalid_api_key", 422: "invalid_request", 429: "too_many_concurrent_requests"}
# https://help.elevenlabs.io/hc/en-us/articles/13298164480913 ("What's the maximum amount of
# characters and text I can generate?"): through the API, Multilingual v2 takes up to 10,000
# characters a request, Flash/Turbo v2.5 40,000. (The refusal's status and code are not on that
# page; the fake answers 400 ``max_character_limit_exceeded``.)
CHARACTER_LIMITS = {"eleven_multilingual_v2": 10_000, "eleven_flash_v2_5": 40_000}


@dataclass(frozen=True)
class Spoken:
    """A success. ``alignment``: (characters, starts, ends) to send instead of the espeak-derived
    one; ``with_alignment=False`` sends ``alignment: null``."""

    alignment: tuple[list[str], list[float], list[float]] | None = None
    with_alignment: bool = True


def espeak_words(text: str, voice: str = "en-us") -> tuple[bytes, float, list[WordTiming]]:
    """``text`` spoken by espeak-ng: WAV bytes, seconds, and exact word timings."""
    with tempfile.TemporaryDirectory() as tmp:
        speech = EspeakVoice().synthesize(text, voice, 170, Path(tmp) / "v.wav")
        return speech.wav.read_bytes(), speech.duration_s, speech.words


def character_alignment(
    text: str, words: list[WordTiming]
) -> tuple[list[str], list[float], list[float]]:
    """Every character of ``text`` with a time: a word's characters share its span evenly;
    spaces and unspoken tokens take the instant where the previous character ended."""
    chars, starts, ends = list(text), [0.0] * len(text), [0.0] * len(text)
    pending = list(words)
    cursor = 0.0
    for match in re.finditer(r"\S+", text):
        first = match.start()
        for i in range(first, match.end()):
            starts[i] = ends[i] = cursor
        if not any(ch.isalnum() for ch in match.group()):
            continue
        if pending and pending[0].text == match.group():
            word = pending.pop(0)
        else:  # espeak ran this short word into the next: give it a sliver
            word = WordTiming(match.group(), cursor, cursor + 0.02)
        step = (word.end_s - word.start_s) / len(match.group())
        for k in range(len(match.group())):
            starts[first + k] = round(word.start_s + k * step, 4)
            ends[first + k] = round(word.start_s + (k + 1) * step, 4)
        cursor = word.end_s
    for i, ch in enumerate(chars):  # spaces: where the previous character ended
        if ch.isspace():
            starts[i] = ends[i] = ends[i - 1] if i else 0.0
    return chars, starts, ends


def encode(wav: bytes, output_format: str) -> bytes:
    """``wav`` in an ElevenLabs output format: mp3_<rate>_<kbps> or raw pcm_<rate>."""
    if m := re.match(r"^pcm_(\d+)$", output_format):
        args = ["-f", "s16le", "-ar", m.group(1), "-ac", "1"]
    elif m := re.match(r"^mp3_(\d+)_(\d+)$", output_format):
        args = ["-f", "mp3", "-ar", m.group(1), "-b:a", f"{m.group(2)}k", "-ac", "1"]
    else:
        raise ValueError(f"fake ElevenLabs: unsupported output_format {output_format!r}")
    argv = ["ffmpeg", "-v", "error", "-i", "pipe:0", *args, "pipe:1"]
    return subprocess.run(argv, input=wav, capture_output=True, check=True).stdout


class FakeElevenLabsAPI(ScriptedAPI):
    """ElevenLabs on 127.0.0.1; unscripted requests are answered with :class:`Spoken`."""

    def __init__(self, *replies: Reply | Spoken, api_key: str = "xi-test-key") -> None:
        super().__init__(replies, responder=lambda _request: Spoken())  # type: ignore[arg-type, return-value]
        self.api_key = api_key
        self.sent: list[dict[str, Any]] = []  # every success body, as sent

    def route(self, request: RecordedRequest) -> FakeResponse | None:
        if request.method != "POST" or not _PATH.match(request.path):
            return _error(HttpError(404, f"no route for {request.method} {request.path}"))
        if request.headers.get("xi-api-key") != self.api_key:
            return _error(HttpError(401, "Invalid API key"))
        body = request.json
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            return _error(HttpError(422, "text is required"))
        limit = CHARACTER_LIMITS.get(str(body.get("model_id")), 10_000)
        if len(body["text"]) > limit:
            return _error(
                HttpError(400, f"text is {len(body['text'])} characters; the limit is {limit}"),
                status="max_character_limit_exceeded",
            )
        return None

    def _to_response(self, reply: Any, request: RecordedRequest) -> FakeResponse:
        if isinstance(reply, Spoken):
            return self._speak(reply, request)
        return super()._to_response(reply, request)

    def render(
        self, reply: Answer | Text | Refused | HttpError, request: RecordedRequest
    ) -> FakeResponse:
        if isinstance(reply, HttpError):
            return _error(reply)
        raise TypeError(f"fake ElevenLabs cannot answer {reply!r}; script Spoken or HttpError")

    def _speak(self, reply: Spoken, request: RecordedRequest) -> FakeResponse:
        text = request.json["text"]
        output_format = (request.query.get("output_format") or ["mp3_44100_128"])[0]
        wav, _, words = espeak_words(text)
        chars, starts, ends = reply.alignment or character_alignment(text, words)
        alignment = {
            "characters": chars,
            "character_start_times_seconds": starts,
            "character_end_times_seconds": ends,
        }
        body = {
            "audio_base64": base64.b64encode(encode(wav, output_format)).decode(),
            "alignment": alignment if reply.with_alignment else None,
            "normalized_alignment": alignment if reply.with_alignment else None,
        }
        self.sent.append(body)
        return FakeResponse(200, body)


def _error(reply: HttpError, status: str | None = None) -> FakeResponse:
    status = status or _STATUS.get(reply.status, "error")
    body = {"detail": {"status": status, "message": reply.message}}
    return FakeResponse(reply.status, body, dict(reply.headers))
