"""Metrics per creative, angle, hook type, funnel stage and language, from daily snapshots.

Totals add; rates are derived from totals (never averaged), and a rate whose denominator is
zero is None (a platform that reports no video plays has no thumb-stop rate, not a zero one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

from shared.pipeline import store
from shared.ports.documents import Where
from shared.services import Services

DIMENSIONS = ("creative", "angle", "hook", "stage", "language")


@dataclass(frozen=True)
class Totals:
    impressions: int = 0
    clicks: int = 0
    spend: float = 0.0
    conversions: float = 0.0  # fractional where the platform attributes part of one
    revenue: float = 0.0
    views_3s: int = 0
    completions: int = 0
    days: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def ctr(self) -> float | None:
        return _ratio(self.clicks, self.impressions)

    @property
    def cpc(self) -> float | None:
        return _ratio(self.spend, self.clicks)

    @property
    def cpm(self) -> float | None:
        r = _ratio(self.spend, self.impressions)
        return None if r is None else r * 1000

    @property
    def cvr(self) -> float | None:
        return _ratio(self.conversions, self.clicks)

    @property
    def cpa(self) -> float | None:
        return _ratio(self.spend, self.conversions)

    @property
    def roas(self) -> float | None:
        return _ratio(self.revenue, self.spend)

    @property
    def thumb_stop(self) -> float | None:
        """3-second views / impressions."""
        return _ratio(self.views_3s, self.impressions) if self.views_3s else None

    @property
    def hold_rate(self) -> float | None:
        """Completed views / 3-second views: of those who stopped, how many stayed."""
        return _ratio(self.completions, self.views_3s)

    def as_dict(self) -> dict[str, float | int | None]:
        base = {f.name: getattr(self, f.name) for f in fields(self)}
        rates = ("ctr", "cpc", "cpm", "cvr", "cpa", "roas", "thumb_stop", "hold_rate")
        return {**base, **{r: _round(getattr(self, r)) for r in rates}}


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 6)


def snapshot_totals(doc: dict[str, Any]) -> Totals:
    return Totals(
        impressions=int(doc.get("impressions") or 0),
        clicks=int(doc.get("clicks") or 0),
        spend=float(doc.get("spend") or 0.0),
        conversions=float(doc.get("conversions") or 0.0),
        revenue=float(doc.get("revenue") or 0.0),
        views_3s=int(doc.get("video_3s_views") or 0),
        completions=int(doc.get("video_completions") or 0),
        days=1,
    )


def dimension_values(item: dict[str, Any]) -> dict[str, str]:
    """Which creative, angle, hook type, stage and language an item (creative or blueprint) is."""
    stage = item.get("funnel_stage") or ("Full" if item.get("language") == "es" else "Conversion")
    return {
        "creative": f"{item.get('campaign_id')}/{item.get('label')}",
        "angle": str(item.get("angle") or "unknown"),
        "hook": str(item.get("hook_framework") or "unknown"),
        "stage": str(stage),
        "language": str(item.get("language") or "en"),
    }


@dataclass(frozen=True)
class Dataset:
    """Snapshots and the creatives they belong to, keyed ``campaign_id/label``."""

    snapshots: list[dict[str, Any]]
    items: dict[str, dict[str, Any]]

    def per_creative(self) -> dict[str, Totals]:
        out: dict[str, Totals] = defaultdict(Totals)
        for s in self.snapshots:
            out[_key(s)] += snapshot_totals(s)
        return dict(out)

    def daily(self, key: str) -> list[Totals]:
        """One creative's totals per day, all platforms together."""
        days: dict[str, Totals] = defaultdict(Totals)
        for s in self.snapshots:
            if _key(s) == key:
                days[str(s["day"])] += snapshot_totals(s)
        return [Totals(**{**_fields(t), "days": 1}) for _, t in sorted(days.items())]


def _fields(t: Totals) -> dict[str, Any]:
    return {f.name: getattr(t, f.name) for f in fields(t)}


def _key(snapshot: dict[str, Any]) -> str:
    return f"{snapshot['campaign_id']}/{snapshot['label']}"


def by_dimension(data: Dataset) -> dict[str, dict[str, Totals]]:
    """Totals for every value of every dimension (pure)."""
    out: dict[str, dict[str, Totals]] = {d: defaultdict(Totals) for d in DIMENSIONS}
    for key, totals in data.per_creative().items():
        item = data.items.get(key)
        if item is None:
            continue
        for dim, value in dimension_values(item).items():
            out[dim][value] += totals
    return {d: dict(v) for d, v in out.items()}


def load(services: Services, campaign_id: str | None = None) -> Dataset:
    """Every matched snapshot (of one campaign, or all) and the creatives they name."""
    where: list[Where] = [("campaign_id", "==", campaign_id)] if campaign_id else []
    snaps = [d.data for d in services.documents.query("performance", where)]
    items: dict[str, dict[str, Any]] = {}
    for cid in sorted({str(s["campaign_id"]) for s in snaps}):
        for collection in (store.creatives_collection(cid), store.blueprints_collection(cid)):
            for d in services.documents.query(collection):
                items[f"{cid}/{d.id}"] = {**d.data, "campaign_id": cid, "label": d.id}
    return Dataset(snaps, items)
