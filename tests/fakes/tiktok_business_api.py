"""TikTok's Reporting API as a loopback server: ``GET /open_api/v1.3/report/integrated/get/``.

Shapes from TikTok's official SDK (tiktok/tiktok-business-api-sdk, commit f809c39):
``yml_files/report_integrated_get.yml`` (the query parameters, their enums and limits: page >= 1,
1 <= page_size <= 1000, dimensions/metrics as JSON arrays in the query; the answer
``{code, message, request_id, data: {list, page_info}}``), ``python_sdk/.../reporting_api.py``
(the token in the ``Access-Token`` header), ``tiktok_business/tiktok_code.py`` (the codes).
``page_info`` is TikTok's paging block (``page``, ``page_size``, ``total_number``,
``total_page``: the SDK's list endpoints map it so, e.g. ``yml_files/comment_list.yml``). TikTok
answers HTTP 200 whatever the code. Requests the real API refuses are refused: no or a wrong
token, a missing or unknown parameter, a page out of range.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http_server import FakeResponse, LoopbackServer, RecordedRequest

PATH = "/open_api/v1.3/report/integrated/get/"
TOKEN = "tiktok-token"
ADVERTISER = "7000000000000000001"
# tiktok_code.py's names for the codes the fake answers.
OK, PARAM_ERROR, RATE_LIMITED, EMPTY_TOKEN, BAD_TOKEN, SYS_ERROR = (
    0,
    40002,
    40100,
    40104,
    40105,
    50000,
)
REPORT_TYPES = {"AUDIENCE", "BASIC", "BC", "CATALOG", "PLAYABLE_MATERIAL", "TT_SHOP"}
DATA_LEVELS = {
    f"{s}_{lvl}"
    for s in ("AUCTION", "RESERVATION")
    for lvl in ("AD", "ADGROUP", "ADVERTISER", "CAMPAIGN")
}
# The metrics this fake knows (a subset of TikTok's; any other is refused as unknown).
METRICS = {
    "ad_name",
    "impressions",
    "clicks",
    "spend",
    "conversion",
    "complete_payment",
    "total_complete_payment_rate",
    "total_purchase_value",
    "video_watched_2s",
    "video_views_p100",
}


def answer(code: int, message: str, data: dict[str, Any] | None = None) -> FakeResponse:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": "2026fake0001"}
    if data is not None:
        body["data"] = data
    return FakeResponse(200, body)


@dataclass
class FakeTikTokReports:
    """The integrated report over ``rows`` (TikTok's row shape: ``dimensions.stat_time_day``
    "YYYY-MM-DD 00:00:00"); ``script`` answers come first, one per request (a rate-limit code,
    a server error, an HTTP 503)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    script: list[FakeResponse] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, req: RecordedRequest) -> FakeResponse:
        with self._lock:
            self.requests.append(req)
            if self.script:
                return self.script.pop(0)
        if req.method != "GET" or req.path != PATH:
            return FakeResponse(404, {"code": 40400, "message": "route not found"})
        token = req.headers.get("access-token")
        if not token:
            return answer(EMPTY_TOKEN, "Access token is null.")
        if token != TOKEN:
            return answer(BAD_TOKEN, "Access token is incorrect or has been revoked.")
        q = {k: v[-1] for k, v in req.query.items()}
        refused = _refusal(q)
        if refused:
            return answer(PARAM_ERROR, refused)
        return self._page(q)

    def _page(self, q: dict[str, str]) -> FakeResponse:
        start, end = q["start_date"], q["end_date"]
        wanted = set(json.loads(q["metrics"]))
        rows = [
            {"dimensions": r["dimensions"], "metrics": {k: r["metrics"][k] for k in wanted}}
            for r in self.rows
            if start <= r["dimensions"]["stat_time_day"][:10] <= end
        ]
        page, size = int(q.get("page", "1")), int(q.get("page_size", "10"))
        total_page = max(1, -(-len(rows) // size))
        info = {
            "page": page,
            "page_size": size,
            "total_number": len(rows),
            "total_page": total_page,
        }
        return answer(OK, "OK", {"list": rows[(page - 1) * size : page * size], "page_info": info})


def _refusal(q: dict[str, str]) -> str | None:
    """TikTok's refusal of a query, or None. Messages in TikTok's style (field: reason)."""
    for name in ("advertiser_id", "report_type", "data_level", "dimensions", "start_date"):
        if not q.get(name):
            return f"{name}: Missing data for required field."
    if "end_date" not in q:
        return "end_date: Missing data for required field."
    if q["report_type"] not in REPORT_TYPES:
        return f"report_type: Invalid enum value {q['report_type']!r}."
    if q["data_level"] not in DATA_LEVELS:
        return f"data_level: Invalid enum value {q['data_level']!r}."
    if q["advertiser_id"] != ADVERTISER:
        return "advertiser_id: No permission to operate advertiser."
    for name in ("dimensions", "metrics"):
        try:
            value = json.loads(q.get(name, "[]"))
        except ValueError:
            return f"{name}: Not a valid list."
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{name}: Not a valid list."
    unknown = set(json.loads(q.get("metrics", "[]"))) - METRICS
    if unknown:
        return f"metrics: Invalid metric {sorted(unknown)[0]!r}."
    if "stat_time_day" not in json.loads(q["dimensions"]):
        return "dimensions: a daily report needs stat_time_day."
    try:
        page, size = int(q.get("page", "1")), int(q.get("page_size", "10"))
    except ValueError:
        return "page: Not a valid integer."
    if page < 1:
        return "page: Must be greater than or equal to 1."
    if not 1 <= size <= 1000:
        return "page_size: Must be between 1 and 1000."
    return None


def tiktok_server(fake: FakeTikTokReports) -> LoopbackServer:
    return LoopbackServer(fake)
