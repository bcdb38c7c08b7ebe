"""``POST /tasks/<step>``, independent of the web framework: authenticate the caller, decode
the task, run the step, and map the outcome to an HTTP status the queue understands."""

from __future__ import annotations

import base64
import json
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from shared import json_input
from shared.errors import PermanentError, TransientError, Unauthorized
from shared.log import get_logger
from shared.pipeline.runner import StepRunner
from shared.ports.queue import Task
from shared.signing import matches

log = get_logger(__name__)


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class TaskAuth(Protocol):
    def verify(self, headers: Mapping[str, str]) -> None:
        """Raise Unauthorized unless the request comes from the queue."""
        ...


class SharedTokenAuth:
    """The embedded default: the local queue sends a token only this machine knows. An empty
    token is refused here, so a bare ``Authorization: Bearer `` can never be the right one."""

    def __init__(self, token: str) -> None:
        if not token.strip():
            raise ValueError("the local task token is empty; it would let any caller in")
        self._expected = f"Bearer {token}"

    def verify(self, headers: Mapping[str, str]) -> None:
        if not matches(headers.get("Authorization"), self._expected):
            raise Unauthorized("task calls must carry the local task token")


# Cloud Run's invoker IAM check verifies a caller's Google-signed ID token and forwards it to the
# container with this in place of the signature
# (https://cloud.google.com/run/docs/troubleshooting, "SIGNATURE_REMOVED_BY_GOOGLE";
# https://cloud.google.com/run/docs/authenticating/service-to-service).
STRIPPED_SIGNATURE = "SIGNATURE_REMOVED_BY_GOOGLE"
# Google ID tokens name either form as their issuer (google.oauth2.id_token._GOOGLE_ISSUERS).
GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
# The header a caller may use instead of Authorization for Cloud Run's invoker check.
SERVERLESS_AUTHORIZATION = "X-Serverless-Authorization"
# Clock skew tolerated on exp/iat, as google-auth allows by default.
CLOCK_SKEW_S = 10


class OidcAuth:
    """Production: Cloud Tasks and Cloud Scheduler call with a Google-signed OIDC token minted
    for the function's URL as the invoker service account.

    Behind Cloud Run's invoker check the token arrives with its signature stripped (Cloud Run has
    verified it and only lets the invoker through), so the claims are what is left to check; a
    token that still carries a signature was not checked by Cloud Run and is verified in full
    against Google's certificates (``certs_url`` names another issuer's, e.g. a local cloud's).
    """

    def __init__(
        self,
        audience: str,
        service_account: str,
        *,
        certs_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._audience = audience
        self._service_account = service_account
        self._certs_url = certs_url
        self._clock = clock

    def verify(self, headers: Mapping[str, str]) -> None:
        # A caller may send its token in X-Serverless-Authorization; Cloud Run's invoker check
        # then reads that header alone and passes Authorization on unverified
        # (https://cloud.google.com/run/docs/authenticating/service-to-service), so the token to
        # trust is the one in the header Cloud Run checked.
        auth = _header(headers, SERVERLESS_AUTHORIZATION)
        if auth is None:
            auth = _header(headers, "Authorization") or ""
        if not auth.startswith("Bearer "):
            raise Unauthorized("task calls need an OIDC bearer token")
        token = auth.removeprefix("Bearer ").strip()
        parts = token.split(".")
        if len(parts) != 3 or not all(parts):
            raise Unauthorized("the bearer token is not a JWT")
        claims = _jwt_claims(parts[1])
        # Checked before any signature work, so a token that cannot be ours costs no fetch.
        self._check_claims(claims)
        stripped = matches(parts[2], STRIPPED_SIGNATURE)
        if not stripped:
            self._check_claims(self._verify_signature(token))

    def _verify_signature(self, token: str) -> Mapping[str, Any]:
        from google.auth import exceptions as google_exceptions
        from google.auth.transport import requests as google_requests
        from google.oauth2 import id_token

        request = google_requests.Request()
        try:
            if self._certs_url:
                claims = id_token.verify_token(
                    token, request, self._audience, certs_url=self._certs_url
                )
            else:
                claims = id_token.verify_oauth2_token(  # type: ignore[no-untyped-call]
                    token, request, self._audience
                )
        except google_exceptions.TransportError as e:
            raise TransientError(f"could not fetch the token issuer's certificates: {e}") from e
        except (ValueError, google_exceptions.GoogleAuthError) as e:
            raise Unauthorized(f"invalid OIDC token: {e}") from e
        if not isinstance(claims, Mapping):
            raise Unauthorized("invalid OIDC token: its claims are not an object")
        return claims

    def _check_claims(self, claims: Mapping[str, Any]) -> None:
        if claims.get("aud") != self._audience:
            raise Unauthorized("the OIDC token is not for this endpoint")
        if claims.get("iss") not in GOOGLE_ISSUERS:
            raise Unauthorized("the OIDC token was not issued by Google")
        now = self._clock()
        exp, iat = _time(claims.get("exp")), _time(claims.get("iat"))
        if exp is None or exp + CLOCK_SKEW_S < now:
            raise Unauthorized("the OIDC token has expired")
        if iat is None or iat - CLOCK_SKEW_S > now:
            raise Unauthorized("the OIDC token is not valid yet")
        if not matches(claims.get("email"), self._service_account):
            raise Unauthorized("task calls must come from the queue's service account")
        if claims.get("email_verified") is not True:
            raise Unauthorized("the OIDC token's email is not verified")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (flask's headers ignore it; a plain dict does not)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def _jwt_claims(segment: str) -> Mapping[str, Any]:
    """The payload of a JWT, unverified. Malformed -> Unauthorized, never another error."""
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        claims = json.loads(raw)
    except (ValueError, TypeError, RecursionError) as e:
        raise Unauthorized("the bearer token is not a JWT") from e
    if not isinstance(claims, dict):
        raise Unauthorized("the bearer token is not a JWT")
    return claims


def _time(value: Any) -> float | None:
    """A JWT NumericDate as seconds, or None when it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    seconds = float(value) if abs(value) < 1e12 else math.inf
    return seconds if math.isfinite(seconds) else None


def handle_task_request(
    runner: StepRunner, auth: TaskAuth, step: str, headers: Mapping[str, str], body: bytes
) -> HttpAnswer:
    def run() -> HttpAnswer:
        auth.verify(headers)
        outcome = runner.handle(_decode(step, body))
        key = "result" if outcome.status < 400 else "error"
        return HttpAnswer(outcome.status, {key: outcome.message})

    return answer(run, step)


def handle_scheduled_request(
    auth: TaskAuth, name: str, headers: Mapping[str, str], job: Callable[[], dict[str, Any]]
) -> HttpAnswer:
    """A Cloud Scheduler call: authenticated like a task, then ``job``'s result as 200."""

    def run() -> HttpAnswer:
        auth.verify(headers)
        return HttpAnswer(200, job())

    return answer(run, name)


def answer(run: Callable[[], HttpAnswer], step: str) -> HttpAnswer:
    """``run()``, with what it raises mapped to the status a queue or scheduler acts on:
    permanent -> its 4xx (no retry), transient -> 503 (retry), anything else -> 500."""
    try:
        return run()
    except TransientError as e:
        retry = {"Retry-After": str(int(e.retry_after))} if e.retry_after else {}
        log.warning("step will be retried", extra={"step": step, "error": str(e)})
        return HttpAnswer(503, {"error": str(e)}, retry)
    except PermanentError as e:
        return HttpAnswer(e.status, {"error": str(e)})
    except Exception:
        # Unexpected: log the stack for us, answer 500 so the queue retries; no trace to callers.
        log.exception("step crashed", extra={"step": step})
        return HttpAnswer(500, {"error": "internal error; the queue will retry"})


def _decode(step: str, body: bytes) -> Task:
    try:
        doc = json_input.loads(body)  # strict: finite, bounded numbers (e.g. "attempt")
        task = Task.from_doc({**doc, "step": doc.get("step", step)})
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise PermanentError(f"task body must be JSON with campaign_id, step and key ({e})") from e
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", task.campaign_id) or "/" in task.key:
        raise PermanentError("campaign_id must be letters, digits, - or _; key may not hold /")
    if task.step != step:
        raise PermanentError(f"task for step {task.step!r} posted to /tasks/{step}")
    return task
