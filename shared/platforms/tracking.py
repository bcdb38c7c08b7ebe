"""Tracking codes: how a platform's ad finds its way back to the creative it came from.

Every exported ad carries ``adl.{campaign_id}.{label}`` in its name and as ``utm_content`` in its
landing URL, so a report row matches a creative by its ad name (or landing URL) alone, whatever
id the platform gave the ad.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

PREFIX = "adl"
_CODE = re.compile(r"\badl\.([A-Za-z0-9_-]+)\.([A-Z](?:\d{2})?)(?![A-Za-z0-9])")


def tracking_code(campaign_id: str, label: str) -> str:
    """The code for one creative, e.g. ``adl.c1a2b3c4d5e6.B07``."""
    return f"{PREFIX}.{campaign_id}.{label}"


def parse_code(text: str | None) -> tuple[str, str] | None:
    """(campaign_id, label) from the first tracking code inside ``text``, or None."""
    match = _CODE.search(text or "")
    return (match.group(1), match.group(2)) if match else None


_OURS = ("utm_source", "utm_medium", "utm_content")


def utm_params(code: str, *, source: str) -> list[tuple[str, str]]:
    """The tracking parameters adloop sets on every landing URL, in order."""
    return [("utm_source", source), ("utm_medium", "paid_social"), ("utm_content", code)]


def without_utm(url: str) -> str:
    """``url`` without the parameters :func:`utm_params` sets; everything else exactly as the
    brief wrote it (``flag`` stays ``flag``, ``a=%2F`` stays encoded, the order is kept)."""
    parts = urlsplit(url)
    kept = [
        p for p in parts.query.split("&") if p and unquote_plus(p.split("=", 1)[0]) not in _OURS
    ]
    return urlunsplit(parts._replace(query="&".join(kept)))


def utm_tags(code: str, *, source: str) -> str:
    """The tracking parameters as a query string, for platforms that append them to the link
    themselves (Meta's ``URL Tags``)."""
    return urlencode(utm_params(code, source=source))


def with_utm(url: str, code: str, *, source: str) -> str:
    """``url`` with utm_source/medium/content set (its other parameters kept as written)."""
    parts = urlsplit(without_utm(url))
    ours = urlencode(utm_params(code, source=source))
    return urlunsplit(parts._replace(query=f"{parts.query}&{ours}" if parts.query else ours))


def replaced_params(url: str) -> list[str]:
    """The landing URL's own tracking parameters that adloop's replace, by name."""
    names = [unquote_plus(p.split("=", 1)[0]) for p in urlsplit(url).query.split("&") if p]
    return [n for n in _OURS if n in names]
