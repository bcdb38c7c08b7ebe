"""Meta (Facebook and Instagram ads): all adloop knows of it.

* Copy limits (checked 2026): primary text shows about 125 characters before "See more",
  headline about 40, link description about 30 (Meta's recommended lengths, a warning here);
  Ads Manager refuses primary text over 2,200 and headline or description over 255 characters
  (an error).
* Export: an Ads Manager import sheet that creates a paused campaign, its ad sets and ads
  (``shared/platforms/meta_import.py``), one ad per creative and placement group (feed 4:5 or
  1:1, stories/reels 9:16) with that aspect's video.
* Reports: Marketing API insights rows (level=ad, time_increment=1), from an asynchronous report
  adloop requests daily and polls to completion (``shared/adapters/meta_marketing.py``,
  ``shared/loop/meta_report.py``); an ``async_requests`` webhook delivery is only a hint.
* Webhook: Meta signs the raw body, ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret,
  body)>``, and checks the subscription with a ``GET`` echoing ``hub.challenge``
  (developers.facebook.com/docs/graph-api/webhooks/getting-started).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.errors import BadInput, Forbidden, Unauthorized
from shared.platforms.limits import Limit
from shared.platforms.meta_import import build_sheet
from shared.platforms.platform import Handshake, Platform, Webhook
from shared.platforms.reports import Row, num, number, snapshot
from shared.platforms.sheets import Ad, ExportJob, Sheet
from shared.platforms.webhook import configured, json_body, sign
from shared.signing import matches

LIMITS = (
    Limit("primary_text", "primary text", 2200, "error", "Ads Manager refuses it"),
    Limit("primary_text", "primary text", 125, "warning", "cut behind 'See more'"),
    Limit("headline", "headline", 255, "error", "Ads Manager refuses it"),
    Limit("headline", "headline", 40, "warning", "truncated in most placements"),
    Limit("description", "description", 255, "error", "Ads Manager refuses it"),
    Limit("description", "description", 30, "warning", "truncated or hidden on mobile"),
)
# The insights fields meta_row reads, asked for by shared/adapters/meta_marketing.py.
INSIGHTS_FIELDS = (
    "ad_id,ad_name,date_start,date_stop,impressions,inline_link_clicks,clicks,spend,"
    "actions,action_values,video_p100_watched_actions"
)
# Meta reports 3-second video plays as the "video_view" action; purchases under these types.
_PURCHASE = ("purchase", "offsite_conversion.fb_pixel_purchase", "omni_purchase")
# Meta's ids are digits and its webhook fields snake_case; anything else is not Meta's.
META_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


def meta_sheet(ads: list[Ad], job: ExportJob) -> Sheet:
    """The Ads Manager import sheet (``shared/platforms/meta_import.py``)."""
    return build_sheet(ads, job, PLATFORM.check)


def _actions(row: dict[str, Any], key: str, types: tuple[str, ...]) -> float:
    items = row.get(key) or []
    if not isinstance(items, list):
        raise BadInput(f"{key} must be a list of {{action_type, value}}")
    return max(
        (
            number(a.get("value"), f"{key}.value")
            for a in items
            if isinstance(a, dict) and a.get("action_type") in types
        ),
        default=0.0,
    )


def meta_row(row: dict[str, Any]) -> Row:
    """A Marketing API insights row (level=ad, time_increment=1)."""
    if not row.get("ad_id") or not row.get("date_start"):
        raise BadInput("a Meta insights row needs ad_id and date_start")
    snap = snapshot(
        "meta",
        row["ad_id"],
        row["date_start"],
        impressions=num(row, "impressions"),
        clicks=num(row, "inline_link_clicks", "clicks"),
        spend=num(row, "spend"),
        conversions=_actions(row, "actions", _PURCHASE),
        revenue=_actions(row, "action_values", _PURCHASE),
        views_3s=_actions(row, "actions", ("video_view",)),
        completions=_actions(row, "video_p100_watched_actions", ("video_view",)),
    )
    return Row(snap, str(row.get("ad_name") or ""))


# --- the webhook ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetaEvent:
    """One change Meta pushed: news of an insights report's run, or an ad rule that fired."""

    kind: str  # "report" | "rule" | "other"
    account_id: str
    field: str
    value: dict[str, Any]

    @property
    def report_run_id(self) -> str | None:
        rid = self.value.get("report_run_id") or self.value.get("id")
        return str(rid) if rid is not None else None


def meta_challenge(params: Mapping[str, str], verify_token: str) -> str:
    """The ``hub.challenge`` to echo when Meta verifies the subscription; Forbidden otherwise."""
    configured(verify_token, "META_VERIFY_TOKEN")
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
    configured(app_secret, "META_APP_SECRET")
    given = header.strip() if isinstance(header, str) else None
    if not matches(given, "sha256=" + sign(app_secret, body)):
        raise Unauthorized("X-Hub-Signature-256 does not match the body")


@dataclass(frozen=True)
class HubSignature:
    """Meta's scheme: the body's HMAC with the app secret, ``sha256=<hex>``."""

    header: str = "X-Hub-Signature-256"

    def check(self, body: bytes, given: str | None, secret: str, now: float) -> None:
        check_meta_signature(body, given, secret)


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
    # Any news of a report's run is only a hint: adloop checks the run itself.
    if field.startswith("async"):
        return "report"
    if "rule" in field:
        return "rule"
    return "other"


PLATFORM = Platform(
    id="meta",
    name="Meta",
    import_into="Meta Ads Manager",
    copy_field="primary_text",
    limits=LIMITS,
    sheet=meta_sheet,
    report_row=meta_row,
    webhook=Webhook(
        slug="meta",
        secret="meta_app_secret",
        signature=HubSignature(),
        handshake=Handshake(secret="meta_verify_token", answer=meta_challenge),
    ),
)
