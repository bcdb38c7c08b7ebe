"""Retrying outbound HTTP calls, on tenacity: one policy for every client adloop builds.

* :func:`send_with_retries` — the voice and video providers (ElevenLabs, Google TTS, Runway):
  429, 5xx and connection failures are retried with jittered exponential backoff, waiting as
  long as ``Retry-After`` asks up to ``max_wait_s``; a longer wait is not slept through but
  left to the queue as ``TransientError(retry_after=...)``. Other 4xx answers become the
  domain's permanent errors (:func:`refusal`), a 401/403 naming the setting to check.
* :func:`call_with_retries` — clients that classify answers themselves (the Marketing API):
  whatever raises :class:`~shared.errors.TransientError` is called again with exponential
  backoff.
* :func:`retry_after_seconds` and :func:`redact` — for the LLM adapters too, whose SDKs retry
  by themselves but whose errors must carry the server's wait and never the key.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import tenacity

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

Sleep = Callable[[float], None]
T = TypeVar("T")


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds a server asked us to wait (``retry-after-ms``, ``retry-after`` secs or date)."""
    if not headers:
        return None
    lowered = {key.lower(): value for key, value in headers.items()}
    try:
        return max(0.0, float(lowered["retry-after-ms"]) / 1000)
    except (KeyError, ValueError):
        pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` masked, so a key can never reach a log line or error message."""
    return text.replace(secret, "***") if secret else text


def call_with_retries(
    call: Callable[[], T],
    *,
    attempts: int,
    first_wait_s: float,
    max_wait_s: float,
    sleep: Sleep = time.sleep,
) -> T:
    """``call()`` until it returns, up to ``attempts`` times while it raises TransientError,
    waiting ``first_wait_s``, then twice as long each time (at most ``max_wait_s``); an error
    that carries the server's ``retry_after`` is waited for that long instead, and one asking
    for more than ``max_wait_s`` is raised at once, its wait left to the queue. The last
    TransientError is raised as it is; any other error at once."""
    backoff = tenacity.wait_exponential(multiplier=first_wait_s, max=max_wait_s)

    def asked(state: tenacity.RetryCallState) -> float | None:
        error = state.outcome.exception() if state.outcome else None
        return error.retry_after if isinstance(error, TransientError) else None

    def wait(state: tenacity.RetryCallState) -> float:
        seconds = asked(state)
        return backoff(state) if seconds is None else seconds

    def worth_waiting(state: tenacity.RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        seconds = asked(state)
        return isinstance(error, TransientError) and (seconds is None or seconds <= max_wait_s)

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=wait,
        retry=worth_waiting,
        sleep=sleep,
        reraise=True,
    )
    return retrying(call)


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

    def attempt() -> httpx.Response:
        response = send()
        if response.status_code == 429 or response.status_code >= 500:
            wait = retry_after_seconds(response.headers)
            detail = redact(error_detail(response), secret)
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
    """Retry-After when the server gave one, else jittered exponential backoff from 1 s."""
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
    detail = redact(error_detail(response), secret)
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


def error_detail(response: httpx.Response) -> str:
    """The error message in a JSON error body (ElevenLabs, Google, Runway shapes), else text."""
    try:
        body: Any = response.json()
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
