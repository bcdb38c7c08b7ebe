"""Export: each platform's bulk-upload file for a campaign's creatives.

* Meta: an Ads Manager import sheet (CSV with Ads Manager's column names), one ad per creative
  and placement group (feed 4:5 or 1:1, stories/reels 9:16) with that aspect's video.
* Google: a Google Ads Editor Performance Max sheet, one asset group per creative, its text
  assets cut to what fits (headlines 30, long headlines 90, descriptions 90) and at most 15/5/5.
* TikTok: a bulk-creation sheet, one ad per creative with the 9:16 video.

Every ad (or asset group) name and landing URL carries the creative's tracking code, so reports
find their way back. Everything is checked against ``shared.creative.limits`` before anything is
written: one error and nothing is written, with every problem listed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.creative import limits
from shared.errors import BadInput
from shared.loop.tracking import tracking_code, with_utm
from shared.models.creative import Tag
from shared.pipeline.campaigns import get_campaign
from shared.services import Services

PLATFORMS = ("meta", "google", "tiktok")
EXPORTED_TAGS = {Tag.APPROVED.value, Tag.WINNER.value}
# Aspects each platform takes, in order of preference; Meta's two groups are separate ads.
META_PLACEMENTS = {"feed": ("4x5", "1x1"), "stories": ("9x16",)}
GOOGLE_ASPECTS = ("16x9", "1x1", "9x16")
GOOGLE_MAX = {"headline": 15, "long_headline": 5, "description": 5, "video": 5}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CTA_ENUM = (
    (("shop", "buy", "compra", "order", "pide"), "SHOP_NOW"),
    (("sign", "join", "regist", "únete"), "SIGN_UP"),
    (("get", "claim", "obtén", "consigue", "offer", "oferta"), "GET_OFFER"),
)


@dataclass(frozen=True)
class Ad:
    """One exportable creative: its copy, tracking code and rendered videos by aspect."""

    campaign_id: str
    label: str
    stage: str
    language: str
    angle: str
    headline: str
    primary_text: str
    cta: str
    hook: str
    videos: dict[str, str]  # aspect ("9x16") -> blob path

    @property
    def code(self) -> str:
        return tracking_code(self.campaign_id, self.label)


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[str]
    rows: list[dict[str, str]]
    videos: dict[str, str]  # file name in the export -> blob path
    problems: list[str]
    notes: list[str]


def export_command(
    services: Services, campaign_id: str, platform: str, out_dir: Path, *, include_all: bool = False
) -> list[Path]:
    """``adloop export ID --platform P --out DIR [--all]``: write the platform's sheet and its
    videos under ``out_dir``; return the files written. Raises BadInput (nothing written) when
    a creative breaks the platform's limits, none is approved, or the brief has no landing URL."""
    if platform not in PLATFORMS:
        raise BadInput(f"unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}")
    campaign = get_campaign(services, campaign_id)
    url = campaign.brief.landing_url
    if not url:
        raise BadInput("the brief has no landing_url; ads need one to link to")
    ads = load_ads(services, campaign_id, include_all=include_all)
    if not ads:
        raise BadInput(
            f"campaign {campaign_id} has no Approved or Winner creative; tag some, or export --all"
        )
    sheet = BUILDERS[platform](ads, url, campaign_id)
    if sheet.problems:
        raise BadInput(
            f"nothing written; {len(sheet.problems)} problem(s): " + "; ".join(sheet.problems)
        )
    return _write(services, sheet, out_dir)


def load_ads(services: Services, campaign_id: str, *, include_all: bool = False) -> list[Ad]:
    """The campaign's creatives and blueprint variations: Approved and Winner ones, or all of
    them with ``include_all``."""
    docs = services.documents
    videos = {
        d.id: d.data.get("assets") or {} for d in docs.query(f"campaigns/{campaign_id}/videos")
    }
    items = [d.data for d in docs.query(f"campaigns/{campaign_id}/creatives")]
    items += [d.data for d in docs.query(f"campaigns/{campaign_id}/blueprints")]
    ads = []
    for item in items:
        if not include_all and (item.get("tag") or Tag.DRAFT.value) not in EXPORTED_TAGS:
            continue
        assets = videos.get(str(item.get("video_id")), {})
        ads.append(
            Ad(
                campaign_id=campaign_id,
                label=str(item["label"]),
                stage=str(
                    item.get("funnel_stage")
                    or ("Full" if item.get("language") == "es" else "Conversion")
                ),
                language=str(item.get("language") or "en"),
                angle=str(item.get("angle") or ""),
                headline=str(item.get("headline") or item.get("hook") or ""),
                primary_text=str(item.get("primary_text") or item.get("voiceover") or ""),
                cta=str(item.get("cta") or ""),
                hook=str(item.get("hook") or ""),
                videos={aspect: a["video"] for aspect, a in assets.items() if a.get("video")},
            )
        )
    return sorted(ads, key=lambda a: a.label)


def cta_enum(cta: str) -> str:
    """The platform button closest to the CTA's words (Meta and TikTok pick from a list)."""
    low = cta.lower()
    return next((enum for cues, enum in _CTA_ENUM if any(c in low for c in cues)), "LEARN_MORE")


def video_name(ad: Ad, aspect: str, blob: str) -> str:
    return f"{ad.code}.{aspect}{Path(blob).suffix or '.mp4'}"


def meta_sheet(ads: list[Ad], url: str, campaign_id: str) -> Sheet:
    header = [
        "Campaign Name",
        "Ad Set Name",
        "Ad Name",
        "Ad Status",
        "Title",
        "Body",
        "Link",
        "URL Tags",
        "Call to Action",
        "Video File Name",
    ]
    rows, videos, problems, notes = [], {}, [], []
    for ad in ads:
        problems += _errors(ad, {"headline": ad.headline, "primary_text": ad.primary_text}, "meta")
        placed = [
            (group, next((a for a in aspects if a in ad.videos), None))
            for group, aspects in META_PLACEMENTS.items()
        ]
        placed = [(g, a) for g, a in placed if a] or [("feed", None)]
        if placed == [("feed", None)]:
            notes.append(f"{ad.label}: no rendered video; add the media in Ads Manager")
        for group, aspect in placed:
            file = video_name(ad, aspect, ad.videos[aspect]) if aspect else ""
            if aspect:
                videos[file] = ad.videos[aspect]
            rows.append(
                {
                    "Campaign Name": f"adloop {campaign_id}",
                    "Ad Set Name": f"{campaign_id} {ad.stage} {ad.language}",
                    "Ad Name": f"{ad.code} {group} {ad.angle}".strip(),
                    "Ad Status": "PAUSED",
                    "Title": ad.headline,
                    "Body": ad.primary_text,
                    "Link": with_utm(url, ad.code, source="meta"),
                    "URL Tags": f"utm_content={ad.code}",
                    "Call to Action": cta_enum(ad.cta),
                    "Video File Name": file,
                }
            )
    return Sheet("meta-ads-import.csv", header, rows, videos, problems, notes)


def google_sheet(ads: list[Ad], url: str, campaign_id: str) -> Sheet:
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
                problems += _errors(ad, {kind: text}, "google")
        row = {
            "Campaign": f"adloop {campaign_id}",
            "Asset Group": ad.code,
            "Final URL": with_utm(url, ad.code, source="google"),
            "Business name": "",
        }
        for kind, cols in slots.items():
            row.update(dict(zip(cols, texts[kind], strict=False)))
        chosen = {
            video_name(ad, a, ad.videos[a]): ad.videos[a] for a in GOOGLE_ASPECTS if a in ad.videos
        }
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
        ok = [
            c.strip()
            for c in candidates
            if c.strip() and limits.length(c.strip(), "google") <= most
        ]
        return list(dict.fromkeys(ok))[:n]

    return {
        "headline": fitting([ad.headline, ad.hook, ad.cta], 30, GOOGLE_MAX["headline"]),
        "long_headline": fitting(
            [ad.headline, ad.hook, *sentences], 90, GOOGLE_MAX["long_headline"]
        ),
        "description": fitting([ad.primary_text, *sentences], 90, GOOGLE_MAX["description"]),
        "video": [],
    }


def tiktok_sheet(ads: list[Ad], url: str, campaign_id: str) -> Sheet:
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
            (t for t in (ad.hook, ad.headline) if t and limits.length(t, "tiktok") <= 100),
            ad.headline,
        )
        problems += _errors(ad, {"primary_text": text}, "tiktok")
        file = ""
        if "9x16" in ad.videos:
            file = video_name(ad, "9x16", ad.videos["9x16"])
            videos[file] = ad.videos["9x16"]
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


BUILDERS: dict[str, Callable[[list[Ad], str, str], Sheet]] = {
    "meta": meta_sheet,
    "google": google_sheet,
    "tiktok": tiktok_sheet,
}


def _errors(ad: Ad, fields: dict[str, str], platform: str) -> list[str]:
    return [
        f"{ad.label}: {f.reason}" for f in limits.check(fields, platform) if f.severity == "error"
    ]


def _write(services: Services, sheet: Sheet, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / sheet.name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=sheet.header)
        writer.writeheader()
        writer.writerows(sheet.rows)
    written = [path]
    for name, blob in sorted(sheet.videos.items()):
        target = out_dir / "videos" / name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(services.blobs.get(blob))
        written.append(target)
    if sheet.notes:
        notes = out_dir / (Path(sheet.name).stem + "-notes.txt")
        notes.write_text("\n".join(sheet.notes) + "\n", encoding="utf-8")
        written.append(notes)
    return written
