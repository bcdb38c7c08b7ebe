"""The performance pull: what the scheduler runs (``insights_pull`` in production, every six
hours; ``adloop pull`` and ``adloop serve`` in the embedded default).

Meta and TikTok push no report rows, so adloop asks: a Meta insights report per recent campaign
(each request queues the polling of its report) and TikTok's integrated report of the last few
days. Google's figures arrive by the Ads script's push. Then the ranker retrains on what has
arrived so far. Each part does nothing while its platform is not configured.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.loop.ranker import retrain
from shared.loop.steps import pull_recent_insights
from shared.loop.tiktok_report import pull_tiktok_report
from shared.services import Services
from shared.settings import Settings

LAST_PULL = "ops/performance_pull"


def pull_performance(
    services: Services, settings: Settings, *, on_demand: bool = False
) -> dict[str, Any]:
    """Ask each configured platform for its recent figures; retrain the ranker. Returns what
    was asked for (and stores it, with when, at ``ops/performance_pull``).

    A scheduled pull is one per hour however often the scheduler redelivers it; a pull a person
    asks for (``on_demand``: ``adloop pull``) is always a new one, even minutes after one that
    failed."""
    requested = pull_recent_insights(services, settings)
    asked = f"now{services.clock():%Y%m%dT%H%M%S%f}" if on_demand else None
    tiktok = pull_tiktok_report(services, settings, asked=asked)
    report = retrain(services)
    done = {
        "meta_reports_requested": requested,
        "tiktok_pulls": tiktok,
        "ranker": report.name,
        "active": report.active,
    }
    services.documents.set(LAST_PULL, {**done, "at": services.clock().isoformat()})
    return done


def pull_due(services: Services, every: timedelta) -> bool:
    """Whether the last pull is older than ``every`` (or there was none)."""
    last = (services.documents.get(LAST_PULL) or {}).get("at")
    if not last:
        return True
    return services.clock() - datetime.fromisoformat(str(last)) >= every


def pull_configured(settings: Settings) -> bool:
    """Whether any platform adloop pulls from has its credentials."""
    meta = bool(settings.meta_ad_account_id) and settings.meta_access_token is not None
    tiktok = bool(settings.tiktok_advertiser_id) and settings.tiktok_access_token is not None
    return meta or tiktok
