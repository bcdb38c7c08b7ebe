"""Google Ads: all adloop knows of it.

* Copy limits (checked 2026): responsive ads take a headline of 30, a long headline of 90 and a
  description of 90 characters; longer is rejected (support.google.com/google-ads/answer/7684791).
  Google counts double-width characters (Chinese, Japanese, Korean) as two.
* Export: a Google Ads Editor sheet that creates a paused Performance Max campaign (budget,
  bidding, languages, one location row per country) and one asset group per creative meeting
  Performance Max's minimums (``MINIMUMS``), with its images rendered (``google_images.py``).
  Column names and row shapes: tests/fixtures/platforms/google/SOURCES.md.
* Reports: the daily report of the script the advertiser schedules in Google Ads
  (``infra/google-ads-script.js``), pushed to ``/webhooks/google-ads`` and signed like TikTok's
  deliveries with the shared secret, in ``X-Adloop-Signature``. ``metrics.conversions`` is a
  double (attribution splits a conversion across clicks), kept as one.
"""

from __future__ import annotations

import re
from typing import Any

from shared.errors import BadInput
from shared.platforms import google_images as img
from shared.platforms.limits import Limit
from shared.platforms.markets import country_name
from shared.platforms.platform import Platform, Webhook
from shared.platforms.reports import Row, num, snapshot
from shared.platforms.sheets import Ad, ExportJob, Sheet, video_name
from shared.platforms.tracking import with_utm
from shared.platforms.webhook import TimedSignature

LIMITS = (
    Limit("headline", "headline", 30, "error", "Google rejects longer headlines"),
    Limit("long_headline", "long headline", 90, "error", "Google rejects it"),
    Limit("description", "description", 90, "error", "Google rejects longer descriptions"),
)
# Performance Max text assets per asset group: (fewest, most, longest); one headline of at most
# 15 and one description of at most 60 characters are required too (Google Ads API, "Assets in
# a Performance Max campaign"; 15 headlines as Editor's Headline 1..15 columns take).
MINIMUMS = {"headline": (3, 15, 30), "long_headline": (1, 5, 90), "description": (2, 5, 90)}
SHORT = {"headline": 15, "description": 60}
BUSINESS_NAME_MAX = 25
# Video aspects an asset group takes, in order of preference (YouTube ids, after upload).
ASPECTS = ("16x9", "1x1", "9x16")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

# Google Ads Editor's column names, in the order its own Performance Max export lists them
# (tests/fixtures/platforms/google/editor_pmax_header.json names the sources).
SLOTS = {
    "headline": [f"Headline {i}" for i in range(1, 16)],
    "long_headline": [f"Long headline {i}" for i in range(1, 6)],
    "description": [f"Description {i}" for i in range(1, 6)],
}
VIDEO_IDS = [f"Video ID {i}" for i in range(1, 6)]
HEADER = [
    "Campaign", "Campaign Type", "Budget", "Budget type", "EU political ads", "Languages",
    "Bid Strategy Type", "Start Date", "Asset Group", *SLOTS["headline"],
    *SLOTS["long_headline"], *SLOTS["description"], "Business name", *VIDEO_IDS, "Final URL",
    "Location", "Campaign Status", "Asset Group Status",
]  # fmt: skip
# Values as Editor writes them in its exports (same sources).
CAMPAIGN_VALUES = {
    "Campaign Type": "Performance Max",
    "Budget type": "Daily",
    "EU political ads": "Doesn't have EU political ads",
    "Bid Strategy Type": "Maximize conversions",
    "Campaign Status": "Paused",
}


def google_sheet(ads: list[Ad], job: ExportJob) -> Sheet:
    problems: list[str] = []
    notes: list[str] = []
    business = business_name(job.business_name, problems, notes)
    rows = [campaign_row(job)] + [
        {"Campaign": job.campaign_name, "Location": country_name(c)} for c in job.countries
    ]
    images = shared_images(job, business, notes)
    videos: dict[str, str] = {}
    for ad in ads:
        texts = asset_texts(ad, job)
        problems += text_problems(ad, texts)
        own = creative_images(ad, job)
        images.update({f"{ad.code}.{kind}.jpg": data for kind, data in own.items()})
        have = set(own) | {k for k in img.MARKETING if f"product1.{k}.jpg" in images}
        missing = [k for k in img.MARKETING if img.SPECS[k].required and k not in have]
        if missing:
            problems.append(
                f"{ad.label}: Performance Max needs a {' and a '.join(missing)} image; the brief "
                "has no product image and no frame could be taken from this creative's video: "
                "add product_images to the brief or render its videos"
            )
        chosen = {video_name(ad, a, ad.videos[a]): ad.videos[a] for a in ASPECTS if a in ad.videos}
        videos.update(chosen)
        if chosen:
            notes.append(
                f"{ad.label}: upload {', '.join(sorted(chosen))} (videos/) to YouTube and put "
                f"their ids in asset group {ad.code}'s Video ID columns; Performance Max takes "
                "videos only as YouTube ids"
            )
        rows.append(asset_group_row(ad, job, texts, business))
    notes += image_notes(images)
    rows = [{h: row.get(h, "") for h in HEADER} for row in rows]
    return Sheet("google-ads-editor-pmax.csv", HEADER, rows, videos, problems, notes, images)


def campaign_row(job: ExportJob) -> dict[str, str]:
    return {
        "Campaign": job.campaign_name,
        **CAMPAIGN_VALUES,
        "Budget": f"{job.daily_budget:.2f}",
        "Languages": ";".join(job.languages),  # Editor: language codes, separated by semicolons
        "Start Date": job.start.isoformat(),
    }


def asset_group_row(
    ad: Ad, job: ExportJob, texts: dict[str, list[str]], business: str
) -> dict[str, str]:
    row = {
        "Campaign": job.campaign_name,
        "Asset Group": ad.code,
        "Business name": business,
        "Final URL": with_utm(job.landing_url, ad.code, source="google"),
        "Asset Group Status": "Enabled",
    }
    for kind, cols in SLOTS.items():
        row.update(dict(zip(cols, texts[kind], strict=False)))
    return row


def business_name(name: str, problems: list[str], notes: list[str]) -> str:
    """The business name within Google's 25 characters: whole, or cut after a whole word."""
    name = " ".join(name.split())
    if PLATFORM.length(name) <= BUSINESS_NAME_MAX:
        return name
    words, cut = name.split(), ""
    for word in words:
        if PLATFORM.length(f"{cut} {word}".strip()) > BUSINESS_NAME_MAX:
            break
        cut = f"{cut} {word}".strip()
    cut = cut.rstrip(" ,;:-–—&/")  # a name cut at "GlowDrop Skincare & Co," ends on a word
    if not cut:
        problems.append(
            f"the business name {name!r} has no first word within Google's "
            f"{BUSINESS_NAME_MAX} characters; set brand_name in the brief to a shorter name"
        )
        return ""
    notes.append(f"business name {name!r} is over {BUSINESS_NAME_MAX} characters; used {cut!r}")
    return cut


def asset_texts(ad: Ad, job: ExportJob) -> dict[str, list[str]]:
    """The creative's own texts and the brief's facts in Google's asset slots: whole texts or
    whole sentences that fit, never words cut or invented (pure)."""
    sentences = [s for s in _SENTENCE.split(ad.primary_text) if s]
    facts = [job.product, job.offer, job.business_name]
    candidates = {
        "headline": [ad.headline, ad.hook, ad.cta, *sentences, *facts],
        "long_headline": [ad.headline, ad.hook, *sentences, ad.primary_text],
        "description": [ad.primary_text, *sentences, ad.hook, ad.headline, job.offer],
    }
    out: dict[str, list[str]] = {}
    for kind, texts in candidates.items():
        _, most, longest = MINIMUMS[kind]
        fitting = _fitting(texts, longest)
        chosen = fitting[:most]
        short = SHORT.get(kind)
        if short and chosen and not any(PLATFORM.length(t) <= short for t in chosen):
            first_short = next((t for t in fitting if PLATFORM.length(t) <= short), None)
            if first_short is not None:
                chosen[-1] = first_short
        out[kind] = chosen
    return out


def _fitting(texts: list[str], longest: int) -> list[str]:
    seen: dict[str, str] = {}
    for text in (" ".join(t.split()) for t in texts if t):
        if text and PLATFORM.length(text) <= longest:
            seen.setdefault(text.casefold().rstrip(".!?,;: "), text)  # "20% off." = "20% off"
    return list(seen.values())


def text_problems(ad: Ad, texts: dict[str, list[str]]) -> list[str]:
    """What keeps the asset group from meeting Performance Max's text minimums."""
    problems = []
    for kind, (fewest, _, longest) in MINIMUMS.items():
        name = kind.replace("_", " ")
        if len(texts[kind]) < fewest:
            problems.append(
                f"{ad.label}: Performance Max needs {fewest} {name}(s) of at most {longest} "
                f"characters; only {len(texts[kind])} of its texts fit: shorten its copy"
            )
        short = SHORT.get(kind)
        if short and texts[kind] and not any(PLATFORM.length(t) <= short for t in texts[kind]):
            problems.append(
                f"{ad.label}: Performance Max needs one {name} of at most {short} characters; "
                "none of its texts is that short"
            )
    return problems


def shared_images(job: ExportJob, business: str, notes: list[str]) -> dict[str, bytes]:
    """The logo (a wordmark) and the product images' cuts, for every asset group."""
    images = {f"logo.{k}.png": img.wordmark(business, k) for k in ("logo", "landscape_logo")}
    notes.append(
        f"logo.logo.png and logo.landscape_logo.png are a wordmark of {business!r} standing in "
        "for the brand's logo; replace them with the real logo when you have it"
    )
    sources = (
        [img.open_image(job.read_blob(p)) for p in job.product_images] if job.read_blob else []
    )
    for i, source in enumerate((s for s in sources if s is not None), start=1):
        images.update({f"product{i}.{k}.jpg": d for k, d in img.marketing_images(source).items()})
    return images


def creative_images(ad: Ad, job: ExportJob) -> dict[str, bytes]:
    """Marketing images cut from a frame of the creative's videos (kind -> JPEG)."""
    if job.read_blob is None or not ad.videos:
        return {}
    needed = {
        next((a for a in img.FRAME_ASPECTS[k] if a in ad.videos), None) for k in img.MARKETING
    }
    wanted = {a: ad.videos[a] for a in needed if a is not None}
    return img.from_frames(img.frame_source(wanted, job.read_blob))


def image_notes(images: dict[str, bytes]) -> list[str]:
    if not any(name.endswith(".jpg") for name in images):
        return []
    return [
        "Google Ads Editor's CSV has no image columns: in Editor, add to each asset group its "
        "images from images/ (productN.* to every asset group, <asset group>.* to that one; "
        "landscape = 1.91:1, square = 1:1, portrait = 4:5) and logo.* as its logos"
    ]


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
