"""TikTok: all adloop knows of it.

* Copy limits: in-feed ads take ad text of 1-100 characters, double-width characters counting
  as two (ads.tiktok.com Business Help Center, in-feed video ad specifications). An older
  image-ad spec said 12-100; we follow the current 1-100. Some placements strip emoji, a
  warning here.
* Export: a bulk-creation sheet, one ad per creative with the 9:16 video.
* Reports: integrated-report rows, ``{"dimensions": {ad_id, stat_time_day}, "metrics": {…}}``,
  pushed to ``/webhooks/tiktok`` under ``data.list``.
* Webhook: TikTok signs ``t + "." + body``, ``TikTok-Signature: t=<unix seconds>,s=<hex>``;
  deliveries more than five minutes away from now are refused (``webhook.TimedSignature``).
"""

from __future__ import annotations

from typing import Any

import regex

from shared.errors import BadInput
from shared.platforms.limits import Limit, LimitFinding
from shared.platforms.platform import Platform, Webhook
from shared.platforms.reports import Row, num, snapshot
from shared.platforms.sheets import Ad, ExportJob, Sheet, cta_enum, limit_errors, video_name
from shared.platforms.tracking import with_utm
from shared.platforms.webhook import TimedSignature

LIMITS = (Limit("primary_text", "ad text", 100, "error", "TikTok refuses it", minimum=1),)
ASPECT = "9x16"  # the one video aspect an in-feed ad takes
# Pictographic emoji; TikTok strips them in some placements.
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")


def emoji_warning(fields: dict[str, str]) -> list[LimitFinding]:
    emoji = _EMOJI.search(fields.get("primary_text", ""))
    if emoji is None:
        return []
    reason = "some TikTok placements strip emoji from ad text; the copy must read without it"
    return [LimitFinding("tiktok.emoji", str(emoji.group()), reason, "warning")]


def tiktok_sheet(ads: list[Ad], job: ExportJob) -> Sheet:
    url, campaign_id = job.landing_url, job.campaign_id
    header = [
        "Campaign Name",
        "Ad Group Name",
        "Ad Name",
        "Ad Text",
        "Call to Action",
        "Video Name",
        "Landing Page URL",
    ]
    rows, videos, problems, notes = [], {}, [], []
    for ad in ads:
        # TikTok's ad text is a caption (100 at most): the hook reads best there.
        text = next(
            (t for t in (ad.hook, ad.headline) if t and PLATFORM.length(t) <= 100),
            ad.headline,
        )
        problems += limit_errors(ad, PLATFORM.check({"primary_text": text}))
        file = ""
        if ASPECT in ad.videos:
            file = video_name(ad, ASPECT, ad.videos[ASPECT])
            videos[file] = ad.videos[ASPECT]
        else:
            notes.append(f"{ad.label}: no 9:16 video rendered; TikTok needs one")
        rows.append(
            {
                "Campaign Name": f"adloop {campaign_id}",
                "Ad Group Name": f"{campaign_id} {ad.stage} {ad.language}",
                "Ad Name": ad.code,
                "Ad Text": text,
                "Call to Action": cta_enum(ad.cta).replace("_", " ").title(),
                "Video Name": file,
                "Landing Page URL": with_utm(url, ad.code, source="tiktok"),
            }
        )
    return Sheet("tiktok-bulk-ads.csv", header, rows, videos, problems, notes)


def tiktok_row(row: dict[str, Any]) -> Row:
    """A TikTok integrated-report row: ``{"dimensions": {ad_id, stat_time_day}, "metrics": {…}}``.
    TikTok has no 3-second play count; its 2-second count stands in for thumb-stop."""
    dims, m = row.get("dimensions"), row.get("metrics")
    if (
        not isinstance(dims, dict)
        or not isinstance(m, dict)
        or not dims.get("ad_id")
        or not dims.get("stat_time_day")
    ):
        raise BadInput("a TikTok row needs dimensions.ad_id, dimensions.stat_time_day and metrics")
    snap = snapshot(
        "tiktok",
        dims["ad_id"],
        dims["stat_time_day"],
        impressions=num(m, "impressions"),
        clicks=num(m, "clicks"),
        spend=num(m, "spend"),
        conversions=num(m, "complete_payment", "conversion"),
        revenue=num(m, "total_purchase_value"),
        views_3s=num(m, "video_watched_2s"),
        completions=num(m, "video_views_p100"),
    )
    return Row(snap, str(m.get("ad_name") or ""))


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
        rows_key="data.list",
    ),
)
