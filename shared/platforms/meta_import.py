"""Meta's Ads Manager import sheet: one file that creates a new, paused campaign, its ad sets
and its ads when imported (Ads Manager → Import ads in bulk).

Column names and value forms are Ads Manager's own, as its export writes them (Ads Manager reads
its export back as an import); each one, with where it was seen, is listed in
``tests/fixtures/platforms/meta/SOURCES.md``, and the header is the fixture
``tests/fixtures/platforms/meta/import_header.json``. Rows without an ID create new objects;
rows naming the same campaign (ad set) belong to the same campaign (ad set).

Choices, and why:

* Objective ``Outcome Traffic`` (``OUTCOME_TRAFFIC``), optimised for link clicks. Sales needs the
  ad account's pixel (dataset) and a conversion event, which adloop does not know; Traffic
  imports as it is, and purchases still come back through the insights report's actions.
* One daily budget for the whole campaign (``Campaign Daily Budget``: ExportJob's budget is per
  new campaign); Meta spreads it over the ad sets.
* An ad set per funnel stage, language and placement group: feed (Facebook feed, Instagram
  feed) gets the 4:5 (or 1:1) video, stories and reels the 9:16 one, so each placement shows the
  video made for it. Age and gender stay at Meta's defaults.
* The campaign is paused; its ad sets and ads are active, as Ads Manager writes a draft, so one
  switch starts everything once a person has looked at it.
* Tracking parameters go in ``URL Tags`` only: Meta appends them to ``Link`` when serving, so
  the link carries none of its own.
* A video ad names its video by ``Video ID`` (the id of a video already in the ad account's
  media library), with ``Video File Name`` beside it, as Ads Manager's export writes them; a
  file name alone creates no video ad. The sheet is built with ``Video ID`` empty and a note
  saying how to fill it; when the Marketing API is configured the export uploads the videos and
  :func:`with_video_ids` fills it (``shared/loop/meta_videos.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from shared.errors import BadInput
from shared.platforms.limits import LimitFinding
from shared.platforms.sheets import Ad, ExportJob, Sheet, cta_enum, limit_errors, video_name
from shared.platforms.tracking import utm_tags, without_utm

HEADER = [
    "Campaign Name",
    "Campaign Status",
    "Campaign Objective",
    "Buying Type",
    "Campaign Daily Budget",
    "New Objective",
    "Ad Set Run Status",
    "Ad Set Name",
    "Ad Set Time Start",
    "Link Object ID",
    "Link",
    "Countries",
    "Publisher Platforms",
    "Facebook Positions",
    "Instagram Positions",
    "Optimization Goal",
    "Billing Event",
    "Ad Status",
    "Ad Name",
    "Title",
    "Body",
    "Creative Type",
    "URL Tags",
    "Video ID",
    "Video File Name",
    "Instagram Account ID",
    "Call to Action",
]
# Filled on every row but two: "Instagram Account ID" (blank: the Page's) and "Video ID", which
# only the ad account gives (filled by :func:`with_video_ids` once the videos are uploaded).
OPTIONAL = ("Instagram Account ID", "Video ID")
REQUIRED = tuple(h for h in HEADER if h not in OPTIONAL)
# Placement groups: the aspects each takes (in order of preference) and its positions, in the
# Marketing API's names, which Ads Manager's export writes comma-separated.
PLACEMENTS = {
    "feed": (("4x5", "1x1"), "feed", "stream"),
    "stories": (("9x16",), "story, facebook_reels", "story, reels"),
}
_PAGE_ID = re.compile(r"\d{5,20}")
Check = Callable[[dict[str, str]], list[LimitFinding]]


def build_sheet(ads: list[Ad], job: ExportJob, check: Check) -> Sheet:
    """The import sheet for ``ads``; ``check`` is Meta's copy-limit check."""
    page = _page(job.meta_page_id)
    campaign = {
        "Campaign Name": job.campaign_name,
        "Campaign Status": "PAUSED",
        "Campaign Objective": "Outcome Traffic",
        "Buying Type": "AUCTION",
        "Campaign Daily Budget": f"{job.daily_budget:.2f}",
        "New Objective": "Yes",
    }
    rows, videos, problems = [], {}, []
    skipped = []
    for ad in ads:
        problems += limit_errors(
            ad, check({"headline": ad.headline, "primary_text": ad.primary_text})
        )
        placed = [(g, a) for g, a in _placements(ad) if a is not None]
        if not placed:
            skipped.append(ad.label)
            continue
        for group, aspect in placed:
            file = video_name(ad, aspect, ad.videos[aspect])
            videos[file] = ad.videos[aspect]
            rows.append({**campaign, **_ad_set(ad, group, job, page), **_ad(ad, group, file, job)})
    if not rows and not problems:
        problems.append("no creative has a rendered video yet; Meta's ads here are video ads")
    return Sheet("meta-ads-import.csv", HEADER, rows, videos, problems, _notes(skipped, videos))


def _placements(ad: Ad) -> list[tuple[str, str | None]]:
    """Each placement group with the aspect of ``ad``'s video it shows (None: it has none)."""
    return [
        (g, next((a for a in spec[0] if a in ad.videos), None)) for g, spec in PLACEMENTS.items()
    ]


def _page(page_id: str | None) -> str:
    """The Page as Ads Manager's ``Link Object ID`` writes it: ``o:<page id>``."""
    if not page_id:
        raise BadInput(
            "set ADLOOP_META_PAGE_ID to the Facebook Page the ads run as (its numeric ID); "
            "Ads Manager creates no ad without a Page"
        )
    page = page_id.strip().removeprefix("o:")
    if not _PAGE_ID.fullmatch(page):
        raise BadInput(f"ADLOOP_META_PAGE_ID must be the Page's numeric ID, not {page_id!r}")
    return f"o:{page}"


def _ad_set(ad: Ad, group: str, job: ExportJob, page: str) -> dict[str, str]:
    _, facebook, instagram = PLACEMENTS[group]
    return {
        "Ad Set Run Status": "ACTIVE",
        "Ad Set Name": f"{job.campaign_id} {ad.stage} {ad.language} {group}",
        # Ads Manager's export form; the time is in the ad account's time zone.
        "Ad Set Time Start": f"{job.start:%m/%d/%Y} 12:00:00 am",
        "Link Object ID": page,
        "Link": without_utm(job.landing_url),
        "Countries": ", ".join(job.countries),
        "Publisher Platforms": "facebook, instagram",
        "Facebook Positions": facebook,
        "Instagram Positions": instagram,
        "Optimization Goal": "LINK_CLICKS",
        "Billing Event": "IMPRESSIONS",
    }


def _ad(ad: Ad, group: str, file: str, job: ExportJob) -> dict[str, str]:
    return {
        "Ad Status": "ACTIVE",
        "Ad Name": f"{ad.code} {group} {ad.angle}".strip(),
        "Title": ad.headline,
        "Body": ad.primary_text,
        "Creative Type": "Video Page Post Ad",
        "URL Tags": utm_tags(ad.code, source="meta"),
        "Video ID": "",
        "Video File Name": file,
        "Instagram Account ID": job.instagram_account_id or "",
        "Call to Action": cta_enum(ad.cta),
    }


def with_video_ids(sheet: Sheet, ids: Mapping[str, str], account: str) -> Sheet:
    """``sheet`` with each row's ``Video ID``: the id ad account ``account`` gave the file its
    ``Video File Name`` names (``ids``: file name -> id, one for every video of the sheet), and
    notes that no longer ask a person to upload them."""
    missing = sorted(set(sheet.videos) - set(ids))
    if missing:
        raise ValueError(f"no Video ID for {', '.join(missing)}")
    rows = [{**row, "Video ID": ids[row["Video File Name"]]} for row in sheet.rows]
    uploaded = (
        f"The videos are in ad account {account}'s media library already (uploaded by adloop): "
        "each ad names its video by Video ID. Import meta-ads-import.csv in Ads Manager (Import "
        "ads in bulk); videos/ holds the same files, for reference."
    )
    notes = [uploaded if n == _UPLOAD_BY_HAND else n for n in sheet.notes]
    return replace(sheet, rows=rows, notes=notes)


# Without the Marketing API the ads' videos reach the ad account by hand: an ad names its video
# by Video ID, which only the ad account's media library gives.
_UPLOAD_BY_HAND = (
    "Before importing: upload the files in videos/ to the ad account's media library (Ads "
    "Manager → Media, or Import ads in bulk's upload) and put each video's ID in the Video ID "
    "column of the rows whose Video File Name is that file; then import meta-ads-import.csv in "
    "Ads Manager (Import ads in bulk). Or set META_ACCESS_TOKEN and ADLOOP_META_AD_ACCOUNT_ID "
    "and export again: adloop then uploads the videos and fills Video ID itself."
)


def _notes(skipped: list[str], videos: dict[str, str]) -> list[str]:
    """Only what a person must do: the ad account needs the videos before the sheet can name
    them, and a paused campaign waits for someone to start it."""
    notes = []
    if videos:
        notes.append(_UPLOAD_BY_HAND)
        notes.append("The campaign is created paused: turn it on in Ads Manager after review.")
    notes += [
        f"{label}: no rendered video yet, so it is not in the sheet; export again once it is."
        for label in skipped
    ]
    return notes
