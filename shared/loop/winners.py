"""Winners and losers: is a creative better than the current best, with 95 % probability?

CTR and conversion rate are Beta-Binomial: with a flat Beta(1, 1) prior, a creative's rate is
Beta(1 + successes, 1 + failures); Monte Carlo draws from both posteriors give the probability
that it beats the current best (the other creative with the highest posterior mean). ROAS is a
ratio of sums with no conjugate form, so it is bootstrapped over the creative's days. A creative
is judged only after a minimum of spend and impressions; it wins a metric at P >= 0.95 and loses
it at P <= 0.05. Overall it is a winner when it wins a metric and loses none (loser likewise).

``judge_each_campaign`` returns the findings (``loop_learn`` posts each decided one in its
creative's Slack thread) and ``record_findings`` stores them on the creatives.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.loop.metrics import Dataset, Totals
from shared.pipeline import store
from shared.ports.documents import Transaction
from shared.services import Services


@dataclass(frozen=True)
class Thresholds:
    min_spend: float = 50.0
    min_impressions: int = 1000
    win: float = 0.95
    draws: int = 20_000
    seed: int = 7


@dataclass(frozen=True)
class Finding:
    metric: str  # "ctr" | "cvr" | "roas"
    verdict: str  # "winner" | "loser" | "undecided"
    p_beats_best: float
    best: str  # the creative compared with
    value: float | None


@dataclass(frozen=True)
class Verdict:
    campaign_id: str
    label: str
    verdict: str  # "winner" | "loser" | "undecided"
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)

    def to_doc(self) -> dict[str, Any]:
        return asdict(self)


def p_beats(
    a: tuple[float, float], b: tuple[float, float], rng: np.random.Generator, draws: int
) -> float:
    """P(rate_a > rate_b) for (successes, trials) under Beta(1, 1) priors (Monte Carlo).

    Successes may be fractional (Google's conversions) and may exceed the trials (a click that
    led to two purchases): they are capped at the trials, a rate of at most one.
    """
    a, b = (min(a[0], a[1]), a[1]), (min(b[0], b[1]), b[1])
    da = rng.beta(1 + a[0], 1 + a[1] - a[0], draws)
    db = rng.beta(1 + b[0], 1 + b[1] - b[0], draws)
    return float(np.mean(da > db))


def p_roas_beats(a: list[Totals], b: list[Totals], rng: np.random.Generator, draws: int) -> float:
    """P(ROAS_a > ROAS_b), bootstrapping each creative's days."""

    def boot(days: list[Totals]) -> npt.NDArray[np.float64]:
        spend = np.array([d.spend for d in days])
        revenue = np.array([d.revenue for d in days])
        idx = rng.integers(0, len(days), size=(draws, len(days)))
        ratio: npt.NDArray[np.float64] = revenue[idx].sum(axis=1) / np.maximum(
            spend[idx].sum(axis=1), 1e-9
        )
        return ratio

    return float(np.mean(boot(a) > boot(b)))


def judge(data: Dataset, th: Thresholds = Thresholds()) -> list[Verdict]:
    """A verdict for every creative in ``data`` that met the minimums (pure: the rng is seeded)."""
    totals = {
        k: t
        for k, t in data.per_creative().items()
        if t.spend >= th.min_spend and t.impressions >= th.min_impressions
    }
    rng = np.random.default_rng(th.seed)
    counts: dict[str, dict[str, tuple[float, float]]] = {
        "ctr": {k: (t.clicks, t.impressions) for k, t in totals.items()},
        "cvr": {k: (t.conversions, t.clicks) for k, t in totals.items() if t.clicks},
    }
    daily = {k: data.daily(k) for k in totals}
    verdicts = []
    for key, t in sorted(totals.items()):
        findings = []
        for metric, table in counts.items():
            if key in table and len(table) > 1:
                best = _best_other(key, {k: (s + 1) / (n + 2) for k, (s, n) in table.items()})
                p = p_beats(table[key], table[best], rng, th.draws)
                findings.append(_finding(metric, p, best, getattr(t, metric), th))
        if len(totals) > 1:
            best = _best_other(key, {k: v.roas or 0.0 for k, v in totals.items()})
            p = p_roas_beats(daily[key], daily[best], rng, th.draws // 4)
            findings.append(_finding("roas", p, best, t.roas, th))
        cid, label = key.split("/", 1)
        verdicts.append(Verdict(cid, label, _overall(findings), findings, t.as_dict()))
    return verdicts


def _best_other(key: str, means: dict[str, float]) -> str:
    others = {k: v for k, v in means.items() if k != key}
    return max(sorted(others), key=lambda k: others[k])


def _finding(metric: str, p: float, best: str, value: float | None, th: Thresholds) -> Finding:
    verdict = "winner" if p >= th.win else "loser" if p <= 1 - th.win else "undecided"
    return Finding(metric, verdict, round(p, 4), best, None if value is None else round(value, 6))


def _overall(findings: list[Finding]) -> str:
    kinds = {f.verdict for f in findings}
    if "winner" in kinds and "loser" not in kinds:
        return "winner"
    if "loser" in kinds and "winner" not in kinds:
        return "loser"
    return "undecided"


def record_findings(services: Services, verdicts: list[Verdict]) -> None:
    """Store each verdict on its creative (``performance`` field), each in its own transaction so
    a reviewer's tag change at the same moment is not overwritten."""
    now = services.clock().isoformat()
    for v in verdicts:
        path = store.ad_path(v.campaign_id, v.label)

        def txn(tx: Transaction, path: str = path, v: Verdict = v) -> None:
            doc = tx.get(path)
            if doc is not None:
                tx.set(path, {**doc, "performance": {**v.to_doc(), "judged_at": now}})

        services.documents.transact(txn)


def judge_each_campaign(data: Dataset, th: Thresholds = Thresholds()) -> list[Verdict]:
    """Verdicts with creatives compared only within their own campaign (pure)."""
    verdicts: list[Verdict] = []
    for cid in sorted({str(s["campaign_id"]) for s in data.snapshots}):
        part = Dataset(
            [s for s in data.snapshots if s["campaign_id"] == cid],
            {k: v for k, v in data.items.items() if k.startswith(cid + "/")},
        )
        verdicts += judge(part, th)
    return verdicts
