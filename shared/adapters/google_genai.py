"""What every adapter on the Google Gen AI SDK (``google-genai``) shares, whatever it generates
(Gemini text in :mod:`shared.adapters.vertex_gemini`, Veo clips in ``gpu_jobs.scenes_veo``):
where the SDK is pointed, and how its errors become the domain's.

The SDK could retry by itself (``HttpRetryOptions``) but would not read ``Retry-After``, so its
retries are off (:data:`NO_SDK_RETRIES`) and :func:`call` retries instead, through
:mod:`shared.net.retry`: 408/429/5xx and connection failures become
``TransientError(retry_after=...)`` from the ``Retry-After`` header or the error's
``google.rpc.RetryInfo``, waited for inline when short, left to the queue when long. An access
token a server or proxy echoes back never reaches an error message.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from shared.errors import AdloopError, PermanentError, TransientError
from shared.net.retry import Sleep, call_with_retries, retry_after_seconds

T = TypeVar("T")

# HttpRetryOptions(attempts=1): one attempt per SDK call, the retries being :func:`call`'s.
NO_SDK_RETRIES = 1
# Google OAuth 2.0 access tokens start "ya29." (https://developers.google.com/identity/protocols/oauth2).
ACCESS_TOKEN = re.compile(r"ya29\.[0-9A-Za-z_\-.]+")


def call(
    request: Callable[[], T],
    *,
    model: str,
    retries: int,
    first_wait_s: float,
    max_wait_s: float,
    sleep: Sleep = time.sleep,
) -> T:
    """``request()`` (one SDK call) with its failures translated to the domain's errors and the
    transient ones retried ``retries`` times, as long as the server asks when it says."""

    def attempt() -> T:
        try:
            return request()
        except AdloopError:
            raise
        except Exception as e:
            translated = translate_error(e, model=model)
            if translated is None:
                raise
            raise translated from e

    return call_with_retries(
        attempt, attempts=retries + 1, first_wait_s=first_wait_s, max_wait_s=max_wait_s, sleep=sleep
    )


def base_url_of(api_endpoint: str | None) -> str | None:
    """A base URL for the SDK from ``api_endpoint`` (``host:port`` or a URL; None = Google's)."""
    if not api_endpoint:
        return None
    if re.match(r"^https?://", api_endpoint):
        return api_endpoint.rstrip("/")
    local = re.match(r"^(localhost|127\.0\.0\.1|\[::1\])(:|$)", api_endpoint)
    return ("http://" if local else "https://") + api_endpoint.rstrip("/")


def translate_error(error: Exception, *, model: str) -> AdloopError | None:
    """The port's error for an SDK or transport failure; None when it is not one (a bug)."""
    from google.auth import exceptions as google_auth_errors
    from google.genai import errors

    if isinstance(error, errors.APIError):
        return _status_error(error, model)
    timeouts, transport_errors = _http_errors()
    if isinstance(error, timeouts):
        return TransientError("Vertex AI did not answer in time (timeout); will retry")
    if isinstance(error, transport_errors):
        return TransientError(f"could not reach Vertex AI ({type(error).__name__}); will retry")
    if isinstance(error, errors.UnknownApiResponseError | json.JSONDecodeError):
        return TransientError("Vertex AI sent a reply that is not JSON; will retry")
    if isinstance(error, google_auth_errors.DefaultCredentialsError):
        return PermanentError(
            "no Google credentials for Vertex AI: run 'gcloud auth application-default login' "
            "or set GOOGLE_APPLICATION_CREDENTIALS"
        )
    if isinstance(error, google_auth_errors.GoogleAuthError):
        if isinstance(error, google_auth_errors.TransportError) or getattr(
            error, "retryable", False
        ):
            reason = _masked(str(error))
            return TransientError(f"could not refresh Google credentials ({reason}); will retry")
        return PermanentError(
            f"Google credentials were refused ({_masked(str(error))}); check them"
        )
    return None


def _masked(text: str) -> str:
    """``text`` with any Google access token in it masked (a server or proxy may echo one)."""
    return ACCESS_TOKEN.sub("***", text)


def _http_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """Timeout and transport error classes of httpx and httpx2 (the SDK uses either)."""
    import importlib

    modules = []
    for name in ("httpx", "httpx2"):
        try:
            modules.append(importlib.import_module(name))
        except ImportError:
            continue
    timeouts = tuple(module.TimeoutException for module in modules)
    return timeouts, tuple(module.TransportError for module in modules)


def _status_error(error: Any, model: str) -> AdloopError:
    status = int(error.code or 0)
    detail = _masked(str(error.message or error.status or "no detail"))
    if status in (408, 409, 429) or status >= 500:
        return TransientError(
            f"Vertex AI answered HTTP {status} ({detail}); will retry",
            retry_after=_retry_after(error),
        )
    hints = {
        401: "check the service's Google credentials",
        403: "enable the Vertex AI API and grant roles/aiplatform.user to the service account",
        404: f"check the model id {model!r} and that it is served in this location",
    }
    hint = hints.get(status, "the request needs fixing; retrying will not help")
    return PermanentError(f"Vertex AI refused the request with HTTP {status} ({detail}): {hint}")


def _retry_after(error: Any) -> float | None:
    """Retry-After header, else the seconds in a google.rpc.RetryInfo detail (e.g. "30s")."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    wait = retry_after_seconds(dict(headers)) if headers is not None else None
    if wait is not None:
        return wait
    body = error.details if isinstance(error.details, dict) else {}
    for detail in (body.get("error") or {}).get("details") or []:
        delay = str(detail.get("retryDelay", "")) if isinstance(detail, dict) else ""
        if delay.endswith("s"):
            try:
                return float(delay[:-1])
            except ValueError:
                continue
    return None
