"""Ad platforms' reporting APIs that adloop pulls performance from.

Meta's insights are asynchronous: a report is requested for an ad account and a date range, its
run is polled (``GET /{report_run_id}``) until Meta says it is done, and the finished report is
read page by page. The adapter (``shared/adapters/meta_marketing.py``) retries throttling itself
and raises the domain's errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

# AdReportRun.async_status values (Marketing API, "Insights API: Asynchronous Jobs";
# facebook-python-business-sdk adobjects/adreportrun.py has the field, not the values).
COMPLETED = "Job Completed"
GIVEN_UP = ("Job Failed", "Job Skipped")  # final: that run will never have rows
PENDING = ("Job Not Started", "Job Started", "Job Running")


@dataclass(frozen=True)
class ReportRun:
    """Where one asynchronous report stands: ``async_status``, ``async_percent_completion``."""

    status: str
    percent: int

    @property
    def done(self) -> bool:
        return self.status == COMPLETED and self.percent >= 100

    @property
    def given_up(self) -> bool:
        return self.status in GIVEN_UP


class MetaInsights(Protocol):
    def request_report(
        self, account_id: str, *, since: str, until: str, campaign_name: str | None = None
    ) -> str:
        """Start an ad-level daily report for ``account_id``; its ``report_run_id``."""
        ...

    def report_status(self, report_run_id: str) -> ReportRun:
        """Where the report stands now (one ``GET /{report_run_id}``)."""
        ...

    def insights(self, report_run_id: str, *, page_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every row of a finished report, as the Marketing API writes it."""
        ...


class TikTokReports(Protocol):
    """TikTok's Reporting API: the integrated report is synchronous, read page by page
    (``shared/adapters/tiktok_business.py``); TikTok pushes nothing."""

    def daily_ad_report(
        self, advertiser_id: str, *, start_date: str, end_date: str
    ) -> Iterator[dict[str, Any]]:
        """Every ad-by-day row (BASIC, AUCTION_AD) from ``start_date`` to ``end_date``."""
        ...
