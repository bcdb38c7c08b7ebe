"""What every platform's report-row mapping produces, and the pieces they share.

Each platform's module maps one of its report rows to a :class:`Row` (``meta_row``,
``google_row``, ``tiktok_row``: pure); ``shared/loop/ingest.py`` stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from shared import json_input
from shared.errors import BadInput
from shared.models.performance import PerformanceSnapshot


@dataclass(frozen=True)
class Row:
    """A report row, normalised; ``ad_name`` (or ``url``) carries the tracking code."""

    snapshot: PerformanceSnapshot
    ad_name: str
    url: str = ""


def num(row: dict[str, Any], *keys: str) -> float:
    """The first of ``keys`` present in ``row`` as a number (absent or empty: 0); finite and
    bounded (:func:`shared.json_input.number`), or BadInput naming the field."""
    key = next((k for k in keys if k in row), keys[0])
    return number(row.get(key), key)


def number(value: Any, field: str) -> float:
    try:
        return json_input.number(value, field)
    except json_input.JsonRefused as e:
        raise BadInput(str(e)) from e


def snapshot(platform: str, ad_id: Any, day: Any, **metrics: float) -> PerformanceSnapshot:
    try:
        return PerformanceSnapshot(
            platform=platform,
            ad_id=str(ad_id),
            day=date.fromisoformat(str(day)[:10]),
            impressions=round(metrics["impressions"]),
            clicks=round(metrics["clicks"]),
            spend=round(metrics["spend"], 4),
            conversions=round(metrics["conversions"], 4),
            revenue=round(metrics["revenue"], 4),
            video_3s_views=round(metrics["views_3s"]),
            video_completions=round(metrics["completions"]),
        )
    except (ValidationError, ValueError, OverflowError) as e:
        raise BadInput(f"a {platform} row could not be read: {e}") from e
