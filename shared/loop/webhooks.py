"""Webhook deliveries from the ad platforms: signature checks and parsing, pure.

Every comparison of a secret-derived value is constant-time, on bytes (``shared.signing``),
and no header value makes a check raise anything but these: a signature that is missing,
malformed or does not match is :class:`Unauthorized` (401), a wrong verify token is
:class:`Forbidden` (403), a body that cannot be read is :class:`BadInput` (400), and a blank
secret is :class:`NotConfigured` (503: an empty key would sign for anyone).

* Meta signs the raw body: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>``.
* TikTok signs ``t + "." + body``: ``TikTok-Signature: t=<unix seconds>,s=<hex>``; deliveries
  older (or newer) than five minutes are refused, so a captured one cannot be replayed later.
* The Google Ads script (``infra/google-ads-script.js``) signs like TikTok with the shared
  secret, in ``X-Adloop-Signature``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared import json_input
from shared.errors import BadInput, Forbidden, NotConfigured, Unauthorized
from shared.signing import hmac_sha256_hex, matches, unix_seconds, within

TOLERANCE_S = 300
# Meta's ids are digits and its webhook fields snake_case; anything else is not Meta's.
META_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


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
    return hmac_sha256_hex(secret, message)


def meta_challenge(params: Mapping[str, str], verify_token: str) -> str:
    """The ``hub.challenge`` to echo when Meta verifies the subscription; Forbidden otherwise."""
    _configured(verify_token, "META_VERIFY_TOKEN")
    if params.get("hub.mode") != "subscribe" or not matches(
        params.get("hub.verify_token"), verify_token
    ):
        raise Forbidden("hub.verify_token does not match META_VERIFY_TOKEN")
    challenge = params.get("hub.challenge")
    if not challenge:
        raise BadInput("hub.challenge is missing")
    return challenge


def check_meta_signature(body: bytes, header: str | None, app_secret: str) -> None:
    """Raise Unauthorized unless ``header`` is ``sha256=`` the body's HMAC with the app secret."""
    _configured(app_secret, "META_APP_SECRET")
    given = header.strip() if isinstance(header, str) else None
    if not matches(given, "sha256=" + sign(app_secret, body)):
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
    _configured(secret, name)
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


def _configured(secret: str, name: str) -> None:
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
            event = MetaEvent(
                _meta_kind(field, change["value"]),
                str(entry.get("id") or ""),
                field,
                change["value"],
            )
            # These become parts of document paths: ids and field names, nothing else.
            for name, value in (("field", field), ("report_run_id", event.report_run_id)):
                if value and not META_ID.fullmatch(value):
                    raise BadInput(f"a Meta change's {name} must be letters, digits, _ . - or :")
            events.append(event)
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
