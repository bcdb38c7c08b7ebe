"""A small client for the Marketing API: insights reports and ad videos.

Insights: ask for an ad-level daily report
(``POST /act_{id}/insights`` answers a ``report_run_id``), read where its run stands
(``GET /{report_run_id}``: ``async_status``, ``async_percent_completion``) and, once done, read
it page by page (``GET /{report_run_id}/insights``, following ``paging.next``). Polling is the
caller's (``shared/loop/steps.py``), one status read per queue delivery.

Ad videos: ``POST /act_{id}/advideos`` with the file as the multipart field ``source`` answers
the video's ``id`` (Marketing API reference "Ad Account, Ad Videos", v25.0: ``source`` "the
video, encoded as form data", ``name`` "the name of the video in the library", return type
``{id, ...}``; facebook-python-business-sdk ``AdAccount.create_ad_video``, ``source`` a file
param). Uploads go to ``graph-video.facebook.com``, the host the SDK's ``video_uploader.py`` and
Meta's "Ad Video" guide post video files to (the reference's curl example uses
``graph.facebook.com``, which the SDK's plain ``create_ad_video`` also uses; both take it).

Throttling (Graph error codes below, or ``is_transient``), 429 and 5xx are retried with
exponential backoff (:func:`shared.net.retry.call_with_retries`), waiting as long as the
``X-Business-Use-Case-Usage`` header's ``estimated_time_to_regain_access`` (minutes) asks; a wait
longer than ``max_backoff_s`` goes back to the queue. Other errors are permanent. The base URL is
configurable, so tests point it at a local server speaking the Graph API's wire format
(``tests/fakes/meta_graph_api.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from shared import json_input
from shared.errors import PermanentError, TransientError
from shared.net.retry import call_with_retries
from shared.platforms.meta import INSIGHTS_FIELDS
from shared.ports.ad_reports import ReportRun

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_VIDEO_BASE_URL = "https://graph-video.facebook.com"
DEFAULT_VERSION = "v25.0"
FIELDS = INSIGHTS_FIELDS  # what the platform's row mapping reads (shared/platforms/meta.py)
# Graph error codes that mean "slow down": 4 application, 17 user / ad account, 32 page, 613 ad
# account calls, 80000-80014 Business Use Case limits (80000 ads_insights, 80004
# ads_management). developers.facebook.com/docs/marketing-api/overview/rate-limiting and
# docs/graph-api/overview/rate-limiting (checked 2026-07).
_THROTTLED = {4, 17, 32, 613} | set(range(80000, 80015))


class MetaInsightsClient:
    def __init__(
        self,
        access_token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        video_base_url: str = DEFAULT_VIDEO_BASE_URL,
        version: str = DEFAULT_VERSION,
        timeout_s: float = 30.0,
        attempts: int = 5,
        max_backoff_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._token = access_token
        self._root = f"{base_url.rstrip('/')}/{version}"
        self._video_root = f"{video_base_url.rstrip('/')}/{version}"
        # Outbound to Meta: HTTP_PROXY / HTTPS_PROXY are honoured on purpose (a company egress
        # proxy). Only clients that call this machine's own server refuse them (local_queue).
        self._http = httpx.Client(timeout=timeout_s, transport=transport)
        self._attempts, self._max_backoff_s = attempts, max_backoff_s

    def close(self) -> None:
        self._http.close()

    def request_report(
        self, account_id: str, *, since: str, until: str, campaign_name: str | None = None
    ) -> str:
        """Start an async ad-level daily report for ``act_{account_id}``; its report_run_id."""
        params: dict[str, Any] = {
            "level": "ad",
            "fields": FIELDS,
            "time_increment": 1,
            "time_range": f'{{"since":"{since}","until":"{until}"}}',
        }
        if campaign_name:
            params["filtering"] = (
                f'[{{"field":"campaign.name","operator":"CONTAIN","value":"{campaign_name}"}}]'
            )
        doc = self._retried("POST", f"{self._root}/{_account(account_id)}/insights", params)
        return str(doc["report_run_id"])

    def report_status(self, report_run_id: str) -> ReportRun:
        """Where the report's run stands (``GET /{report_run_id}``)."""
        doc = self._retried(
            "GET",
            f"{self._root}/{report_run_id}",
            {"fields": "async_status,async_percent_completion"},
        )
        status, percent = doc.get("async_status"), doc.get("async_percent_completion")
        if not isinstance(status, str) or not isinstance(percent, int):
            raise PermanentError(f"report {report_run_id} answered no async_status: {doc}")
        return ReportRun(status, percent)

    def insights(self, report_run_id: str, *, page_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every row of a finished report, following ``paging.next`` to the end."""
        url: str | None = f"{self._root}/{report_run_id}/insights"
        params: dict[str, Any] | None = {"limit": page_size}
        while url:
            doc = self._retried("GET", url, params)
            yield from doc.get("data") or []
            url, params = (doc.get("paging") or {}).get("next"), None  # next carries its query

    def upload_video(self, account_id: str, name: str, data: bytes) -> str:
        """Upload a video file to the ad account's media library (one multipart POST); its id."""
        url = f"{self._video_root}/{_account(account_id)}/advideos"
        doc = self._retried(
            "POST",
            url,
            None,
            form={"name": name},
            files={"source": (name, data, "video/mp4" if name.endswith(".mp4") else None)},
        )
        video_id = doc.get("id")
        if not isinstance(video_id, str) or not video_id.isdigit():
            raise PermanentError(f"Marketing API answered the upload of {name} with no id: {doc}")
        return video_id

    def _retried(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        *,
        form: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str | None]] | None = None,
    ) -> dict[str, Any]:
        return call_with_retries(
            lambda: self._call(method, url, params, form=form, files=files),
            attempts=self._attempts,
            first_wait_s=0.2,
            max_wait_s=self._max_backoff_s,
        )

    def _call(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        *,
        form: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str | None]] | None = None,
    ) -> dict[str, Any]:
        query = dict(params or {})
        if "access_token=" not in url:
            query["access_token"] = self._token
        try:
            r = self._http.request(method, url, params=query or None, data=form, files=files)
        except httpx.TransportError as e:
            raise TransientError(f"Marketing API unreachable: {e}") from e
        try:
            doc = json_input.loads(r.content)  # the report's figures: finite and bounded
        except json_input.JsonRefused as e:
            if r.status_code >= 500:
                raise TransientError(f"Marketing API answered {r.status_code}") from e
            raise PermanentError(
                f"Marketing API answered {r.status_code} without acceptable JSON: {e}"
            ) from e
        error = doc.get("error") if isinstance(doc, dict) else None
        if (
            r.status_code == 429
            or r.status_code >= 500
            or (
                isinstance(error, dict)
                and (error.get("code") in _THROTTLED or error.get("is_transient"))
            )
        ):
            raise TransientError(
                f"Marketing API {r.status_code}: {(error or {}).get('message', '')}",
                retry_after=_regain_s(r.headers),
            )
        if r.status_code >= 400 or error or not isinstance(doc, dict):
            raise PermanentError(
                f"Marketing API {r.status_code}: {(error or {}).get('message', doc)}"
            )
        return doc


def _account(account_id: str) -> str:
    """The ad account's node: ``act_<id>``, whichever form the setting holds."""
    return account_id if account_id.startswith("act_") else f"act_{account_id}"


def _regain_s(headers: Mapping[str, str]) -> float | None:
    """Seconds until the throttled account may call again: the largest
    ``estimated_time_to_regain_access`` (minutes) in ``X-Business-Use-Case-Usage``
    (``{"<account id>": [{"type", "call_count", ..., "estimated_time_to_regain_access"}]}``),
    else ``Retry-After``."""
    raw = headers.get("X-Business-Use-Case-Usage")
    try:
        usage = json.loads(raw) if raw else {}
        minutes = max(
            (
                float(entry.get("estimated_time_to_regain_access") or 0)
                for entries in usage.values()
                for entry in entries
                if isinstance(entry, dict)
            ),
            default=0.0,
        )
    except (ValueError, AttributeError, TypeError):
        minutes = 0.0
    if minutes > 0:
        return minutes * 60
    return float(headers.get("Retry-After") or 0) or None
