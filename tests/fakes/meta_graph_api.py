"""A fake Marketing API (Graph API) for insights reports and ad videos, on a loopback server.

What it implements, and where each shape comes from (checked 2026-07; see
tests/fixtures/platforms/meta/SOURCES.md):

* ``POST /{version}/act_{id}/insights`` starts an asynchronous report and answers
  ``{"report_run_id": "<id>"}`` (facebook-python-business-sdk: abstractcrudobject.py and
  AdReportRunMixin read ``report_run_id``). Needs ``fields`` (each a known AdsInsights field,
  from the SDK's adsinsights.py: tests/fixtures/platforms/meta/graph_api.json), ``level`` (one of
  AdsInsights.Level) and ``time_range`` as JSON ``{"since", "until"}`` (ISO dates, since <= until).
* ``GET /{version}/{report_run_id}`` is the AdReportRun: ``id``, ``account_id``,
  ``async_status``, ``async_percent_completion``, ``date_start``, ``date_stop`` (SDK
  adreportrun.py). Each read moves the run one state on through ``steps`` (Job Not Started →
  Job Started → Job Running → Job Completed by default; Job Failed / Job Skipped on request).
* ``GET /{version}/{report_run_id}/insights`` pages through a completed report: ``limit``,
  cursor ``after``; answers ``{"data": [...], "paging": {"cursors": {"before", "after"},
  "next": <full URL>}}``, ``next`` absent on the last page (Graph API "Paginated results",
  cursor-based pagination).
* ``POST /{version}/act_{id}/advideos`` uploads a video to the ad account's library: a
  ``multipart/form-data`` body whose ``source`` field is the file (optional ``name``, ``title``),
  answered ``{"id": "<numeric string>"}`` (Marketing API reference "Ad Account, Ad Videos",
  developers.facebook.com/docs/graph-api/reference/ad-account/advideos/, v25.0: ``source`` "the
  video, encoded as form data", return type ``{id, ...}``; facebook-python-business-sdk
  ``AdAccount.create_ad_video``, ``source`` a file param). Refused as Meta documents for that
  edge: no ``source`` is code 100 "Invalid parameter" (the exact message is not documented; this
  one is the fake's), a file that is not a video is code 352 "The video file you selected is in a
  format that we don't support." (the fake knows a video by its ISO base media ``ftyp`` box:
  MP4 and QuickTime, what adloop renders), an ad account the token cannot use (not in
  ``FakeGraph.ad_accounts``) is code 100 subcode 33, like any object it cannot load. The real
  host is graph-video.facebook.com; one fake serves both hosts.
* Auth: ``access_token`` in the query (or ``Authorization: OAuth|Bearer <token>``). Missing:
  400, OAuthException code 104; wrong: 400, OAuthException code 190 (Graph API error handling).
* Unknown objects: 400, GraphMethodException code 100, subcode 33 ("Unsupported get request").
* Errors are ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``
  (Graph API error handling). Throttling is queued with :meth:`FakeGraph.throttle_next`: by
  default code 80000 (Business Use Case limit, ads_insights) with an ``X-Business-Use-Case-Usage``
  header giving ``estimated_time_to_regain_access`` in minutes. The HTTP status of throttling
  answers is not documented precisely; Graph answers its errors with 400, which this uses.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.fakes.http_server import FakeResponse, LoopbackServer, RecordedRequest

_FACTS = json.loads(
    (Path(__file__).parents[1] / "fixtures/platforms/meta/graph_api.json").read_text("utf-8")
)
INSIGHTS_FIELDS = frozenset(_FACTS["insights_fields"])
LEVELS = frozenset(_FACTS["levels"])
REPORT_STEPS = (
    ("Job Not Started", 0),
    ("Job Started", 0),
    ("Job Running", 45),
    ("Job Completed", 100),
)
_PATH = re.compile(r"/(v\d+\.\d+)/([^/]+)(?:/([a-z_]+))?")


def graph_error(
    message: str, code: int, *, kind: str = "OAuthException", subcode: int | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "Afake"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@dataclass
class Report:
    account_id: str
    since: str
    until: str
    rows: list[dict[str, Any]]
    steps: list[tuple[str, int]]
    reads: int = 0


@dataclass(frozen=True)
class Video:
    """A video uploaded to an ad account's library."""

    account_id: str
    name: str
    data: bytes


@dataclass
class FakeGraph:
    """The state behind the fake: the reports requested, their rows, queued misbehaviour.

    ``rows_for(account_id, since, until)`` gives a new report's rows; ``steps_for`` the states
    its run goes through (one per status read)."""

    token: str = "meta-token"
    rows_for: Callable[[str, str, str], list[dict[str, Any]]] = lambda a, s, u: []
    steps_for: Callable[[int], list[tuple[str, int]]] = lambda n: list(REPORT_STEPS)
    page_size: int = 500
    reports: dict[str, Report] = field(default_factory=dict)
    # The ad accounts the token may upload to, and what was uploaded (id -> video).
    ad_accounts: frozenset[str] = frozenset({"act_1234"})
    videos: dict[str, Video] = field(default_factory=dict)
    base: str = ""
    _throttles: list[FakeResponse] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def throttle_next(
        self, code: int = 80000, *, regain_minutes: int = 0, status: int = 400
    ) -> None:
        """The next request is refused as throttled, the way Meta refuses it."""
        usage = {
            "1234": [
                {
                    "type": "ads_insights",
                    "call_count": 100,
                    "total_cputime": 30,
                    "total_time": 40,
                    "estimated_time_to_regain_access": regain_minutes,
                }
            ]
        }
        body = graph_error("There have been too many calls from this ad-account.", code)
        headers = {"X-Business-Use-Case-Usage": json.dumps(usage)}
        self._throttles.append(FakeResponse(status, body, headers))

    def __call__(self, req: RecordedRequest) -> FakeResponse:
        refused = self._auth(req)
        if refused:
            return refused
        with self._lock:
            if self._throttles:
                return self._throttles.pop(0)
        match = _PATH.fullmatch(req.path)
        if match is None:
            return FakeResponse(400, graph_error("Unknown path components", 2500))
        _, node, edge = match.groups()
        if req.method == "POST" and edge == "insights" and node.startswith("act_"):
            return self._start(node, req)
        if req.method == "POST" and edge == "advideos" and node in self.ad_accounts:
            return self._upload(node, req)
        report = self.reports.get(node)
        if report is None or req.method != "GET" or edge not in (None, "insights"):
            return FakeResponse(
                400,
                graph_error(
                    f"Unsupported {req.method.lower()} request. Object with ID '{node}' does "
                    "not exist, cannot be loaded due to missing permissions, or does not "
                    "support this operation.",
                    100,
                    kind="GraphMethodException",
                    subcode=33,
                ),
            )
        return self._run(node, report) if edge is None else self._page(node, report, req)

    def _auth(self, req: RecordedRequest) -> FakeResponse | None:
        given = (req.query.get("access_token") or [None])[0]
        header = req.headers.get("authorization", "")
        if given is None and header.split(" ")[0] in ("OAuth", "Bearer"):
            given = header.split(" ", 1)[1]
        if given is None:
            message = "An access token is required to request this resource."
            return FakeResponse(400, graph_error(message, 104))
        if given != self.token:
            return FakeResponse(400, graph_error("Invalid OAuth access token.", 190))
        return None

    def _start(self, account: str, req: RecordedRequest) -> FakeResponse:
        q = {k: v[0] for k, v in req.query.items()}
        problems = []
        fields = [f for f in (q.get("fields") or "").split(",") if f]
        unknown = [f for f in fields if f not in INSIGHTS_FIELDS]
        if not fields or unknown:
            problems.append(f"(#100) fields: {unknown or 'missing'}")
        if q.get("level") not in LEVELS:
            problems.append(f"(#100) level must be one of {sorted(LEVELS)}")
        try:
            span = json.loads(q["time_range"])
            since, until = date.fromisoformat(span["since"]), date.fromisoformat(span["until"])
            if since > until:
                raise ValueError("since after until")
        except (KeyError, ValueError, TypeError) as e:
            problems.append(f"(#100) time_range must be {{since, until}} dates: {e}")
        if "filtering" in q:
            try:
                assert all(
                    {"field", "operator", "value"} <= set(f) for f in json.loads(q["filtering"])
                )
            except (ValueError, AssertionError, TypeError):
                problems.append("(#100) filtering must be a list of {field, operator, value}")
        if problems:
            return FakeResponse(400, graph_error("; ".join(problems), 100))
        with self._lock:
            rid = str(6120000000000 + len(self.reports))
            rows = self.rows_for(account, str(since), str(until))
            steps = self.steps_for(len(self.reports))
            self.reports[rid] = Report(account, str(since), str(until), rows, steps)
        return FakeResponse(200, {"report_run_id": rid})

    def _upload(self, account: str, req: RecordedRequest) -> FakeResponse:
        fields = _multipart(req)
        source = fields.get("source")
        if source is None or source.get_filename() is None:
            return FakeResponse(
                400, graph_error("(#100) source: a video file, sent as form data", 100)
            )
        data = source.get_payload(decode=True)
        if not isinstance(data, bytes) or data[4:8] != b"ftyp":
            message = "The video file you selected is in a format that we don't support."
            return FakeResponse(400, graph_error(message, 352))
        name = fields["name"].get_content() if "name" in fields else source.get_filename()
        with self._lock:
            vid = str(120210000000000 + len(self.videos))
            self.videos[vid] = Video(account, str(name), data)
        return FakeResponse(200, {"id": vid})

    def _run(self, rid: str, report: Report) -> FakeResponse:
        with self._lock:
            status, percent = report.steps[min(report.reads, len(report.steps) - 1)]
            report.reads += 1
        return FakeResponse(
            200,
            {
                "id": rid,
                "account_id": report.account_id.removeprefix("act_"),
                "async_status": status,
                "async_percent_completion": percent,
                "date_start": report.since,
                "date_stop": report.until,
            },
        )

    def _page(self, rid: str, report: Report, req: RecordedRequest) -> FakeResponse:
        status, _ = report.steps[min(max(report.reads - 1, 0), len(report.steps) - 1)]
        if status != "Job Completed":
            # The exact error for reading an unfinished report is not documented; a refusal.
            return FakeResponse(400, graph_error(f"Report {rid} is not complete", 100))
        after = (req.query.get("after") or [None])[0]
        start = int(base64.b64decode(after)) if after else 0
        limit = min(int((req.query.get("limit") or [25])[0]), self.page_size)
        rows = report.rows[start : start + limit]
        end = start + len(rows)
        cursors = {
            "before": base64.b64encode(str(start).encode()).decode(),
            "after": base64.b64encode(str(end).encode()).decode(),
        }
        doc: dict[str, Any] = {"data": rows, "paging": {"cursors": cursors}}
        if end < len(report.rows):
            query = urlencode(
                {"access_token": self.token, "limit": limit, "after": cursors["after"]}
            )
            doc["paging"]["next"] = f"{self.base}{req.path}?{query}"
        return FakeResponse(200, doc)


def _multipart(req: RecordedRequest) -> dict[str, EmailMessage]:
    """The fields of a ``multipart/form-data`` body by name; none when it is not one."""
    kind = req.headers.get("content-type", "")
    if not kind.startswith("multipart/form-data"):
        return {}
    head = f"Content-Type: {kind}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + req.body)
    return {
        str(part.get_param("name", header="content-disposition")): part
        for part in message.iter_parts()
    }


def meta_graph_server(graph: FakeGraph) -> LoopbackServer:
    """A server for ``graph``; ``graph.base`` is set on start, for ``paging.next`` URLs."""

    class _Server(LoopbackServer):
        def start(self) -> _Server:
            super().start()
            graph.base = self.url
            return self

    return _Server(graph)
