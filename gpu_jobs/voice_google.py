"""Google Cloud Text-to-Speech behind the :class:`~gpu_jobs.voice.Voice` port, with word times
from SSML marks.

``POST {base}/v1beta1/text:synthesize`` (timepoints exist only in v1beta1) with SSML that puts
``<mark name="w{i}"/>`` before each spoken word and ``enableTimePointing: ["SSML_MARK"]``
answers ``audioContent`` (base64; LINEAR16 arrives as a WAV) and ``timepoints``
(``[{markName, timeSeconds}]``). A word ends where the next begins; the last ends with the
audio. Missing or partial timepoints fall back to :func:`gpu_jobs.align.ensure_timings`.

Credentials: ``credentials`` when given (tests pass a static token), else Application Default
Credentials with the cloud-platform scope; the project is sent as ``x-goog-user-project`` so
quota is billed to it.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import httpx

from gpu_jobs.align import decode_to_wav, ensure_timings
from gpu_jobs.voice import Speech, WordTiming
from shared.errors import PermanentError, TransientError
from shared.net.retry import Sleep, json_object, send_with_retries

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

DEFAULT_BASE_URL = "https://texttospeech.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/cloud-platform"
_GOOGLE_VOICE = re.compile(r"^(?P<lang>[a-z]{2,3}-[A-Z]{2})-.+$")  # es-ES-Neural2-A
_REGIONS = {"en": "US", "es": "ES", "pt": "BR", "fr": "FR", "de": "DE", "it": "IT", "ja": "JP"}
_NORMAL_WPM = 170


class GoogleTtsVoice:
    """Google Cloud TTS. ``voice`` in a spec may be a Google voice name (``es-ES-Neural2-A``)
    or a language (``es``, ``en-us``), for which Google picks its default voice unless
    ``voice_name`` is set."""

    def __init__(
        self,
        *,
        project: str | None = None,
        credentials: Credentials | None = None,
        base_url: str = DEFAULT_BASE_URL,
        voice_name: str | None = None,
        timeout_s: float = 60.0,
        attempts: int = 4,
        max_wait_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._project, self._credentials = project, credentials
        self._base = base_url.rstrip("/")
        self._voice_name = voice_name
        self._timeout_s, self._attempts, self._max_wait_s = timeout_s, attempts, max_wait_s
        self._transport, self._sleep = transport, sleep
        self._lock = threading.Lock()

    def synthesize(self, script: str, voice: str, rate_wpm: int, out: Path) -> Speech:
        """Speak ``script`` into a WAV at ``out``; word timings from the SSML marks."""
        words = script.split()
        body = self._request(build_request(script, self._voice(voice), rate_wpm))
        try:
            audio = base64.b64decode(body["audioContent"], validate=True)
        except (KeyError, TypeError, binascii.Error) as e:
            raise TransientError("Google TTS answered without readable audioContent") from e
        duration = decode_to_wav(audio, out)
        timed = words_from_timepoints(words, body.get("timepoints") or [], duration)
        return ensure_timings(script, Speech(out, duration, timed))

    def _voice(self, voice: str) -> dict[str, str]:
        name = voice if _GOOGLE_VOICE.match(voice) else self._voice_name
        if name and (match := _GOOGLE_VOICE.match(name)):
            return {"languageCode": match.group("lang"), "name": name}
        return {"languageCode": language_code(voice)}

    def _request(self, payload: dict[str, Any]) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {self._token()}"}
        if self._project:
            headers["x-goog-user-project"] = self._project
        url = f"{self._base}/v1beta1/text:synthesize"
        with httpx.Client(transport=self._transport, timeout=self._timeout_s) as client:
            response = send_with_retries(
                lambda: client.post(url, json=payload, headers=headers),
                service="Google Text-to-Speech",
                key_env="the Google credentials (GOOGLE_APPLICATION_CREDENTIALS) and "
                "ADLOOP_GCP_PROJECT",
                attempts=self._attempts,
                max_wait_s=self._max_wait_s,
                sleep=self._sleep,
            )
        return json_object(response, "Google TTS")

    def _token(self) -> str:
        import google.auth
        from google.auth import exceptions
        from google.auth.transport.requests import Request

        with self._lock:
            try:
                if self._credentials is None:
                    self._credentials, _ = google.auth.default(scopes=[SCOPE])
                if not self._credentials.valid:
                    self._credentials.refresh(Request())  # type: ignore[no-untyped-call]
            except exceptions.DefaultCredentialsError as e:
                raise PermanentError(
                    "no Google credentials for Text-to-Speech: run 'gcloud auth "
                    "application-default login' or set GOOGLE_APPLICATION_CREDENTIALS"
                ) from e
            except exceptions.GoogleAuthError as e:
                raise TransientError(f"could not refresh Google credentials ({e})") from e
            return str(self._credentials.token)


def language_code(voice: str) -> str:
    """A BCP-47 code for an espeak-style voice: ``en-us`` -> ``en-US``, ``es`` -> ``es-ES``."""
    parts = voice.replace("_", "-").split("-")
    base = parts[0].lower()
    region = parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else _REGIONS.get(base)
    return f"{base}-{region}" if region else base


def build_ssml(script: str) -> str:
    """The script as SSML with ``<mark name="w{i}"/>`` before the i-th whitespace token (pure)."""
    marked = [f'<mark name="w{i}"/>{escape(word)}' for i, word in enumerate(script.split())]
    return "<speak>" + " ".join(marked) + "</speak>"


def build_request(script: str, voice: dict[str, str], rate_wpm: int) -> dict[str, Any]:
    """The ``text:synthesize`` body (pure)."""
    return {
        "input": {"ssml": build_ssml(script)},
        "voice": voice,
        "audioConfig": {
            "audioEncoding": "LINEAR16",
            "speakingRate": round(min(4.0, max(0.25, rate_wpm / _NORMAL_WPM)), 2),
        },
        "enableTimePointing": ["SSML_MARK"],
    }


def words_from_timepoints(
    tokens: list[str], timepoints: list[dict[str, Any]], duration_s: float
) -> list[WordTiming]:
    """Word timings from the marks (pure): token i starts at mark ``w{i}``; a word ends where
    the next spoken token starts, the last with the audio. Tokens without a letter or digit
    (a lone dash) are not words. Returns [] when any spoken token's mark is missing."""
    at: dict[int, float] = {}
    for point in timepoints:
        match = re.fullmatch(r"w(\d+)", str(point.get("markName", "")))
        if match and isinstance(point.get("timeSeconds"), int | float):
            at[int(match.group(1))] = float(point["timeSeconds"])
    spoken = [i for i, t in enumerate(tokens) if any(ch.isalnum() for ch in t)]
    if any(i not in at for i in spoken):
        return []
    words = []
    for n, i in enumerate(spoken):
        start = min(at[i], duration_s)
        end = at[spoken[n + 1]] if n + 1 < len(spoken) else duration_s
        words.append(WordTiming(tokens[i], round(start, 4), round(max(end, start + 0.05), 4)))
    return words
