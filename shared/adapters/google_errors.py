"""Google client-library errors -> adloop's errors, shared by the Google Cloud adapters.

Every Google adapter calls :func:`translate` at its boundary (``raise translate(e, what) from e``)
so step code only ever sees :mod:`shared.errors`: a retryable failure (contention, a timeout, a
5xx or 429 upstream) becomes :class:`TransientError`; anything retrying will not fix becomes a
:class:`PermanentError` subtype.
"""

from __future__ import annotations

import requests
from google.api_core import exceptions as gexc
from google.auth import exceptions as auth_exc

from shared import errors

# Aborted (a lost transaction) is a 409 in google.api_core's hierarchy, so it is checked before
# the 4xx mapping below; MethodNotImplemented is a 5xx that no retry will fix.
_TRANSIENT: tuple[type[BaseException], ...] = (
    gexc.Aborted,
    gexc.TooManyRequests,
    gexc.RetryError,
    gexc.ResumableTransferError,
    auth_exc.TransportError,
    requests.ConnectionError,
    requests.Timeout,
    ConnectionError,
    TimeoutError,
)

_PERMANENT: tuple[tuple[type[BaseException], type[errors.PermanentError]], ...] = (
    (gexc.NotFound, errors.NotFound),
    (gexc.Unauthorized, errors.Unauthorized),
    (gexc.Forbidden, errors.Forbidden),
    (gexc.Conflict, errors.Conflict),
    (gexc.PreconditionFailed, errors.Conflict),
    (gexc.InvalidArgument, errors.BadInput),
    (gexc.OutOfRange, errors.BadInput),
    (auth_exc.RefreshError, errors.Unauthorized),
    (auth_exc.DefaultCredentialsError, errors.Unauthorized),
)


# What a Google client call can raise besides bugs: API errors, auth failures, HTTP transport.
CLIENT_ERRORS: tuple[type[Exception], ...] = (
    gexc.GoogleAPIError,
    auth_exc.GoogleAuthError,
    requests.RequestException,
)


def translate(e: BaseException, what: str) -> errors.AdloopError:
    """The adloop error for ``e``, raised while doing ``what`` (a short phrase for the message)."""
    message = f"{what}: {type(e).__name__}: {e}"
    if is_transient(e):
        return errors.TransientError(message)
    for source, target in _PERMANENT:
        if isinstance(e, source):
            return target(message)
    return errors.PermanentError(message)


def is_transient(e: BaseException) -> bool:
    """Whether retrying the same call later may succeed."""
    if isinstance(e, gexc.MethodNotImplemented):
        return False
    return isinstance(e, (*_TRANSIENT, gexc.ServerError))
