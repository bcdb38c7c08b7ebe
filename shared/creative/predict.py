"""Predicted CTR and ROAS before any spend.

Before performance data exists, predictions come from priors: typical paid-social CTR and ROAS
by funnel stage, moved by the judge score and the angle's prior win rate, with a wide interval
(we know little). The feedback loop trains a learned model on real snapshots; once it is stored
under ``models/ranker`` it takes over, and its intervals narrow with the data behind it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shared.creative.offline.angles import PRIORS as ANGLE_PRIORS
from shared.ports.documents import Documents

# Median paid-social benchmarks by funnel stage (CTR as a fraction, ROAS as revenue / spend).
STAGE_CTR = {"Awareness": 0.009, "Mid": 0.012, "Conversion": 0.016, "Full": 0.011}
STAGE_ROAS = {"Awareness": 1.2, "Mid": 1.8, "Conversion": 2.6, "Full": 1.9}
PRIOR_SPREAD = 0.45  # ±45 % before data


@dataclass(frozen=True)
class LearnedModel:
    name: str
    # Multipliers learned from performance, by feature value ("angle:pain_first", "stage:Mid").
    ctr_lift: dict[str, float]
    roas_lift: dict[str, float]
    spread: float


def load_model(docs: Documents) -> LearnedModel | None:
    raw = docs.get("models/ranker")
    if raw is None:
        return None
    return LearnedModel(raw["name"], raw["ctr_lift"], raw["roas_lift"], float(raw["spread"]))


def features(item: dict[str, Any]) -> list[str]:
    stage = item.get("funnel_stage") or ("Full" if item.get("language") == "es" else "Conversion")
    return [
        f"stage:{stage}",
        f"angle:{item.get('angle') or 'unknown'}",
        f"hook:{item.get('hook_framework') or 'unknown'}",
        f"language:{item.get('language') or 'en'}",
    ]


def predict(item: dict[str, Any], model: LearnedModel | None) -> dict[str, Any]:
    stage = features(item)[0].split(":", 1)[1]
    judge = float((item.get("scores") or {}).get("judge") or 70.0)
    # A judge score of 70 is neutral; each 10 points moves CTR by about 12 %.
    quality = math.exp((judge - 70.0) / 10.0 * 0.12)
    angle_prior = ANGLE_PRIORS.get(str(item.get("angle")), 0.5) / 0.5
    ctr = STAGE_CTR.get(stage, 0.01) * quality * angle_prior**0.5
    roas = STAGE_ROAS.get(stage, 1.5) * quality * angle_prior**0.5
    spread = PRIOR_SPREAD
    if model is not None:
        for f in features(item):
            ctr *= model.ctr_lift.get(f, 1.0)
            roas *= model.roas_lift.get(f, 1.0)
        spread = model.spread
    return {
        "predicted_ctr": round(ctr, 5),
        "predicted_ctr_interval": (round(ctr * (1 - spread), 5), round(ctr * (1 + spread), 5)),
        "predicted_roas": round(roas, 3),
        "predicted_roas_interval": (round(roas * (1 - spread), 3), round(roas * (1 + spread), 3)),
        "predicted_by": model.name if model else "priors",
    }
