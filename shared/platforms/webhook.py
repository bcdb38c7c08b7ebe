"""Webhook deliveries from the ad platforms: the signature checks and body readers they share,
pure. Each platform's module names its own scheme (Meta's is in ``meta.py``).

Every comparison of a secret-derived value is constant-time, on bytes (``shared.signing``),
and no header value makes a check raise anything but these: a signature that is missing,
malformed or does not match is :class:`Unauthorized` (401), a wrong verify token is
:class:`Forbidden` (403), a body that cannot be read is :class:`BadInput` (400), and a blank
secret is :class:`NotConfigured` (503: an empty key would sign for anyone).

* TikTok signs ``t + "." + body``: ``TikTok-Signature: t=<unix seconds>,s=<hex>``; deliveries
  older (or newer) than five minutes are refused, so a captured one cannot be replayed later.
* The Google Ads script (``infra/google-ads-script.js``) signs like TikTok with the shared
  secret, in ``X-Adloop-Signature``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared import json_input
from shared.errors import BadInput, NotConfigured, Unauthorized
from shared.signing import hmac_sha256_hex, matches, unix_seconds, within

TOLERANCE_S = 300


def sign(secret: str, message: bytes) -> str:
    """Hex HMAC-SHA256 of ``message`` with ``secret``."""
    return hmac_sha256_hex(secret, message)


@dataclass(frozen=True)
class TimedSignature:
    """``<header>: t=<unix>,s=<hex HMAC(secret, t + "." + body)>`` (TikTok's scheme, and the
    Google Ads script's)."""

    header: str
    tolerance_s: int = TOLERANCE_S

    def check(self, body: bytes, given: str | None, secret: str, now: float) -> None:
        check_timed_signature(
            body, given, secret, now, name=self.header, tolerance_s=self.tolerance_s
        )


def check_timed_signature(
    body: bytes,
    header: str | None,
    secret: str,
    now: float,
    *,
    name: str,
    tolerance_s: int = TOLERANCE_S,
) -> None:
    """Check a ``t=<unix>,s=<hex HMAC(secret, t + "." + body)>`` header (TikTok's scheme, and
    the Google Ads script's); the timestamp must be within ``tolerance_s`` of ``now``."""
    configured(secret, name)
    parts = _timed_parts(header)
    stamp, given = parts.get("t", ""), parts.get("s", "")
    seconds = unix_seconds(stamp)
    if seconds is None or not given:
        raise Unauthorized(f"{name} must look like t=<unix seconds>,s=<hex signature>")
    if not matches(given, sign(secret, stamp.encode() + b"." + body)):
        raise Unauthorized(f"{name} does not match the body")
    if not within(seconds, now, tolerance_s):
        raise Unauthorized(f"{name} timestamp is more than {tolerance_s} s away from now (replay?)")


def _timed_parts(header: object) -> dict[str, str]:
    """``t=…,s=…`` as a dict; a key given twice is no signature at all (empty)."""
    if not isinstance(header, str):
        return {}
    parts: dict[str, str] = {}
    for part in header.split(","):
        key, eq, value = part.strip().partition("=")
        if not eq:
            continue
        if key in parts:
            return {}
        parts[key] = value
    return parts


def configured(secret: str, name: str) -> None:
    """NotConfigured unless ``secret`` (the one ``name`` sets) is there to check with."""
    if not secret.strip():
        raise NotConfigured(f"{name} is not configured; deliveries cannot be verified")


def json_body(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, read strictly (:mod:`shared.json_input`), or BadInput."""
    try:
        doc = json_input.loads(body)
    except json_input.JsonRefused as e:
        raise BadInput(f"the body is not acceptable JSON: {e}") from e
    if not isinstance(doc, dict):
        raise BadInput("the body must be a JSON object")
    return doc


def parse_rows(body: bytes, *, key: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A report delivery: the JSON object and its list of row objects under ``key``
    (a dotted path, e.g. ``data.list`` for TikTok)."""
    doc = json_body(body)
    node: Any = doc
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list) or not all(isinstance(r, dict) for r in node):
        raise BadInput(f"the report needs a list of row objects at {key!r}")
    return doc, node
