"""TikTok performance, pulled: TikTok pushes no report rows (its webhooks are account events),
so the daily scheduler asks the Reporting API for the last few days (``loop_tiktok_report`` on
the ``feedback`` queue) and each campaign it had rows for learns from them (``loop_learn``).

TikTok corrects recent days after the fact; the pull re-reads ``ADLOOP_TIKTOK_REPORT_DAYS``
days ending yesterday, and the upsert per ad and day (``shared/loop/ingest.py``) replaces the
earlier figures rather than adding to them. The report covers the whole advertiser; the task
runs under the most recently completed campaign (a task needs one), and its rows fan out to the
campaigns their tracking codes name.
"""

from __future__ import annotations

from datetime import timedelta

from shared.loop.ingest import ingest_report
from shared.pipeline import store
from shared.pipeline.runner import Item, StepContext, StepResult
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings

TIKTOK_REPORT_STEP = "loop_tiktok_report"


def tiktok_report_task(
    services: Services, settings: Settings, *, days: int = 30, asked: str | None = None
) -> Task | None:
    """The day's pull, or None while TikTok is not configured or no campaign completed in the
    last ``days`` days (nothing of adloop's can be running)."""
    if not settings.tiktok_advertiser_id or settings.tiktok_access_token is None:
        return None
    today = services.clock().date()
    end = today - timedelta(days=1)
    start = end - timedelta(days=settings.tiktok_report_days - 1)
    oldest = (today - timedelta(days=days)).isoformat()
    recent = services.documents.query(store.CAMPAIGNS, [("completed_at", ">=", oldest)])
    if not recent:
        return None
    anchor = max(recent, key=lambda d: (str(d.data.get("completed_at")), d.id))
    return Task(
        anchor.id,
        TIKTOK_REPORT_STEP,
        # Named by the days and the hour it was asked in: a redelivered scheduler call in the
        # same hour is one pull, and a later pull is a new task even when an earlier one with
        # the same days failed (a failed task keeps its name in the queue and its marker).
        f"{start.isoformat()}..{end.isoformat()}@{asked or f'{services.clock():%Y%m%dT%H}'}",
        {
            "advertiser_id": settings.tiktok_advertiser_id,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        },
        queue="feedback",
    )


def pull_tiktok_report(services: Services, settings: Settings, *, asked: str | None = None) -> int:
    """The scheduler's daily TikTok pull: queue it; 1 when queued, 0 when there is nothing to do."""
    task = tiktok_report_task(services, settings, asked=asked)
    if task is None:
        return 0
    services.queue.enqueue(task)
    return 1


def loop_tiktok_report(ctx: StepContext, task: Task) -> StepResult:
    """Payload: advertiser_id, start_date, end_date. Read every page, ingest; returns the
    campaigns it had rows for (the flow has each learn from it)."""
    p = task.payload
    advertiser, start, end = str(p["advertiser_id"]), str(p["start_date"]), str(p["end_date"])
    client = ctx.services.tiktok_reports()
    raw = list(client.daily_ad_report(advertiser, start_date=start, end_date=end))
    result = ingest_report(
        ctx.services, "tiktok", raw, source=f"tiktok-report:{advertiser}:{task.key}"
    )
    return StepResult(
        items=[Item(f"tiktok-{task.key}", campaign_id=cid) for cid in sorted(result.campaigns)],
        campaign={
            "tiktok_loop": {
                "last_report": task.key,
                "stored": result.stored,
                "unmatched": result.unmatched,
                "rejected": result.rejected,
            }
        },
    )
