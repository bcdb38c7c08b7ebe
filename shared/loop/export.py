"""Export: each platform's bulk-upload file for a campaign's creatives.

Each platform's module builds its sheet (``shared/platforms/meta.py``, ``google.py``,
``tiktok.py``); this loads the campaign's creatives for it and writes the sheet and its videos.
Every ad (or asset group) name and landing URL carries the creative's tracking code, so reports
find their way back. Everything is checked against the platform's limits before anything is
written: one error and nothing is written, with every problem listed.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from shared.errors import BadInput
from shared.loop.meta_videos import with_uploaded_videos
from shared.models.campaign import Campaign
from shared.models.creative import Tag
from shared.pipeline import store
from shared.pipeline.campaigns import get_campaign
from shared.platforms.markets import NOT_SERVED, SANCTIONED, country_name, read_market
from shared.platforms.registry import PLATFORMS
from shared.platforms.sheets import Ad, ExportJob, Sheet, formula_cells
from shared.platforms.tracking import replaced_params
from shared.services import Services

EXPORTED_TAGS = {Tag.APPROVED.value, Tag.WINNER.value}


def export_command(
    services: Services, campaign_id: str, platform: str, out_dir: Path, *, include_all: bool = False
) -> list[Path]:
    """``adloop export ID --platform P --out DIR [--all]``: write the platform's sheet and its
    videos under ``out_dir``; return the files written. Raises BadInput (nothing written) when
    a creative breaks the platform's limits, none is approved, or the brief has no landing URL."""
    if platform not in PLATFORMS:
        raise BadInput(f"unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}")
    build = PLATFORMS[platform].sheet
    campaign = get_campaign(services, campaign_id)
    job = export_job(services, campaign)
    ads = load_ads(services, campaign_id, include_all=include_all)
    if not ads:
        raise BadInput(
            f"campaign {campaign_id} has no Approved or Winner creative; tag some, or export --all"
        )
    sheet = build(ads, job)
    problems = sheet.problems + formula_cells(sheet)
    if problems:
        raise BadInput(f"nothing written; {len(problems)} problem(s): " + "; ".join(problems[:20]))
    replaced = replaced_params(job.landing_url)
    if replaced:
        note = (
            f"the landing URL's own {', '.join(replaced)} gave way to adloop's tracking "
            "parameters (utm_content carries each ad's tracking code; reports match by it)"
        )
        sheet = replace(sheet, notes=[*sheet.notes, note])
    if platform == "meta":  # Meta's ads name their videos by the ad account's id for them
        sheet = with_uploaded_videos(services, sheet)
    return _write(services, sheet, out_dir)


def export_job(services: Services, campaign: Campaign) -> ExportJob:
    """The campaign and settings an export's sheet is made from; BadInput says what is missing."""
    brief, settings = campaign.brief, services.settings
    if not brief.landing_url:
        raise BadInput("the brief has no landing_url; ads need one to link to")
    countries = export_countries(brief.market, settings.export_countries)
    return ExportJob(
        campaign_id=campaign.id,
        landing_url=brief.landing_url,
        business_name=brief.brand_name or brief.product,
        countries=countries,
        languages=tuple(str(lang) for lang in brief.languages),
        start=services.clock().date() + timedelta(days=1),
        daily_budget=settings.export_daily_budget,
        meta_page_id=settings.meta_page_id,
        instagram_account_id=settings.meta_instagram_account_id,
        product_images=tuple(campaign.product_images),
        read_blob=services.blobs.get,
        product=brief.product,
        offer=brief.offer,
        tiktok_identity_id=settings.tiktok_identity_id,
        tiktok_pixel_id=settings.tiktok_pixel_id,
    )


def export_countries(market: str, fallback: list[str]) -> tuple[str, ...]:
    """The countries an export targets: those the brief's market names, or
    ``ADLOOP_EXPORT_COUNTRIES`` when it names none ("LatAm"). A market that names some
    countries and also something else ("Mexico and Atlanta, Georgia") is refused, never
    narrowed or replaced: BadInput says what to change. So is a country no ad reaches."""
    read = read_market(market)
    if read.countries and read.unknown:
        raise BadInput(
            f"the brief's market {market!r} names "
            f"{', '.join(country_name(c) for c in read.countries)} and also "
            f"{', '.join(repr(u) for u in read.unknown)}, which is no country adloop knows; "
            "name countries only (US, Mexico and Colombia)"
        )
    countries = read.countries or tuple(fallback)
    if not countries:
        raise BadInput(
            f"the brief's market {market!r} names no country adloop knows; name countries "
            "(US, Mexico and Colombia) or set ADLOOP_EXPORT_COUNTRIES=US,MX"
        )
    barred = [SANCTIONED.get(c) or NOT_SERVED[c] for c in countries if c in SANCTIONED | NOT_SERVED]
    if barred:
        raise BadInput(
            f"ads cannot run in {', '.join(barred)} (sanctions, or the platforms serve no ads "
            "there): take it out of the brief's market"
        )
    return countries


def load_ads(services: Services, campaign_id: str, *, include_all: bool = False) -> list[Ad]:
    """The campaign's creatives and blueprint variations: Approved and Winner ones, or all of
    them with ``include_all``."""
    docs = services.documents
    videos = {
        d.id: d.data.get("assets") or {} for d in docs.query(store.videos_collection(campaign_id))
    }
    items = store.creative_docs(docs, campaign_id) + store.blueprint_docs(docs, campaign_id)
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


def _write(services: Services, sheet: Sheet, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / sheet.name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=sheet.header)
        writer.writeheader()
        writer.writerows(sheet.rows)
    written = [path]
    for name, data in sorted(sheet.images.items()):
        target = out_dir / "images" / name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(data)
        written.append(target)
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
