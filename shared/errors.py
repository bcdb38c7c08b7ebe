"""What adloop can fail with.

Adapters translate their SDK's errors into these (``raise ... from e``); entry points map them to
HTTP statuses: :class:`PermanentError` is a 4xx (do not retry, the reason is recorded),
:class:`TransientError` a 5xx (the queue retries).
"""

from __future__ import annotations


class AdloopError(Exception):
    """Base of every error adloop raises on purpose."""


class PermanentError(AdloopError):
    """Retrying will not help: bad input, a missing record, a refused request."""

    status = 422


class BadInput(PermanentError):
    """Input a person can fix; the message says what to fix."""

    status = 400


class NotFound(PermanentError):
    status = 404


class Unauthorized(PermanentError):
    status = 401


class Forbidden(PermanentError):
    status = 403


class Conflict(PermanentError):
    """A compare-and-set lost, or a record already exists."""

    status = 409


class TransientError(AdloopError):
    """Worth retrying: a timeout, a 5xx or 429 upstream, contention."""

    status = 503

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotConfigured(TransientError):
    """A secret this needs is not configured (settings read a blank one as none): refuse with
    503 and write nothing, so the sender retries once it is set."""


class GenerationFailed(PermanentError):
    """The model could not produce valid output within the allowed corrective retries."""

    def __init__(self, message: str, reasons: list[str]) -> None:
        super().__init__(message + ": " + "; ".join(reasons))
        self.reasons = reasons
