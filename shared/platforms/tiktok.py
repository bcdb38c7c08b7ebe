"""TikTok: all adloop knows of it.

* Copy limits: in-feed ads take ad text of 1-100 characters, double-width characters counting
  as two (ads.tiktok.com Business Help Center, in-feed video ad specifications). An older
  image-ad spec said 12-100; we follow the current 1-100. Some placements strip emoji, a
  warning here.
* Export: TikTok Ads Manager's bulk-import template (``tiktok_template.HEADER``, every column,
  none renamed), one new campaign (Sales objective, website, paused) with one ad group (TikTok
  placement, the brief's countries, daily budget, Maximum Delivery) and one ad per creative with
  its 9:16 video. Values and their sources: tests/fixtures/platforms/tiktok/SOURCES.md.
* Reports: pulled, never pushed: the Reporting API's integrated report (BASIC, AUCTION_AD,
  ``ad_id`` x ``stat_time_day``) rows, ``{"dimensions": {...}, "metrics": {...}}``, read by
  ``shared/adapters/tiktok_business.py`` and mapped by :func:`tiktok_row`.
* Webhook: TikTok for Developers' events (``client_key``, ``event``, ``create_time``,
  ``user_openid``, ``content``; https://developers.tiktok.com/doc/webhooks-events) carry no
  report rows; a signed one is stored, not ingested (``shared/web/webhooks.py``). TikTok signs
  ``t + "." + body`` with the client secret, ``TikTok-Signature: t=<unix seconds>,s=<hex>``
  (https://developers.tiktok.com/doc/webhooks-verification); deliveries more than five minutes
  away from now are refused (``webhook.TimedSignature``).
"""

from __future__ import annotations

import json
from typing import Any

import regex

from shared.errors import BadInput
from shared.platforms.limits import Limit, LimitFinding
from shared.platforms.markets import country_name
from shared.platforms.platform import Platform, Webhook
from shared.platforms.reports import Row, num, snapshot
from shared.platforms.sheets import Ad, ExportJob, Sheet, cta_enum, limit_errors, video_name
from shared.platforms.tiktok_template import HEADER
from shared.platforms.tracking import with_utm
from shared.platforms.webhook import TimedSignature, json_body

LIMITS = (Limit("primary_text", "ad text", 100, "error", "TikTok refuses it", minimum=1),)
ASPECT = "9x16"  # the one video aspect an in-feed ad takes
# Pictographic emoji; TikTok strips them in some placements.
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")

# The integrated report's metrics tiktok_row reads (names from TikTok's reporting metrics;
# sources in tests/fixtures/platforms/tiktok/SOURCES.md). ``total_complete_payment_rate`` is,
# despite its name, the total value of the Complete Payment events ("Total complete payment
# value"): the revenue paired with ``complete_payment``.
REPORT_METRICS = (
    "ad_name",
    "impressions",
    "clicks",
    "spend",
    "complete_payment",
    "total_complete_payment_rate",
    "video_watched_2s",
    "video_views_p100",
)
# TikTok's documented minimum ad-group daily budget, in US dollars (ads.tiktok.com/help/article/
# budget-and-bidding-faq: "$50 at the campaign level and $20 at the ad group level").
MIN_ADGROUP_DAILY_BUDGET = 20.0
# The call-to-action buttons TikTok has (the Business API's CallToAction enum, tiktok-business-
# api-sdk yml_files/smart_plus_ad_create.yml), as the template writes them ("Learn More").
# TikTok has no "Get offer" button: an offer links to the page to learn more.
_CTA = {"SHOP_NOW": "Shop Now", "SIGN_UP": "Sign Up", "LEARN_MORE": "Learn More"}
# Fixed template values: what a new, paused website-sales campaign needs (SOURCES.md: the value
# vocabulary comes from the same template user's rows and from TikTok's help articles).
_CAMPAIGN = {
    "Campaign Status": "Off",  # created paused: a person switches it on after a look
    "Advertising Objective": "Sales",
    "Sales destination": "Website",
    "iOS 14 Dedicated Campaign": "Off",
    "Campaign Budget Type": "No Limit",  # the budget is the ad group's (campaign minimum: $50)
    "Campaign Budget Optimization": "Off",
}
_AD_GROUP = {
    "Ad Group Status": "On",
    "Placement Types": "Select",
    "Placements": "TikTok",
    "Include search results": "Off",
    "Optimization location": "Website",
    "Pixel Event": "Complete Payment",  # the event tiktok_row reads as conversions
    "User Comment": "Off",
    "Video Download": "Off",
    "Allow video sharing": "Off",
    "Automated Creative Optimization": "Off",
    "Smart audience": "Off",
    "Gender": "All",
    "Age": "18-24,25-34,35-44,45-54,55+",
    # Targeting left open, written as the same template user writes it rather than blank (a
    # blank is not shown to import anywhere): SOURCES.md, the TTExport rows.
    "Spending power": "All",
    "Household income": "All",
    "Smart interests & behaviors": "Off",
    "Internet service provider": "All",
    "Operating System": "All",
    "Connection Type": "All",
    "Carriers": "All",
    "Device Price": "All",
    "OS Versions": "All",
    "Device model": "All",
    "Inventory filter": "Full inventory",
    "Ad Group Budget Type": "Daily",
    "End Time": "No Limit",
    "Dayparting": "All Day",
    "Optimization Goal": "Conversion",
    "Billing Method": "oCPM",
    "Click-through window": "7-day click",
    "View-through window": "1-day view",
    "Event count": "Every",
    "Bid Strategy": "Maximum Delivery",  # spends the budget, needs no bid
    "Delivery Type": "Standard",
}
_AD = {
    "Ad Status": "On",
    "Use TikTok Account": "Off",
    "Identity Type": "Custom Identity",
    "Ad format": "Single video",
    "Call to action type": "Standard",
}
# The columns a new campaign, ad group and ad cannot be imported without, as adloop fills them.
REQUIRED = (
    *_CAMPAIGN,
    "Campaign Name",
    *_AD_GROUP,
    "Ad Group Name",
    "TikTok Pixel ID",
    "Location",
    "Ad Group Budget Amount",
    "Start Time",
    *_AD,
    "Ad Name",
    "Identity ID",
    "Video Name",
    "Text",
    "Call to Action",
    "Web URL",
)


def emoji_warning(fields: dict[str, str]) -> list[LimitFinding]:
    emoji = _EMOJI.search(fields.get("primary_text", ""))
    if emoji is None:
        return []
    reason = "some TikTok placements strip emoji from ad text; the copy must read without it"
    return [LimitFinding("tiktok.emoji", str(emoji.group()), reason, "warning")]


def tiktok_sheet(ads: list[Ad], job: ExportJob) -> Sheet:
    """One row per ad: the campaign's and ad group's columns repeat on each (the template's
    way of saying the ads share them)."""
    group = {
        **_CAMPAIGN,
        "Campaign Name": job.campaign_name,
        **_AD_GROUP,
        "Ad Group Name": f"{job.campaign_name} TikTok",
        "TikTok Pixel ID": job.tiktok_pixel_id or "",
        "Location": ",".join(country_name(c) for c in job.countries),
        "Ad Group Budget Amount": f"{job.daily_budget:.2f}",
        "Start Time": f"{job.start:%Y/%m/%d} 00:00",
    }
    rows, videos, problems, notes = [], {}, [], _person_notes(job)
    for ad in ads:
        # TikTok's ad text is a caption (100 at most): the hook reads best there.
        text = next(
            (t for t in (ad.hook, ad.headline) if t and PLATFORM.length(t) <= 100),
            ad.headline,
        )
        problems += limit_errors(ad, PLATFORM.check({"primary_text": text}))
        if ASPECT not in ad.videos:  # the row could not import: left out, and said so
            notes.append(f"{ad.label}: no 9:16 video rendered; TikTok needs one, so it is left out")
            continue
        file = video_name(ad, ASPECT, ad.videos[ASPECT])
        videos[file] = ad.videos[ASPECT]
        row = {column: "" for column in HEADER}
        row.update(group)
        row.update(_AD)
        row.update(
            {
                "Ad Name": ad.code,
                "Identity ID": job.tiktok_identity_id or "",
                "Video Name": file,
                "Text": text,
                "Call to Action": _CTA.get(cta_enum(ad.cta), "Learn More"),
                "Web URL": with_utm(job.landing_url, ad.code, source="tiktok"),
            }
        )
        rows.append(row)
    if ads and not rows:
        problems.append("no creative has a 9:16 video; TikTok's in-feed ads need one")
    return Sheet("tiktok-bulk-ads.csv", list(HEADER), rows, videos, problems, notes)


def _person_notes(job: ExportJob) -> list[str]:
    """What only a person can do before the import goes through."""
    notes = [
        "Upload every file in videos/ to the ad account's Creative library (Assets > Creative) "
        "first: the sheet's Video Name column names them as they are here.",
    ]
    if not job.tiktok_identity_id:
        notes.append(
            "Identity ID is empty: create a custom identity (display name and profile image) "
            "in Ads Manager, then fill its id in, or set ADLOOP_TIKTOK_IDENTITY_ID."
        )
    if not job.tiktok_pixel_id:
        notes.append(
            "TikTok Pixel ID is empty: a Sales campaign optimises for the pixel's Complete "
            "Payment event; fill in your pixel's id, or set ADLOOP_TIKTOK_PIXEL_ID."
        )
    if job.daily_budget < MIN_ADGROUP_DAILY_BUDGET:
        notes.append(
            f"The ad group's daily budget ({job.daily_budget:.2f}) is under TikTok's minimum "
            f"(20 USD or its equivalent); raise ADLOOP_EXPORT_DAILY_BUDGET or the cell."
        )
    return notes


NO_FIGURE = "-"


def tiktok_row(row: dict[str, Any]) -> Row:
    """An integrated-report row: ``{"dimensions": {ad_id, stat_time_day}, "metrics": {…}}``
    (TikTok writes the figures as strings). Conversions are Complete Payment events and revenue
    their value (``total_complete_payment_rate``). TikTok has no 3-second play count; its
    2-second count stands in for thumb-stop."""
    dims, m = row.get("dimensions"), row.get("metrics")
    if (
        not isinstance(dims, dict)
        or not isinstance(m, dict)
        or not dims.get("ad_id")
        or not dims.get("stat_time_day")
    ):
        raise BadInput("a TikTok row needs dimensions.ad_id, dimensions.stat_time_day and metrics")
    # TikTok writes "-" for a metric it has no figure for (no payments, no video plays): none.
    # (Seen in the Reporting API's answers; Airbyte's TikTok connector maps every "-" to empty,
    # airbytehq/airbyte source-tiktok-marketing components/transformations.py
    # TransformEmptyMetrics.)
    m = {k: v for k, v in m.items() if v != NO_FIGURE}
    snap = snapshot(
        "tiktok",
        dims["ad_id"],
        dims["stat_time_day"],
        impressions=num(m, "impressions"),
        clicks=num(m, "clicks"),
        spend=num(m, "spend"),
        conversions=num(m, "complete_payment"),
        revenue=num(m, "total_complete_payment_rate"),
        views_3s=num(m, "video_watched_2s"),
        completions=num(m, "video_views_p100"),
    )
    return Row(snap, str(m.get("ad_name") or ""))


# Every TikTok webhook's body (https://developers.tiktok.com/doc/webhooks-events, "Webhook
# Structure"); ``content`` is a serialised JSON string of the event's own fields.
ENVELOPE = ("client_key", "event", "create_time", "user_openid", "content")
_KEPT_CHARS = 10_000  # of a text field, or of a body that is no envelope


def tiktok_event(body: bytes) -> dict[str, Any]:
    """A signed delivery as adloop keeps it (pure): the envelope's fields as TikTok sent them,
    ``readable`` False with the ``reason`` when the body is not one (its text kept instead).

    None carries report rows: adloop keeps events for a person to read (a user deauthorising
    the app, say) and learns nothing from them."""
    try:
        doc = json_body(body)
    except BadInput as e:
        text = body.decode("utf-8", "replace")[:_KEPT_CHARS]
        return {"readable": False, "reason": str(e), "body": text}
    kept = {k: _plain(doc[k]) for k in ENVELOPE if k in doc}
    missing = [k for k in ENVELOPE if k not in doc]
    if missing:
        reason = "not a TikTok webhook envelope: no " + ", ".join(missing)
        return {"readable": False, "reason": reason, **kept}
    return {"readable": True, **kept}


def _plain(value: Any) -> str | int | None:
    """A field's value as the store keeps it: text and whole numbers as they are (bounded),
    anything else as its JSON text."""
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, int):
        return value  # json_body already bounds numbers to what a document holds
    if isinstance(value, str):
        return value[:_KEPT_CHARS]
    return json.dumps(value, sort_keys=True)[:_KEPT_CHARS]


PLATFORM = Platform(
    id="tiktok",
    name="TikTok",
    import_into="TikTok Ads Manager",
    copy_field="primary_text",
    limits=LIMITS,
    sheet=tiktok_sheet,
    report_row=tiktok_row,
    double_width=True,
    extra_checks=emoji_warning,
    webhook=Webhook(
        slug="tiktok",
        secret="tiktok_client_secret",
        signature=TimedSignature("TikTok-Signature"),
    ),
)
