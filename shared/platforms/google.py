"""Google Ads: all adloop knows of it.

* Copy limits (checked 2026): responsive ads take a headline of 30, a long headline of 90 and a
  description of 90 characters; longer is rejected (support.google.com/google-ads/answer/7684791).
  Google counts double-width characters (Chinese, Japanese, Korean) as two.
* Export: a Google Ads Editor Performance Max sheet, one asset group per creative, its text
  assets cut to what fits (headlines 30, long headlines 90, descriptions 90) and at most 15/5/5.
* Reports: the daily report of the script the advertiser schedules in Google Ads
  (``infra/google-ads-script.js``), pushed to ``/webhooks/google-ads`` and signed like TikTok's
  deliveries with the shared secret, in ``X-Adloop-Signature``.
"""

from __future__ import annotations

import re
from typing import Any

from shared.errors import BadInput
from shared.platforms.limits import Limit
from shared.platforms.platform import Platform, Webhook
from shared.platforms.reports import Row, num, snapshot
from shared.platforms.sheets import Ad, ExportJob, Sheet, limit_errors, video_name
from shared.platforms.tracking import with_utm
from shared.platforms.webhook import TimedSignature

LIMITS = (
    Limit("headline", "headline", 30, "error", "Google rejects longer headlines"),
    Limit("long_headline", "long headline", 90, "error", "Google rejects it"),
    Limit("description", "description", 90, "error", "Google rejects longer descriptions"),
)
# Video aspects an asset group takes, in order of preference.
ASPECTS = ("16x9", "1x1", "9x16")
MAX_ASSETS = {"headline": 15, "long_headline": 5, "description": 5, "video": 5}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def google_sheet(ads: list[Ad], job: ExportJob) -> Sheet:
    url, campaign_id = job.landing_url, job.campaign_id
    slots = {
        k: [f"{label} {i}" for i in range(1, n + 1)]
        for k, label, n in (
            ("headline", "Headline", 15),
            ("long_headline", "Long headline", 5),
            ("description", "Description", 5),
            ("video", "Video", 5),
        )
    }
    header = [
        "Campaign",
        "Asset Group",
        "Final URL",
        "Business name",
        *(c for cols in slots.values() for c in cols),
    ]
    rows, videos, problems, notes = [], {}, [], []
    for ad in ads:
        texts = google_assets(ad)
        for kind in ("headline", "long_headline", "description"):
            if not texts[kind]:
                problems.append(f"{ad.label}: no {kind.replace('_', ' ')} fits Google's limit")
            for text in texts[kind]:
                problems += limit_errors(ad, PLATFORM.check({kind: text}))
        row = {
            "Campaign": f"adloop {campaign_id}",
            "Asset Group": ad.code,
            "Final URL": with_utm(url, ad.code, source="google"),
            "Business name": "",
        }
        for kind, cols in slots.items():
            row.update(dict(zip(cols, texts[kind], strict=False)))
        chosen = {video_name(ad, a, ad.videos[a]): ad.videos[a] for a in ASPECTS if a in ad.videos}
        videos.update(chosen)
        files = list(chosen)
        row.update(dict(zip(slots["video"], files, strict=False)))
        if files:
            notes.append(
                f"{ad.label}: upload its videos to YouTube and put their ids in the Video columns"
            )
        rows.append({h: row.get(h, "") for h in header})
    return Sheet("google-ads-editor-pmax.csv", header, rows, videos, problems, notes)


def google_assets(ad: Ad) -> dict[str, list[str]]:
    """The creative's text cut into Google's asset slots: only whole texts or whole sentences
    that fit, never words cut mid-way (pure)."""
    sentences = [s for s in _SENTENCE.split(ad.primary_text) if s]

    def fitting(candidates: list[str], most: int, n: int) -> list[str]:
        ok = [c.strip() for c in candidates if c.strip() and PLATFORM.length(c.strip()) <= most]
        return list(dict.fromkeys(ok))[:n]

    return {
        "headline": fitting([ad.headline, ad.hook, ad.cta], 30, MAX_ASSETS["headline"]),
        "long_headline": fitting(
            [ad.headline, ad.hook, *sentences], 90, MAX_ASSETS["long_headline"]
        ),
        "description": fitting([ad.primary_text, *sentences], 90, MAX_ASSETS["description"]),
        "video": [],
    }


def google_row(row: dict[str, Any]) -> Row:
    """A row of the Google Ads script's daily report (see infra/google-ads-script.js)."""
    if not row.get("ad_id") or not row.get("date"):
        raise BadInput("a Google Ads row needs ad_id and date")
    snap = snapshot(
        "google",
        row["ad_id"],
        row["date"],
        impressions=num(row, "impressions"),
        clicks=num(row, "clicks"),
        spend=num(row, "cost_micros") / 1e6,
        conversions=num(row, "conversions"),
        revenue=num(row, "conversions_value"),
        views_3s=num(row, "video_3s_views"),
        completions=num(row, "video_completions"),
    )
    return Row(snap, str(row.get("ad_name") or ""), str(row.get("final_url") or ""))


PLATFORM = Platform(
    id="google",
    name="Google",
    import_into="Google Ads Editor",
    copy_field="description",  # Google has no primary text
    limits=LIMITS,
    sheet=google_sheet,
    report_row=google_row,
    double_width=True,
    webhook=Webhook(
        slug="google-ads",
        secret="google_ads_webhook_secret",
        signature=TimedSignature("X-Adloop-Signature"),
        rows_key="rows",
    ),
)
