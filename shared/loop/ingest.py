"""Ingest: platform report rows -> normalised daily snapshots, stored idempotently.

A snapshot is one ad on one day, so ``performance/{platform}:{ad_id}:{date}`` is an upsert: a
report or a delivery that arrives twice writes the same document twice and counts once, and a
later, corrected report for the same day replaces the earlier figures rather than adding to
them. Rows whose ad name carries no tracking code of a creative we know are kept under
``unmatched/`` and reported, never dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shared.errors import BadInput
from shared.log import get_logger
from shared.models.performance import PerformanceSnapshot
from shared.pipeline import store
from shared.platforms.registry import PLATFORMS
from shared.platforms.reports import Row
from shared.platforms.tracking import parse_code
from shared.ports.documents import Transaction
from shared.ports.queue import Task
from shared.services import Services

log = get_logger(__name__)
LEARN_STEP = "loop_learn"


@dataclass
class IngestResult:
    stored: int = 0  # new or changed snapshots
    unchanged: int = 0  # the same figures again (a redelivery)
    unmatched: int = 0  # no tracking code of a known creative; kept under unmatched/
    rejected: int = 0  # rows the platform's mapping could not read; kept under rejected/
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
    return services.documents.get(store.ad_path(campaign_id, label))


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


# Unreadable rows kept per report or delivery, for a person to look at; the rest are counted.
MAX_REJECTED_KEPT = 50


def ingest_report(
    services: Services,
    platform: str,
    raw: list[dict[str, Any]],
    *,
    source: str,
    refuse_unreadable: bool = False,
) -> IngestResult:
    """Ingest a platform's report rows, each on its own: a row its mapping cannot read (a value
    the platform left out, one no snapshot can hold) is kept under ``rejected/`` with the
    reason and counted, and never costs the readable rows beside it. A report is the whole
    account's, most of it not adloop's; one odd row must not stop the rest.

    ``refuse_unreadable`` (a push, whose sender hears the answer): when no row at all can be
    read, BadInput naming the first problem, and nothing is stored."""
    report_row = PLATFORMS[platform].report_row
    rows, rejected = [], []
    for index, row in enumerate(raw):
        try:
            rows.append(report_row(row))
        except BadInput as e:
            rejected.append((index, str(e)))
    if refuse_unreadable and rejected and not rows:
        index, reason = rejected[0]
        raise BadInput(f"no report row could be read; row {index}: {reason}")
    result = ingest_rows(services, rows, source=source)
    result.rejected = len(rejected)
    if rejected:
        digest = hashlib.sha256(source.encode()).hexdigest()[:16]
        now = services.clock().isoformat()
        for index, reason in rejected[:MAX_REJECTED_KEPT]:
            services.documents.set(
                f"rejected/{platform}-{digest}-{index}",
                {
                    "platform": platform,
                    "source": source,
                    "row": index,
                    "reason": reason[:500],
                    "at": now,
                },
            )
        log.warning(
            "report rows not readable",
            extra={"source": source, "rejected": len(rejected), "first": rejected[0][1][:200]},
        )
    return result


def normalise(platform: str, rows: list[dict[str, Any]]) -> list[Row]:
    """Every row normalised by its platform's mapping (``shared/platforms``), or BadInput naming
    the first that is not (nothing stored then)."""
    report_row = PLATFORMS[platform].report_row
    normalised = []
    for index, row in enumerate(rows):
        try:
            normalised.append(report_row(row))
        except BadInput as e:
            raise BadInput(f"report row {index}: {e}") from e
    return normalised
