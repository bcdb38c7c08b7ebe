"""A small client for TikTok's Reporting API: the synchronous integrated report,
``GET /open_api/v1.3/report/integrated/get/``, read page by page to the end.

Every name here is TikTok's (tiktok/tiktok-business-api-sdk, commit f809c39, 2026-02-28:
``yml_files/report_integrated_get.yml`` for the parameters and the response, ``python_sdk/
business_api_client/api/reporting_api.py`` for the ``Access-Token`` header,
``python_sdk/business_api_client/tiktok_business/tiktok_code.py`` for the codes). TikTok answers
HTTP 200 with ``{code, message, request_id, data}``; ``code`` 0 is success. Its rate-limit codes
and server-side errors are retried with exponential backoff (:func:`shared.net.retry.
call_with_retries`); any other code is permanent, with TikTok's message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from shared import json_input
from shared.errors import PermanentError, TransientError, Unauthorized
from shared.net.retry import call_with_retries, redact, retry_after_seconds
from shared.platforms.tiktok import REPORT_METRICS

DEFAULT_BASE_URL = "https://business-api.tiktok.com"
PATH = "/open_api/v1.3/report/integrated/get/"
PAGE_SIZE = 1000  # the parameter's maximum (report_integrated_get.yml: page_size maximum 1000)
DIMENSIONS = ("ad_id", "stat_time_day")
# tiktok_code.py: REQUEST_TOO_FREQUENT, REQUEST_FREQUENCY_LIMITED, TOO_MANY_REQUESTS_BL.
RATE_LIMITED = frozenset({40100, 40132, 61000})
# tiktok_code.py: SYS_ERROR, SYS_TIMEOUT, the 51xxx service and 52xxx storage errors, and
# MAINTENANCE: TikTok's side, worth another try.
_SERVER = frozenset({50000, 50002, 60001})
# tiktok_code.py: the token is expired, empty or invalid.
_BAD_TOKEN = frozenset({40102, 40104, 40105})


def transient(code: int) -> bool:
    return code in RATE_LIMITED or code in _SERVER or 51000 <= code < 53000


class TikTokReportsClient:
    def __init__(
        self,
        access_token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout_s: float = 30.0,
        attempts: int = 5,
        first_backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._token = access_token
        self._url = base_url.rstrip("/") + PATH
        # Outbound to TikTok: HTTP(S)_PROXY are honoured on purpose (a company egress proxy).
        self._http = httpx.Client(timeout=timeout_s, transport=transport)
        self._attempts, self._backoff = attempts, (first_backoff_s, max_backoff_s)

    def close(self) -> None:
        self._http.close()

    def daily_ad_report(
        self, advertiser_id: str, *, start_date: str, end_date: str, page_size: int = PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        """Every ad-by-day row from ``start_date`` to ``end_date`` (YYYY-MM-DD, the advertiser's
        time zone), following ``page_info.total_page`` to the last page."""
        params: dict[str, Any] = {
            "advertiser_id": advertiser_id,
            "service_type": "AUCTION",
            "report_type": "BASIC",
            "data_level": "AUCTION_AD",
            # Array parameters travel as JSON text in the query (the yml's content:
            # application/json), e.g. dimensions=["ad_id","stat_time_day"].
            "dimensions": json.dumps(list(DIMENSIONS)),
            "metrics": json.dumps(list(REPORT_METRICS)),
            "start_date": start_date,
            "end_date": end_date,
            "page_size": page_size,
        }
        page = 1
        while True:
            data = self._retried({**params, "page": page})
            rows = data.get("list") or []
            if not isinstance(rows, list):
                raise PermanentError("TikTok's report answered data.list that is not a list")
            yield from rows
            info = data.get("page_info") or {}
            total = info.get("total_page") if isinstance(info, dict) else None
            if not isinstance(total, int) or page >= total or not rows:
                return
            page += 1

    def _retried(self, params: dict[str, Any]) -> dict[str, Any]:
        return call_with_retries(
            lambda: self._call(params),
            attempts=self._attempts,
            first_wait_s=self._backoff[0],
            max_wait_s=self._backoff[1],
        )

    def _call(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            r = self._http.get(self._url, params=params, headers={"Access-Token": self._token})
        except httpx.TransportError as e:
            raise TransientError(f"TikTok's Business API is unreachable: {e}") from e
        wait = retry_after_seconds(r.headers)
        if r.status_code == 429 or r.status_code >= 500:
            raise TransientError(
                f"TikTok's Business API answered {r.status_code}", retry_after=wait
            )
        try:
            doc = json_input.loads(r.content)  # the report's figures: finite and bounded
        except json_input.JsonRefused as e:
            raise PermanentError(
                f"TikTok's Business API answered {r.status_code} without acceptable JSON: {e}"
            ) from e
        if not isinstance(doc, dict) or not isinstance(doc.get("code"), int):
            raise PermanentError(f"TikTok's Business API answered {r.status_code}: {doc!r:.300}")
        code, message = doc["code"], redact(str(doc.get("message") or ""), self._token)
        said = f"TikTok code {code}: {message} (request_id {doc.get('request_id')})"
        if code == 0 and isinstance(doc.get("data"), dict):
            return dict(doc["data"])
        if transient(code):
            raise TransientError(said, retry_after=wait)
        if code in _BAD_TOKEN:
            raise Unauthorized(f"{said}; check TIKTOK_ACCESS_TOKEN")
        raise PermanentError(said)
