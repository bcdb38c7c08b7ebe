"""The render job's production providers: which voice and video generator a job uses (from the
environment, read once when a job starts), and the HTTP retry policy their adapters share.

Settings (the embedded default needs none of them):

* ``ADLOOP_VOICE``: ``espeak`` (default), ``elevenlabs`` (``ELEVENLABS_API_KEY``, optional
  ``ELEVENLABS_BASE_URL``, ``ELEVENLABS_VOICE_ID``, ``ELEVENLABS_MODEL_ID``) or ``google``
  (``ADLOOP_GCP_PROJECT``, optional ``ADLOOP_GOOGLE_TTS_ENDPOINT``, ``ADLOOP_GOOGLE_TTS_VOICE``).
* ``ADLOOP_VIDEO_GEN``: ``procedural`` (default), ``runway`` (``RUNWAY_API_KEY``, optional
  ``RUNWAY_BASE_URL``, ``ADLOOP_RUNWAY_MODEL``) or ``veo`` (``ADLOOP_GCP_PROJECT``, optional
  ``ADLOOP_VERTEX_API_ENDPOINT``, ``ADLOOP_VEO_LOCATION``, ``ADLOOP_VEO_MODEL``).

Adapters are imported only when chosen, so the offline job never loads an HTTP client.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from shared.adapters.anthropic_claude import redact, retry_after_seconds
from shared.errors import (
    AdloopError,
    BadInput,
    Forbidden,
    NotFound,
    PermanentError,
    TransientError,
    Unauthorized,
)

if TYPE_CHECKING:
    import httpx
    import tenacity

    from gpu_jobs.scenes import VideoGen
    from gpu_jobs.voice import Voice

Sleep = Callable[[float], None]
VOICES = ("espeak", "elevenlabs", "google")
VIDEO_GENS = ("procedural", "runway", "veo")


def voice_from_env(env: Mapping[str, str] | None = None) -> Voice:
    """The voice ``ADLOOP_VOICE`` names; PermanentError when its settings are missing."""
    env = os.environ if env is None else env
    kind = _choice(env, "ADLOOP_VOICE", VOICES)
    if kind == "elevenlabs":
        from gpu_jobs import voice_elevenlabs as eleven

        return eleven.ElevenLabsVoice(
            _required(env, "ELEVENLABS_API_KEY", "ADLOOP_VOICE=elevenlabs"),
            base_url=env.get("ELEVENLABS_BASE_URL") or eleven.DEFAULT_BASE_URL,
            voice_id=env.get("ELEVENLABS_VOICE_ID") or eleven.DEFAULT_VOICE_ID,
            model_id=env.get("ELEVENLABS_MODEL_ID") or eleven.DEFAULT_MODEL,
        )
    if kind == "google":
        from gpu_jobs.voice_google import DEFAULT_BASE_URL as TTS_URL
        from gpu_jobs.voice_google import GoogleTtsVoice

        return GoogleTtsVoice(
            project=_project(env, "ADLOOP_VOICE=google"),
            base_url=env.get("ADLOOP_GOOGLE_TTS_ENDPOINT") or TTS_URL,
            voice_name=env.get("ADLOOP_GOOGLE_TTS_VOICE") or None,
        )
    from gpu_jobs.voice import EspeakVoice

    return EspeakVoice()


def video_gen_from_env(env: Mapping[str, str] | None = None) -> VideoGen:
    """The video generator ``ADLOOP_VIDEO_GEN`` names; PermanentError when settings are missing."""
    env = os.environ if env is None else env
    kind = _choice(env, "ADLOOP_VIDEO_GEN", VIDEO_GENS)
    if kind == "runway":
        from gpu_jobs import scenes_runway as runway

        return runway.RunwayVideoGen(
            _required(env, "RUNWAY_API_KEY", "ADLOOP_VIDEO_GEN=runway"),
            base_url=env.get("RUNWAY_BASE_URL") or runway.DEFAULT_BASE_URL,
            model=env.get("ADLOOP_RUNWAY_MODEL") or runway.DEFAULT_MODEL,
        )
    if kind == "veo":
        from gpu_jobs import scenes_veo as veo

        return veo.VeoVideoGen(
            project=_project(env, "ADLOOP_VIDEO_GEN=veo"),
            api_endpoint=env.get("ADLOOP_VERTEX_API_ENDPOINT") or None,
            location=env.get("ADLOOP_VEO_LOCATION") or veo.DEFAULT_LOCATION,
            model=env.get("ADLOOP_VEO_MODEL") or veo.DEFAULT_MODEL,
        )
    from gpu_jobs.scenes import ProceduralScenes

    return ProceduralScenes()


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = (env.get(name) or allowed[0]).strip().lower()
    if value not in allowed:
        raise PermanentError(f"{name}={value!r} is not one of {', '.join(allowed)}")
    return value


def _required(env: Mapping[str, str], name: str, why: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise PermanentError(f"{why} needs {name} to be set")
    return value


def _project(env: Mapping[str, str], why: str) -> str:
    project = env.get("ADLOOP_GCP_PROJECT") or env.get("GOOGLE_CLOUD_PROJECT")
    if not project:
        raise PermanentError(f"{why} needs ADLOOP_GCP_PROJECT (the Google Cloud project)")
    return project


# --- the HTTP retry policy the adapters share ---


class _Retryable(Exception):
    def __init__(self, status: int, detail: str, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status, self.detail, self.retry_after = status, detail, retry_after


def send_with_retries(
    send: Callable[[], httpx.Response],
    *,
    service: str,
    key_env: str,
    secret: str | None = None,
    attempts: int = 4,
    max_wait_s: float = 30.0,
    sleep: Sleep = time.sleep,
) -> httpx.Response:
    """``send()`` until it succeeds: 429, 5xx and connection failures are retried with
    exponential backoff, waiting as long as ``Retry-After`` asks (up to ``max_wait_s``; a longer
    wait is left to the queue as TransientError). Other 4xx become PermanentError subtypes; a
    401 names ``key_env``."""
    import httpx
    import tenacity

    def attempt() -> httpx.Response:
        response = send()
        if response.status_code == 429 or response.status_code >= 500:
            wait = retry_after_seconds(response.headers)
            detail = redact(_detail(response), secret)
            if wait is not None and wait > max_wait_s:
                raise TransientError(
                    f"{service} answered HTTP {response.status_code} ({detail}) and asked to "
                    f"wait {wait:.0f} s; leaving the wait to the queue",
                    retry_after=wait,
                )
            raise _Retryable(response.status_code, detail, wait)
        if response.status_code >= 400:
            raise refusal(service, response, key_env, secret)
        return response

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=_wait(max_wait_s),
        retry=tenacity.retry_if_exception_type((_Retryable, httpx.TransportError)),
        sleep=sleep,
        reraise=True,
    )
    try:
        return retrying(attempt)
    except _Retryable as e:
        raise TransientError(
            f"{service} answered HTTP {e.status} ({e.detail}) {attempts} times; will retry later",
            retry_after=e.retry_after,
        ) from e
    except httpx.TransportError as e:
        raise TransientError(f"could not reach {service} ({type(e).__name__}); will retry") from e


def _wait(max_wait_s: float) -> Callable[[tenacity.RetryCallState], float]:
    import tenacity

    backoff = tenacity.wait_exponential_jitter(initial=1.0, max=max_wait_s)

    def wait(state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Retryable) and error.retry_after is not None:
            return error.retry_after
        return float(backoff(state))

    return wait


def refusal(
    service: str, response: httpx.Response, key_env: str, secret: str | None = None
) -> AdloopError:
    """The port's error for a 4xx answer that retrying will not fix."""
    status = response.status_code
    detail = redact(_detail(response), secret)
    if status == 401:
        return Unauthorized(
            f"{service} refused the credentials (HTTP 401: {detail}); check {key_env}"
        )
    if status == 403:
        return Forbidden(f"{service} refused the request (HTTP 403: {detail}); check {key_env}")
    if status == 404:
        return NotFound(f"{service} has no such resource (HTTP 404: {detail})")
    if status in (400, 422):
        return BadInput(f"{service} rejected the request (HTTP {status}: {detail})")
    return PermanentError(f"{service} refused the request (HTTP {status}: {detail})")


def _detail(response: httpx.Response) -> str:
    """The error message in a JSON error body (ElevenLabs, Google, Runway shapes), else text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or "no detail"
    for path in (("detail", "message"), ("error", "message"), ("detail",), ("error",)):
        value = body
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value:
            return value[:300]
    return str(body)[:300]


def json_object(response: httpx.Response, service: str) -> dict[str, Any]:
    """The JSON object a provider answered; anything else is a transient fault worth a retry."""
    try:
        body = response.json()
    except ValueError as e:
        raise TransientError(f"{service} answered with something that is not JSON") from e
    if not isinstance(body, dict):
        raise TransientError(f"{service} answered JSON of an unexpected shape")
    return body
