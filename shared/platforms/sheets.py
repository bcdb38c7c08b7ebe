"""What every platform's export sheet is built from and made of.

A sheet is built from :class:`Ad` values (``shared/loop/export.py`` loads them from the campaign)
and written as it is by the export; each platform's module builds its own (``meta_sheet``,
``google_sheet``, ``tiktok_sheet``). Every ad (or asset group) name and landing URL carries the
creative's tracking code, so reports find their way back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from shared.platforms.limits import LimitFinding
from shared.platforms.tracking import tracking_code

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
class ExportJob:
    """What an export knows beyond the ads: the campaign and the advertiser's settings.

    ``shared/loop/export.py`` builds it from the campaign's brief and ``Settings``; a platform's
    sheet takes what its import needs to create the campaign, ad sets and ads it names.
    """

    campaign_id: str
    landing_url: str
    business_name: str  # the brand's name (the product's when the brief names no brand)
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2, from the brief's market or a setting
    languages: tuple[str, ...]  # the brief's language codes: en, es
    start: date  # the first day the new campaign may run
    daily_budget: float  # per new campaign, in the ad account's currency
    meta_page_id: str | None = None
    instagram_account_id: str | None = None
    product_images: tuple[str, ...] = ()  # blob paths of the campaign's product images
    read_blob: Callable[[str], bytes] | None = None  # to render images from blobs
    product: str = ""  # the brief's product and offer: facts an ad's text may repeat
    offer: str = ""
    # TikTok: the custom identity its ads run as and the pixel its Sales campaigns optimise for.
    tiktok_identity_id: str | None = None
    tiktok_pixel_id: str | None = None

    @property
    def campaign_name(self) -> str:
        return f"adloop {self.campaign_id}"


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[str]
    rows: list[dict[str, str]]
    videos: dict[str, str]  # file name in the export -> blob path
    problems: list[str]
    notes: list[str]
    images: dict[str, bytes] = field(default_factory=dict)  # file name -> image made for it


# A cell a spreadsheet would run as a formula: one starting with = + - @, a tab or a carriage
# return (OWASP, "CSV Injection", owasp.org/www-community/attacks/CSV_Injection). No exception
# for a sign before a digit: Excel runs "-2+3+cmd|' /C calc'!A0" too.
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def formula_cells(sheet: Sheet) -> list[str]:
    """Where the sheet holds a cell a spreadsheet would run as a formula: the sheets are opened
    in Excel or Sheets as often as they are imported, and the text came from a brief."""
    found = []
    for n, row in enumerate(sheet.rows, start=2):  # row 1 is the header
        for column, value in row.items():
            if value and _FORMULA.match(value):
                found.append(
                    f"row {n}, {column}: starts with {value[:1]!r}, which a spreadsheet runs as "
                    "a formula; reword it to start with a letter or a number"
                )
    return found


def cta_enum(cta: str) -> str:
    """The platform button closest to the CTA's words (Meta and TikTok pick from a list)."""
    low = cta.lower()
    return next((enum for cues, enum in _CTA_ENUM if any(c in low for c in cues)), "LEARN_MORE")


def video_name(ad: Ad, aspect: str, blob: str) -> str:
    return f"{ad.code}.{aspect}{Path(blob).suffix or '.mp4'}"


def limit_errors(ad: Ad, findings: list[LimitFinding]) -> list[str]:
    """The errors among ``findings`` (a platform's check of the ad's copy), as problems."""
    return [f"{ad.label}: {f.reason}" for f in findings if f.severity == "error"]
