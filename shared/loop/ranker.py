"""The learned ranker: what the accumulated snapshots say about each creative feature.

Target: how much better (or worse) a creative did than the priors predicted, as
``log(observed / prior)`` for ROAS and CTR, with the observation shrunk towards the prior by a
pseudo-count so a creative with little spend says little. A gradient-boosted regressor
(scikit-learn) learns it from the one-hot features of ``predict.features``. The prediction code
(``shared.creative.predict``) multiplies per-feature lifts, so the model is stored in that shape:
each feature's lift is ``exp`` of the model's partial dependence on it, centred within its group
(the funnel-stage group keeps the overall level). Held-out quality is the Spearman correlation of
predicted and observed ROAS across creatives (5-fold, creatives never in their own training fold),
reported for the learned model and for the priors; the model is stored under ``models/ranker``,
and so takes over from the priors, once there are ``min_creatives`` creatives with data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import KFold

from shared.creative import predict
from shared.loop.metrics import Dataset, Totals, load
from shared.services import Services

MODEL_PATH = "models/ranker"
PSEUDO_SPEND = 30.0  # observed ROAS shrunk towards the prior as if this much had been spent at it
PSEUDO_IMPRESSIONS = 2000.0


@dataclass(frozen=True)
class RankerReport:
    creatives: int
    snapshots: int
    spearman: float | None  # held-out, learned model
    spearman_priors: float | None  # held-out, priors alone
    active: bool  # stored under models/ranker, so predictions use it
    name: str
    spread: float | None


@dataclass(frozen=True)
class Example:
    item: dict[str, Any]
    features: list[str]
    roas: float  # shrunk observation
    ctr: float
    prior_roas: float
    prior_ctr: float
    weight: float


def examples(data: Dataset, min_impressions: int = 500) -> list[Example]:
    out = []
    for key, t in sorted(data.per_creative().items()):
        item = data.items.get(key)
        if item is None or t.impressions < min_impressions:
            continue
        prior = predict.predict(item, None)
        out.append(
            Example(
                item,
                predict.features(item),
                *_shrunk(t, prior),
                prior["predicted_roas"],
                prior["predicted_ctr"],
                t.spend,
            )
        )
    return out


def _shrunk(t: Totals, prior: dict[str, Any]) -> tuple[float, float]:
    roas = (t.revenue + PSEUDO_SPEND * prior["predicted_roas"]) / (t.spend + PSEUDO_SPEND)
    ctr = (t.clicks + PSEUDO_IMPRESSIONS * prior["predicted_ctr"]) / (
        t.impressions + PSEUDO_IMPRESSIONS
    )
    return roas, ctr


def fit_lifts(train: list[Example], target: str) -> dict[str, float]:
    """Per-feature multiplicative lifts from a gradient-boosted model's partial dependence."""
    vocab = sorted({f for e in train for f in e.features})
    col = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(train), len(vocab)))
    for r, e in enumerate(train):
        x[r, [col[f] for f in e.features]] = 1.0
    y = np.array([math.log(getattr(e, target) / getattr(e, f"prior_{target}")) for e in train])
    w = np.array([max(e.weight, 1.0) for e in train])
    model = GradientBoostingRegressor(
        n_estimators=150, max_depth=2, learning_rate=0.05, subsample=0.8, random_state=0
    )
    model.fit(x, y, sample_weight=w)
    lifts: dict[str, float] = {}
    for group in sorted({f.split(":", 1)[0] for f in vocab}):
        members = [f for f in vocab if f.startswith(group + ":")]
        pd = {}
        for f in members:
            xv = x.copy()
            xv[:, [col[m] for m in members]] = 0.0
            xv[:, col[f]] = 1.0
            pd[f] = float(np.mean(model.predict(xv)))
        centre = 0.0 if group == "stage" else float(np.mean(list(pd.values())))
        lifts.update({f: round(math.exp(v - centre), 4) for f, v in pd.items()})
    return lifts


def to_model(train: list[Example], name: str, spread: float) -> predict.LearnedModel:
    return predict.LearnedModel(name, fit_lifts(train, "ctr"), fit_lifts(train, "roas"), spread)


def held_out(exs: list[Example], folds: int = 5) -> tuple[float | None, float | None, float]:
    """(Spearman learned, Spearman priors, log-residual spread) over out-of-fold predictions."""
    learned = np.zeros(len(exs))
    splitter = KFold(n_splits=min(folds, len(exs)), shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(exs):
        model = to_model([exs[i] for i in train_idx], "cv", 0.0)
        for i in test_idx:
            learned[i] = predict.predict(exs[i].item, model)["predicted_roas"]
    observed = np.array([e.roas for e in exs])
    priors = np.array([e.prior_roas for e in exs])
    spread = float(np.std(np.log(observed / learned)))
    return _rho(learned, observed), _rho(priors, observed), spread


def _rho(a: np.ndarray, b: np.ndarray) -> float | None:
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    return round(float(spearmanr(a, b).statistic), 4)


def train(data: Dataset, *, min_creatives: int = 16) -> tuple[RankerReport, dict[str, Any] | None]:
    """The report and, with enough data, the ``models/ranker`` document (pure)."""
    exs = examples(data)
    name = f"gbr-{len(exs)}c-{len(data.snapshots)}s"
    if len(exs) < min_creatives:
        return RankerReport(len(exs), len(data.snapshots), None, None, False, "priors", None), None
    rho, rho_priors, resid = held_out(exs)
    # The interval: 90 % of held-out log-residuals, bounded between 5 % and the priors' 45 %.
    spread = round(min(predict.PRIOR_SPREAD, max(0.05, math.expm1(1.645 * resid))), 3)
    model = to_model(exs, name, spread)
    doc = {
        "name": name,
        "ctr_lift": model.ctr_lift,
        "roas_lift": model.roas_lift,
        "spread": spread,
        "spearman": rho,
        "spearman_priors": rho_priors,
        "creatives": len(exs),
    }
    return RankerReport(len(exs), len(data.snapshots), rho, rho_priors, True, name, spread), doc


def retrain(services: Services, *, min_creatives: int = 16) -> RankerReport:
    """Train on every snapshot so far; store the model when there is enough data. Run it on a
    schedule (daily) and after a batch of reports."""
    report, doc = train(load(services), min_creatives=min_creatives)
    if doc is not None:
        doc["trained_at"] = services.clock().isoformat()
        services.documents.set(MODEL_PATH, doc)
    return report
