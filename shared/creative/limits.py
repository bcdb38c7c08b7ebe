"""Platform text limits: what each ad platform accepts, and what it truncates.

Limits (checked 2026; platforms change them, so they live in one table):

* Google Ads responsive ads: headline 30, long headline 90, description 90 characters; over is
  rejected (support.google.com/google-ads/answer/7684791). Google counts double-width characters
  (Chinese, Japanese, Korean) as two.
* Meta (Facebook/Instagram): primary text shows about 125 characters before "See more", headline
  about 40, link description about 30 (Meta's recommended lengths, a warning here); Ads Manager
  refuses primary text over 2,200 and headline or description over 255 characters (an error).
* TikTok in-feed ads: ad text 1-100 characters, double-width characters counting as two
  (ads.tiktok.com Business Help Center, in-feed video ad specifications). An older image-ad spec
  said 12-100; we follow the current 1-100. Some placements strip emoji, a warning here.

Characters are user-perceived characters (Unicode extended grapheme clusters): "é" written as
``e`` + combining accent, a flag, or a family emoji each count once, as a person counts them.
Where the platform counts double width (Google, TikTok), East Asian wide and fullwidth
characters count as two.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

import regex

Severity = Literal["error", "warning"]
PLATFORMS = ("meta", "google", "tiktok")


@dataclass(frozen=True)
class LimitFinding:
    """One field over (or under) a platform limit. ``span`` is the offending field's text."""

    rule: str
    span: str
    reason: str
    severity: Severity


@dataclass(frozen=True)
class _Limit:
    field: str
    label: str
    maximum: int
    severity: Severity
    why: str
    minimum: int = 0


_LIMITS: dict[str, tuple[_Limit, ...]] = {
    "google": (
        _Limit("headline", "headline", 30, "error", "Google rejects longer headlines"),
        _Limit("long_headline", "long headline", 90, "error", "Google rejects it"),
        _Limit("description", "description", 90, "error", "Google rejects longer descriptions"),
    ),
    "meta": (
        _Limit("primary_text", "primary text", 2200, "error", "Ads Manager refuses it"),
        _Limit("primary_text", "primary text", 125, "warning", "cut behind 'See more'"),
        _Limit("headline", "headline", 255, "error", "Ads Manager refuses it"),
        _Limit("headline", "headline", 40, "warning", "truncated in most placements"),
        _Limit("description", "description", 255, "error", "Ads Manager refuses it"),
        _Limit("description", "description", 30, "warning", "truncated or hidden on mobile"),
    ),
    "tiktok": (_Limit("primary_text", "ad text", 100, "error", "TikTok refuses it", minimum=1),),
}
_DOUBLE_WIDTH = {"google", "tiktok"}
_GRAPHEME = regex.compile(r"\X")
# Pictographic emoji; TikTok strips them in some placements.
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")


def length(text: str, platform: str = "meta") -> int:
    """Characters as ``platform`` counts them (see the module docstring)."""
    clusters: list[str] = _GRAPHEME.findall(text)
    if platform not in _DOUBLE_WIDTH:
        return len(clusters)
    return sum(2 if unicodedata.east_asian_width(c[0]) in "WF" else 1 for c in clusters)


def check(fields: dict[str, str], platform: str) -> list[LimitFinding]:
    """Every limit ``fields`` break on ``platform`` (``meta``, ``google`` or ``tiktok``).

    Field names: headline, long_headline, description, primary_text, cta. A field the platform
    has no free-text limit for (Meta's and TikTok's CTA is a button picked from a list; Google
    has no primary text) is not checked. For a field with an error and a warning limit, only
    the strictest broken one is reported. Raises ``ValueError`` for an unknown platform.
    """
    if platform not in _LIMITS:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}")
    findings: list[LimitFinding] = []
    reported: set[str] = set()
    for limit in _LIMITS[platform]:
        text = fields.get(limit.field)
        if text is None or limit.field in reported:
            continue
        finding = _check_one(text, platform, limit)
        if finding is not None:
            findings.append(finding)
            reported.add(limit.field)
    if platform == "tiktok":
        findings.extend(_tiktok_emoji(fields.get("primary_text", "")))
    return findings


def _check_one(text: str, platform: str, limit: _Limit) -> LimitFinding | None:
    count = length(text, platform)
    rule = f"{platform}.{limit.field}"
    if count < limit.minimum:
        reason = f"{limit.label} is empty; {platform} needs at least {limit.minimum} character"
        return LimitFinding(rule, text, reason, "error")
    if count <= limit.maximum:
        return None
    kind = "max" if limit.severity == "error" else "recommended"
    reason = (
        f"{limit.label} is {count} characters, {kind} {limit.maximum} on {platform} "
        f"({limit.why}); cut {count - limit.maximum}"
    )
    return LimitFinding(rule, text, reason, limit.severity)


def _tiktok_emoji(text: str) -> list[LimitFinding]:
    emoji = _EMOJI.search(text)
    if emoji is None:
        return []
    reason = "some TikTok placements strip emoji from ad text; the copy must read without it"
    return [LimitFinding("tiktok.emoji", str(emoji.group()), reason, "warning")]
