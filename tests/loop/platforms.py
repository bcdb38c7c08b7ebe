"""What the ad platforms send, built the way they build it: report rows in each platform's
shape and signed deliveries (the fake Marketing API is tests/fakes/meta_graph_api.py). Shared by
the loop tests and bench/loop.py."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Day:
    """One ad's figures for one day, platform-neutral."""

    ad_id: str
    ad_name: str
    day: str
    impressions: int
    clicks: int
    spend: float
    conversions: int
    revenue: float
    views_3s: int = 0
    completions: int = 0


def meta_row(d: Day) -> dict[str, Any]:
    actions = [
        {"action_type": "video_view", "value": str(d.views_3s)},
        {"action_type": "offsite_conversion.fb_pixel_purchase", "value": str(d.conversions)},
    ]
    return {
        "ad_id": d.ad_id,
        "ad_name": d.ad_name,
        "date_start": d.day,
        "date_stop": d.day,
        "impressions": str(d.impressions),
        "inline_link_clicks": str(d.clicks),
        "clicks": str(d.clicks + 3),
        "spend": f"{d.spend:.2f}",
        "actions": actions,
        "action_values": [
            {"action_type": "offsite_conversion.fb_pixel_purchase", "value": f"{d.revenue:.2f}"}
        ],
        "video_p100_watched_actions": [{"action_type": "video_view", "value": str(d.completions)}],
    }


def tiktok_body(days: list[Day]) -> bytes:
    rows = [
        {
            "dimensions": {"ad_id": d.ad_id, "stat_time_day": f"{d.day} 00:00:00"},
            "metrics": {
                "ad_name": d.ad_name,
                "impressions": str(d.impressions),
                "clicks": str(d.clicks),
                "spend": f"{d.spend:.2f}",
                "complete_payment": str(d.conversions),
                "total_purchase_value": f"{d.revenue:.2f}",
                "video_watched_2s": str(d.views_3s),
                "video_views_p100": str(d.completions),
            },
        }
        for d in days
    ]
    return json.dumps(
        {"event": "report", "data": {"list": rows, "page_info": {"page": 1}}}
    ).encode()


def google_body(days: list[Day]) -> bytes:
    rows = [
        {
            "ad_id": d.ad_id,
            "ad_name": d.ad_name,
            "date": d.day,
            "impressions": d.impressions,
            "clicks": d.clicks,
            "cost_micros": round(d.spend * 1e6),
            "conversions": float(d.conversions),
            "conversions_value": d.revenue,
        }
        for d in days
    ]
    return json.dumps({"customer_id": "123-456-7890", "rows": rows}).encode()


def hub_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def timed_signature(secret: str, body: bytes, t: int) -> str:
    return (
        f"t={t},s=" + hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    )


def meta_completion(account_id: str, report_run_id: str) -> bytes:
    change = {"field": "async_requests", "value": {"id": report_run_id, "status": "Job Completed"}}
    return json.dumps(
        {"object": "ad_account", "entry": [{"id": account_id, "time": 1, "changes": [change]}]}
    ).encode()
