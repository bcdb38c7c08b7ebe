"""Ingest: platform report rows -> normalised daily snapshots, stored idempotently.

A snapshot is one ad on one day, so ``performance/{platform}:{ad_id}:{date}`` is an upsert: a
report or a delivery that arrives twice writes the same document twice and counts once, and a
later, corrected report for the same day replaces the earlier figures rather than adding to
them. Rows whose ad name carries no tracking code of a creative we know are kept under
``unmatched/`` and reported, never dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from shared import json_input
from shared.errors import BadInput
from shared.loop.tracking import parse_code
from shared.models.performance import PerformanceSnapshot
from shared.ports.documents import Transaction
from shared.ports.queue import Task
from shared.services import Services

LEARN_STEP = "loop_learn"
# Meta reports 3-second video plays as the "video_view" action; purchases under these types.
_META_PURCHASE = ("purchase", "offsite_conversion.fb_pixel_purchase", "omni_purchase")


@dataclass(frozen=True)
class Row:
    """A report row, normalised; ``ad_name`` (or ``url``) carries the tracking code."""

    snapshot: PerformanceSnapshot
    ad_name: str
    url: str = ""


@dataclass
class IngestResult:
    stored: int = 0  # new or changed snapshots
    unchanged: int = 0  # the same figures again (a redelivery)
    unmatched: int = 0  # no tracking code of a known creative; kept under unmatched/
    campaigns: set[str] = field(default_factory=set)  # campaigns the rows belong to


def snapshot_path(snapshot: PerformanceSnapshot) -> str:
    return f"performance/{snapshot.key}"


def delivery_key(platform: str, body: bytes) -> str:
    return f"{platform}-{hashlib.sha256(body).hexdigest()[:32]}"


# Rows upserted per transaction: one commit for many rows is what makes ingest fast, and stays
# well under Firestore's 500 writes per transaction.
UPSERT_BATCH = 200


def ingest_rows(services: Services, rows: Iterable[Row], *, source: str) -> IngestResult:
    """Upsert every row; idempotent. ``source`` names the delivery or report, for the record."""
    result = IngestResult()
    now = services.clock().isoformat()
    known: dict[tuple[str, str], bool] = {}  # each creative looked up once per delivery
    matched: dict[str, dict[str, Any]] = {}
    for row in rows:
        match = parse_code(row.ad_name) or parse_code(row.url)
        if match is not None and match not in known:
            known[match] = _creative(services, *match) is not None
        if match is None or not known[match]:
            reason = (
                "no tracking code in the ad name"
                if match is None
                else f"no creative {match[1]} in campaign {match[0]}"
            )
            _keep_unmatched(services, row, reason, source, now)
            result.unmatched += 1
            continue
        doc = {
            **row.snapshot.model_dump(mode="json"),
            "tracking_code": f"adl.{match[0]}.{match[1]}",
            "campaign_id": match[0],
            "label": match[1],
            "ad_name": row.ad_name,
        }
        result.campaigns.add(match[0])
        matched[snapshot_path(row.snapshot)] = doc
    items = list(matched.items())
    for start in range(0, len(items), UPSERT_BATCH):
        batch = items[start : start + UPSERT_BATCH]
        stored = _upsert_all(services, batch, source, now)
        result.stored += stored
        result.unchanged += len(batch) - stored
    return result


# Learning recomputes from every snapshot, so it runs at most once a window per campaign: the
# deliveries of one window share a task name (queues keep one), sent at the window's end.
LEARN_WINDOW_S = 60


def learn_tasks(result: IngestResult, key: str) -> list[Task]:
    """One learning task per campaign in the result, named by ``key`` (a Meta report, or the
    window of webhook deliveries: see :func:`window_key`)."""
    return [Task(cid, LEARN_STEP, key, queue="feedback") for cid in sorted(result.campaigns)]


def window_key(now: float) -> str:
    return f"w{int(now // LEARN_WINDOW_S)}"


def learn_delay(now: float) -> float:
    """Seconds until the current window ends, when its learning task should run."""
    return LEARN_WINDOW_S - now % LEARN_WINDOW_S


def _creative(services: Services, campaign_id: str, label: str) -> dict[str, Any] | None:
    docs = services.documents
    kind = "blueprints" if label.startswith("B") and len(label) == 3 else "creatives"
    return docs.get(f"campaigns/{campaign_id}/{kind}/{label}")


def _upsert_all(
    services: Services, batch: list[tuple[str, dict[str, Any]]], source: str, now: str
) -> int:
    """Write the snapshots that are new or changed, in one transaction; return how many."""

    def txn(tx: Transaction) -> int:
        olds = [tx.get(path) for path, _ in batch]  # every read before any write
        changed = [
            (path, doc)
            for (path, doc), old in zip(batch, olds, strict=True)
            if old is None or {k: old.get(k) for k in doc} != doc
        ]
        for path, doc in changed:
            tx.set(path, {**doc, "source": source, "ingested_at": now})
        return len(changed)

    return services.documents.transact(txn)


def _keep_unmatched(services: Services, row: Row, reason: str, source: str, now: str) -> None:
    s = row.snapshot
    services.documents.set(
        f"unmatched/{s.key}",
        {
            **s.model_dump(mode="json"),
            "ad_name": row.ad_name,
            "url": row.url,
            "reason": reason,
            "source": source,
            "at": now,
        },
    )


# --- normalisers: one platform's row -> Row (pure) ------------------------------------------


def _num(row: dict[str, Any], *keys: str) -> float:
    """The first of ``keys`` present in ``row`` as a number (absent or empty: 0); finite and
    bounded (:func:`shared.json_input.number`), or BadInput naming the field."""
    key = next((k for k in keys if k in row), keys[0])
    return _number(row.get(key), key)


def _number(value: Any, field: str) -> float:
    try:
        return json_input.number(value, field)
    except json_input.JsonRefused as e:
        raise BadInput(str(e)) from e


def _actions(row: dict[str, Any], key: str, types: tuple[str, ...]) -> float:
    items = row.get(key) or []
    if not isinstance(items, list):
        raise BadInput(f"{key} must be a list of {{action_type, value}}")
    return max(
        (
            _number(a.get("value"), f"{key}.value")
            for a in items
            if isinstance(a, dict) and a.get("action_type") in types
        ),
        default=0.0,
    )


def _snapshot(platform: str, ad_id: Any, day: Any, **metrics: float) -> PerformanceSnapshot:
    try:
        return PerformanceSnapshot(
            platform=platform,
            ad_id=str(ad_id),
            day=date.fromisoformat(str(day)[:10]),
            impressions=round(metrics["impressions"]),
            clicks=round(metrics["clicks"]),
            spend=round(metrics["spend"], 4),
            conversions=round(metrics["conversions"]),
            revenue=round(metrics["revenue"], 4),
            video_3s_views=round(metrics["views_3s"]),
            video_completions=round(metrics["completions"]),
        )
    except (ValidationError, ValueError, OverflowError) as e:
        raise BadInput(f"a {platform} row could not be read: {e}") from e


def meta_row(row: dict[str, Any]) -> Row:
    """A Marketing API insights row (level=ad, time_increment=1)."""
    if not row.get("ad_id") or not row.get("date_start"):
        raise BadInput("a Meta insights row needs ad_id and date_start")
    snap = _snapshot(
        "meta",
        row["ad_id"],
        row["date_start"],
        impressions=_num(row, "impressions"),
        clicks=_num(row, "inline_link_clicks", "clicks"),
        spend=_num(row, "spend"),
        conversions=_actions(row, "actions", _META_PURCHASE),
        revenue=_actions(row, "action_values", _META_PURCHASE),
        views_3s=_actions(row, "actions", ("video_view",)),
        completions=_actions(row, "video_p100_watched_actions", ("video_view",)),
    )
    return Row(snap, str(row.get("ad_name") or ""))


def tiktok_row(row: dict[str, Any]) -> Row:
    """A TikTok integrated-report row: ``{"dimensions": {ad_id, stat_time_day}, "metrics": {…}}``.
    TikTok has no 3-second play count; its 2-second count stands in for thumb-stop."""
    dims, m = row.get("dimensions"), row.get("metrics")
    if (
        not isinstance(dims, dict)
        or not isinstance(m, dict)
        or not dims.get("ad_id")
        or not dims.get("stat_time_day")
    ):
        raise BadInput("a TikTok row needs dimensions.ad_id, dimensions.stat_time_day and metrics")
    snap = _snapshot(
        "tiktok",
        dims["ad_id"],
        dims["stat_time_day"],
        impressions=_num(m, "impressions"),
        clicks=_num(m, "clicks"),
        spend=_num(m, "spend"),
        conversions=_num(m, "complete_payment", "conversion"),
        revenue=_num(m, "total_purchase_value"),
        views_3s=_num(m, "video_watched_2s"),
        completions=_num(m, "video_views_p100"),
    )
    return Row(snap, str(m.get("ad_name") or ""))


def google_row(row: dict[str, Any]) -> Row:
    """A row of the Google Ads script's daily report (see infra/google-ads-script.js)."""
    if not row.get("ad_id") or not row.get("date"):
        raise BadInput("a Google Ads row needs ad_id and date")
    snap = _snapshot(
        "google",
        row["ad_id"],
        row["date"],
        impressions=_num(row, "impressions"),
        clicks=_num(row, "clicks"),
        spend=_num(row, "cost_micros") / 1e6,
        conversions=_num(row, "conversions"),
        revenue=_num(row, "conversions_value"),
        views_3s=_num(row, "video_3s_views"),
        completions=_num(row, "video_completions"),
    )
    return Row(snap, str(row.get("ad_name") or ""), str(row.get("final_url") or ""))


NORMALISERS: dict[str, Callable[[dict[str, Any]], Row]] = {
    "meta": meta_row,
    "tiktok": tiktok_row,
    "google": google_row,
}


def normalise(platform: str, rows: list[dict[str, Any]]) -> list[Row]:
    """Every row normalised, or BadInput naming the first that is not (nothing stored then)."""
    normalised = []
    for index, row in enumerate(rows):
        try:
            normalised.append(NORMALISERS[platform](row))
        except BadInput as e:
            raise BadInput(f"report row {index}: {e}") from e
    return normalised
