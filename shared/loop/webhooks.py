"""Webhook deliveries from the ad platforms: signature checks and parsing, pure.

Every comparison of a secret-derived value is constant-time (``hmac.compare_digest``). A
signature that does not match is :class:`Unauthorized` (401), a wrong verify token is
:class:`Forbidden` (403) and a body that cannot be read is :class:`BadInput` (400).

* Meta signs the raw body: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>``.
* TikTok signs ``t + "." + body``: ``TikTok-Signature: t=<unix seconds>,s=<hex>``; deliveries
  older (or newer) than five minutes are refused, so a captured one cannot be replayed later.
* The Google Ads script (``infra/google-ads-script.js``) signs like TikTok with the shared
  secret, in ``X-Adloop-Signature``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared import json_input
from shared.errors import BadInput, Forbidden, Unauthorized

TOLERANCE_S = 300


@dataclass(frozen=True)
class MetaEvent:
    """One change Meta pushed: a finished insights report, or an ad rule that fired."""

    kind: str  # "report" | "rule" | "other"
    account_id: str
    field: str
    value: dict[str, Any]

    @property
    def report_run_id(self) -> str | None:
        rid = self.value.get("report_run_id") or self.value.get("id")
        return str(rid) if rid is not None else None


def sign(secret: str, message: bytes) -> str:
    """Hex HMAC-SHA256 of ``message`` with ``secret``."""
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def meta_challenge(params: Mapping[str, str], verify_token: str) -> str:
    """The ``hub.challenge`` to echo when Meta verifies the subscription; Forbidden otherwise."""
    given = params.get("hub.verify_token") or ""
    if params.get("hub.mode") != "subscribe" or not hmac.compare_digest(
        given.encode(), verify_token.encode()
    ):
        raise Forbidden("hub.verify_token does not match META_VERIFY_TOKEN")
    challenge = params.get("hub.challenge")
    if not challenge:
        raise BadInput("hub.challenge is missing")
    return challenge


def check_meta_signature(body: bytes, header: str | None, app_secret: str) -> None:
    """Raise Unauthorized unless ``header`` is ``sha256=`` the body's HMAC with the app secret."""
    expected = "sha256=" + sign(app_secret, body)
    if not hmac.compare_digest((header or "").strip().encode(), expected.encode()):
        raise Unauthorized("X-Hub-Signature-256 does not match the body")


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
    parts = dict(p.strip().split("=", 1) for p in (header or "").split(",") if "=" in p)
    stamp, given = parts.get("t", ""), parts.get("s", "")
    if not stamp.isdigit() or not given:
        raise Unauthorized(f"{name} must look like t=<unix seconds>,s=<hex signature>")
    expected = sign(secret, stamp.encode() + b"." + body)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized(f"{name} does not match the body")
    if abs(now - int(stamp)) > tolerance_s:
        raise Unauthorized(f"{name} timestamp is more than {tolerance_s} s away from now (replay?)")


def json_body(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, read strictly (:mod:`shared.json_input`), or BadInput."""
    try:
        doc = json_input.loads(body)
    except json_input.JsonRefused as e:
        raise BadInput(f"the body is not acceptable JSON: {e}") from e
    if not isinstance(doc, dict):
        raise BadInput("the body must be a JSON object")
    return doc


def parse_meta(body: bytes) -> list[MetaEvent]:
    """Meta's ``{"object": ..., "entry": [{"id", "changes": [{"field", "value"}]}]}``."""
    doc = json_body(body)
    entries = doc.get("entry")
    if not isinstance(entries, list):
        raise BadInput("a Meta delivery needs an 'entry' list")
    events = []
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise BadInput("each Meta entry needs a 'changes' list")
        for change in changes:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise BadInput("each Meta change needs a 'field' and an object 'value'")
            field = str(change.get("field") or "")
            events.append(
                MetaEvent(
                    _meta_kind(field, change["value"]),
                    str(entry.get("id") or ""),
                    field,
                    change["value"],
                )
            )
    return events


def _meta_kind(field: str, value: dict[str, Any]) -> str:
    if field.startswith("async") and "complete" in str(value.get("status", "")).lower():
        return "report"
    if "rule" in field:
        return "rule"
    return "other"


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
