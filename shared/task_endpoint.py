"""``POST /tasks/<step>``, independent of the web framework: authenticate the caller, decode
the task, run the step, and map the outcome to an HTTP status the queue understands."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from shared.errors import PermanentError, TransientError, Unauthorized
from shared.log import get_logger
from shared.pipeline.runner import StepRunner
from shared.ports.queue import Task

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
    """The embedded default: the local queue sends a token only this machine knows."""

    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode()

    def verify(self, headers: Mapping[str, str]) -> None:
        given = (headers.get("Authorization") or "").encode()
        if not hmac.compare_digest(given, self._expected):
            raise Unauthorized("task calls must carry the local task token")


class OidcAuth:
    """Production: Cloud Tasks signs an OIDC token as the queue's service account."""

    def __init__(self, audience: str, service_account: str) -> None:
        self._audience = audience
        self._service_account = service_account

    def verify(self, headers: Mapping[str, str]) -> None:
        from google.auth import exceptions as google_exceptions
        from google.auth import jwt
        from google.auth.transport import requests as google_requests
        from google.oauth2 import id_token

        auth = headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            raise Unauthorized("task calls need an OIDC bearer token")
        token = auth.removeprefix("Bearer ")
        try:
            # A token that cannot be ours is refused before Google's certificates are fetched.
            unverified = jwt.decode(token, verify=False)  # type: ignore[no-untyped-call]
        except (ValueError, TypeError) as e:
            raise Unauthorized("the bearer token is not a JWT") from e
        if not isinstance(unverified, dict) or unverified.get("aud") != self._audience:
            raise Unauthorized("the OIDC token is not for this endpoint")
        try:
            claims = id_token.verify_oauth2_token(  # type: ignore[no-untyped-call]
                token, google_requests.Request(), self._audience
            )
        except google_exceptions.TransportError as e:
            raise TransientError(f"could not fetch Google's certificates: {e}") from e
        except ValueError as e:
            raise Unauthorized(f"invalid OIDC token: {e}") from e
        if not hmac.compare_digest(str(claims.get("email", "")), self._service_account):
            raise Unauthorized("task calls must come from the queue's service account")


def handle_task_request(
    runner: StepRunner, auth: TaskAuth, step: str, headers: Mapping[str, str], body: bytes
) -> HttpAnswer:
    try:
        auth.verify(headers)
        task = _decode(step, body)
        outcome = runner.handle(task)
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
    return HttpAnswer(
        outcome.status,
        {"result": outcome.message} if outcome.status < 400 else {"error": outcome.message},
    )


def _decode(step: str, body: bytes) -> Task:
    try:
        doc = json.loads(body)
        task = Task.from_doc({**doc, "step": doc.get("step", step)})
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise PermanentError(f"task body must be JSON with campaign_id, step and key ({e})") from e
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", task.campaign_id) or "/" in task.key:
        raise PermanentError("campaign_id must be letters, digits, - or _; key may not hold /")
    if task.step != step:
        raise PermanentError(f"task for step {task.step!r} posted to /tasks/{step}")
    return task
