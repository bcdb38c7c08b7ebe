"""Reading what a stranger sent to prove who they are, without ever raising on it.

Every signature, token and timestamp header is checked through these, so a value that is
missing, duplicated, not ASCII, absurdly long or a digit only ``str.isdigit`` believes in
(``"²"``) is simply "not signed": the caller answers 401, never 500. Secrets and signatures are
compared as bytes in constant time; an empty expected value never matches.
"""

from __future__ import annotations

import hashlib
import hmac
import re

# A Unix time in seconds, as ASCII digits: ten now, a few more allowed for the far future; a
# longer value is not a timestamp (and ``int()`` of thousands of digits raises).
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


def as_bytes(value: object) -> bytes | None:
    """``value`` as bytes to compare, or None when it is not text. Total: any ``str`` encodes,
    lone surrogates included (they can never equal a secret, which is what matters)."""
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        return None
    return value.encode("utf-8", "surrogatepass")


def matches(given: object, expected: str | bytes) -> bool:
    """Whether ``given`` equals ``expected``, in constant time; never when ``expected`` is empty
    or ``given`` is not text."""
    want = as_bytes(expected)
    got = as_bytes(given)
    if not want or got is None:
        return False
    return hmac.compare_digest(got, want)


def unix_seconds(value: object) -> int | None:
    """A timestamp header as seconds when it is 1–12 ASCII digits; None otherwise."""
    if not isinstance(value, str) or not _UNIX_SECONDS.fullmatch(value):
        return None
    return int(value)


def within(stamp: int, now: float, tolerance_s: float) -> bool:
    return abs(now - stamp) <= tolerance_s


def hmac_sha256_hex(secret: str, message: bytes) -> str:
    """Hex HMAC-SHA256 of ``message`` with ``secret``. Checkers refuse a blank secret before
    they get here (it would sign for anyone); signing with one is what a forger does."""
    return hmac.new(secret.encode("utf-8", "surrogatepass"), message, hashlib.sha256).hexdigest()
