"""ElevenLabs text-to-speech "with timestamps" behind the :class:`~gpu_jobs.voice.Voice` port.

``POST {base}/v1/text-to-speech/{voice_id}/with-timestamps?output_format=...`` with the
``xi-api-key`` header and ``{text, model_id, voice_settings}`` answers ``audio_base64`` and an
``alignment`` of the input text: ``characters`` with ``character_start_times_seconds`` and
``character_end_times_seconds``. Characters are grouped into the script's words (punctuation
stays on its word, its times come from the word's letters). When the alignment is missing or
does not spell the script, :func:`gpu_jobs.align.ensure_timings` aligns the audio instead.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from gpu_jobs.align import decode_to_wav, ensure_timings, spoken_words
from gpu_jobs.voice import Speech, WordTiming
from shared.errors import TransientError
from shared.net.retry import Sleep, json_object, send_with_retries

DEFAULT_BASE_URL = "https://api.elevenlabs.io"
DEFAULT_MODEL = "eleven_multilingual_v2"  # speaks Spanish, Portuguese, French... as well
DEFAULT_VOICE_ID = "JBFqnCBsd6RMkjVDRZzb"  # a premade voice every account has
DEFAULT_FORMAT = "mp3_44100_128"  # available on every plan; PCM 44.1 kHz needs Pro
_VOICE_ID = re.compile(r"^[A-Za-z0-9]{20}$")
_NORMAL_WPM = 170  # what speed 1.0 sounds like, about


class ElevenLabsVoice:
    """ElevenLabs voices with character timestamps. ``voice`` in a spec may be an ElevenLabs
    voice id; an espeak-style language (``en-us``) keeps ``voice_id``: the multilingual model
    speaks the script's own language."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        voice_id: str = DEFAULT_VOICE_ID,
        model_id: str = DEFAULT_MODEL,
        output_format: str = DEFAULT_FORMAT,
        timeout_s: float = 60.0,
        attempts: int = 4,
        max_wait_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._key = api_key
        self._base = base_url.rstrip("/")
        self.voice_id, self.model_id, self.output_format = voice_id, model_id, output_format
        self._timeout_s, self._attempts, self._max_wait_s = timeout_s, attempts, max_wait_s
        self._transport, self._sleep = transport, sleep

    def synthesize(self, script: str, voice: str, rate_wpm: int, out: Path) -> Speech:
        """Speak ``script`` into a WAV at ``out``; word timings from ElevenLabs' alignment."""
        voice_id = voice if _VOICE_ID.match(voice) else self.voice_id
        body = self._request(script, voice_id, rate_wpm)
        audio = _audio_bytes(body)
        duration = decode_to_wav(audio, out, pcm_rate=pcm_rate(self.output_format))
        alignment = body.get("alignment") or {}
        words = words_from_alignment(
            script,
            alignment.get("characters") or [],
            alignment.get("character_start_times_seconds") or [],
            alignment.get("character_end_times_seconds") or [],
            duration,
        )
        return ensure_timings(script, Speech(out, duration, words))

    def _request(self, script: str, voice_id: str, rate_wpm: int) -> dict[str, Any]:
        speed = round(min(1.2, max(0.7, rate_wpm / _NORMAL_WPM)), 2)  # the API's allowed range
        payload = {
            "text": script,
            "model_id": self.model_id,
            "voice_settings": {"speed": speed},
        }
        url = f"{self._base}/v1/text-to-speech/{voice_id}/with-timestamps"
        headers = {"xi-api-key": self._key, "accept": "application/json"}
        with httpx.Client(transport=self._transport, timeout=self._timeout_s) as client:
            response = send_with_retries(
                lambda: client.post(
                    url,
                    params={"output_format": self.output_format},
                    json=payload,
                    headers=headers,
                ),
                service="ElevenLabs",
                key_env="ELEVENLABS_API_KEY",
                secret=self._key,
                attempts=self._attempts,
                max_wait_s=self._max_wait_s,
                sleep=self._sleep,
            )
        return json_object(response, "ElevenLabs")


def pcm_rate(output_format: str) -> int | None:
    """The sample rate of a raw ``pcm_<rate>`` format (no container), else None."""
    match = re.match(r"^pcm_(\d+)$", output_format)
    return int(match.group(1)) if match else None


def _audio_bytes(body: dict[str, Any]) -> bytes:
    try:
        audio = base64.b64decode(body["audio_base64"], validate=True)
    except (KeyError, TypeError, binascii.Error) as e:
        raise TransientError("ElevenLabs answered without readable audio_base64") from e
    if not audio:
        raise TransientError("ElevenLabs answered with empty audio")
    return audio


def words_from_alignment(
    script: str,
    characters: Sequence[str],
    starts: Sequence[float],
    ends: Sequence[float],
    duration_s: float,
) -> list[WordTiming]:
    """The script's words with times from a character alignment (pure).

    Characters are split at whitespace; a word's start is its first letter's start and its end
    its last letter's end, so leading "¡" or trailing "." do not stretch it. The words carry the
    script's own spelling. Returns [] when the alignment does not spell the script's words (the
    caller then aligns the audio itself).
    """
    if not characters or not len(characters) == len(starts) == len(ends):
        return []
    tokens: list[list[tuple[str, float, float]]] = [[]]
    for ch, start, end in zip(characters, starts, ends, strict=True):
        if ch.isspace():
            tokens.append([])
        else:
            tokens[-1].append((ch, float(start), float(end)))
    spoken = [t for t in tokens if any(c.isalnum() for c, _, _ in t)]
    expected = spoken_words(script)
    written = [_nfc("".join(c for c, _, _ in t)) for t in spoken]
    if written != [_nfc(w) for w in expected]:
        return []
    words = []
    for text, token in zip(expected, spoken, strict=True):
        letters = [(s, e) for c, s, e in token if c.isalnum()]
        start = min(letters[0][0], duration_s)
        end = min(max(letters[-1][1], start + 0.05), max(duration_s, start + 0.05))
        words.append(WordTiming(text, round(start, 4), round(end, 4)))
    return words


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
