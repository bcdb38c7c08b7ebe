"""The pattern library: what wins, decomposed into angle, hook structure, trigger, funnel stage
and language, and weighted by performance.

Within each campaign, every creative with spend gets a performance share in [0, 1]: its ROAS
percentile among the campaign's creatives (ties share a rank), lifted to 1 for a declared winner.
A loser is already near the bottom (every creative the best clearly beats is one), so its
percentile says more than its label. A pattern's score is the spend-weighted mean share of the
creatives that use it, shrunk towards 0.5 (no information) by a prior weight, so one lucky ad
does not make a pattern. Stored as ``patterns/{kind}:{value}`` = {kind, value, score, n, spend}.
The angles step reads kind "angle" as {value, score}.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from scipy.stats import rankdata

from shared.loop.metrics import Dataset, Totals
from shared.loop.winners import Verdict

KINDS = ("angle", "hook", "trigger", "stage", "language")
# The psychological trigger each hook structure leans on.
TRIGGERS = {
    "question": "curiosity",
    "curiosity": "curiosity",
    "number": "specificity",
    "pov": "identification",
    "contrarian": "pattern_break",
    "pattern_interrupt": "pattern_break",
    "testimonial": "social_proof",
    "proof": "social_proof",
    "how_to": "utility",
    "offer": "urgency",
}
PRIOR_SPEND = 100.0  # pseudo-spend at score 0.5


@dataclass(frozen=True)
class Pattern:
    kind: str
    value: str
    score: float
    n: int
    spend: float

    @property
    def path(self) -> str:
        return f"patterns/{self.kind}:{self.value}"

    def to_doc(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "score": self.score,
            "n": self.n,
            "spend": round(self.spend, 2),
        }


def parts(item: dict[str, Any]) -> dict[str, str]:
    """A creative decomposed: which angle, hook structure, trigger, stage and language it uses."""
    hook = str(item.get("hook_framework") or "")
    stage = item.get("funnel_stage") or ("Full" if item.get("language") == "es" else "Conversion")
    out = {
        "angle": str(item.get("angle") or ""),
        "hook": hook,
        "trigger": str(item.get("trigger") or TRIGGERS.get(hook, "")),
        "stage": str(stage),
        "language": str(item.get("language") or ""),
    }
    return {k: v for k, v in out.items() if v}


def shares(totals: dict[str, Totals], verdicts: dict[str, str]) -> dict[str, float]:
    """Each creative's performance share within its campaign (pure)."""
    by_campaign: dict[str, list[str]] = defaultdict(list)
    for key in totals:
        by_campaign[key.split("/", 1)[0]].append(key)
    out: dict[str, float] = {}
    for keys in by_campaign.values():
        ranks = rankdata([totals[k].roas or 0.0 for k in keys])
        for key, r in zip(keys, ranks, strict=True):
            share = (r - 1) / (len(keys) - 1) if len(keys) > 1 else 0.5
            out[key] = 1.0 if verdicts.get(key) == "winner" else float(share)
    return out


def build_patterns(
    data: Dataset, verdicts: list[Verdict], *, min_spend: float = 0.0
) -> list[Pattern]:
    """Every pattern's score from every campaign's data (pure)."""
    totals = {
        k: t for k, t in data.per_creative().items() if t.spend > min_spend and k in data.items
    }
    share = shares(totals, {f"{v.campaign_id}/{v.label}": v.verdict for v in verdicts})
    acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for key, t in totals.items():
        for kind, value in parts(data.items[key]).items():
            a = acc[(kind, value)]
            a[0] += share[key] * t.spend
            a[1] += t.spend
            a[2] += 1
    return [
        Pattern(kind, value, round((s + 0.5 * PRIOR_SPEND) / (w + PRIOR_SPEND), 4), int(n), w)
        for (kind, value), (s, w, n) in sorted(acc.items())
    ]


def pattern_writes(patterns: list[Pattern]) -> dict[str, dict[str, Any]]:
    return {p.path: p.to_doc() for p in patterns}
