"""Learning from the figures: winners and losers, the pattern library, the learned ranker and the
report, on snapshots ingested the way webhooks ingest them."""

from __future__ import annotations

import numpy as np

from shared.creative import predict
from shared.loop.ingest import ingest_rows
from shared.loop.metrics import by_dimension, load
from shared.loop.ranker import retrain
from shared.loop.report import build_report
from shared.loop.steps import learn
from shared.loop.winners import Thresholds, judge_each_campaign
from shared.platforms.google import google_row
from shared.services import Services
from tests.loop.conftest import seed_campaign
from tests.loop.platforms import Day


def _ingest(services: Services, days: list[Day]) -> None:
    rows = [
        google_row(
            {
                "ad_id": d.ad_id,
                "ad_name": d.ad_name,
                "date": d.day,
                "impressions": d.impressions,
                "clicks": d.clicks,
                "cost_micros": d.spend * 1e6,
                "conversions": d.conversions,
                "conversions_value": d.revenue,
                "video_3s_views": d.views_3s,
                "video_completions": d.completions,
            }
        )
        for d in days
    ]
    ingest_rows(services, rows, source="test")


def _days(
    cid: str, label: str, ctr: float, cvr: float, n_days: int = 5, impressions: int = 4000
) -> list[Day]:
    clicks = round(impressions * ctr)
    conv = round(clicks * cvr)
    return [
        Day(
            f"{cid}-{label}",
            f"adl.{cid}.{label}",
            f"2026-03-{d + 1:02d}",
            impressions,
            clicks,
            20.0,
            conv,
            conv * 30.0,
            impressions // 4,
            impressions // 20,
        )
        for d in range(n_days)
    ]


def test_a_clearly_better_creative_wins_and_a_clearly_worse_one_loses(services: Services) -> None:
    seed_campaign(
        services,
        "c1",
        [
            {"label": "A"},
            {"label": "B", "angle": "curiosity"},
            {"label": "C", "angle": "aspirational"},
            {"label": "D"},
        ],
    )
    _ingest(
        services,
        _days("c1", "A", 0.030, 0.10)
        + _days("c1", "B", 0.015, 0.05)
        + _days("c1", "C", 0.005, 0.02)
        + _days("c1", "D", 0.015, 0.05, n_days=1, impressions=300),
    )
    verdicts = {v.label: v for v in learn(services, "c1")}
    assert verdicts["A"].verdict == "winner" and verdicts["C"].verdict == "loser"
    assert {f.metric for f in verdicts["A"].findings} == {"ctr", "cvr", "roas"}
    assert "D" not in verdicts  # below the minimum spend and impressions: not judged yet
    stored = services.documents.get("campaigns/c1/creatives/A")
    assert stored is not None and stored["performance"]["verdict"] == "winner"
    # A higher bar on spend judges nobody.
    assert judge_each_campaign(load(services), Thresholds(min_spend=500)) == []
    angles = {
        d.data["value"]: d.data
        for d in services.documents.query("patterns", [("kind", "==", "angle")])
    }
    assert (
        angles["pain_first"]["score"]
        > angles["curiosity"]["score"]
        > angles["aspirational"]["score"]
    )
    assert angles["aspirational"]["score"] >= 0.0 and angles["pain_first"]["score"] <= 1.0


def test_metrics_roll_up_by_every_dimension(services: Services) -> None:
    seed_campaign(
        services, "c1", [{"label": "A"}, {"label": "B", "language": "es", "funnel_stage": "Full"}]
    )
    _ingest(services, _days("c1", "A", 0.02, 0.1, n_days=2) + _days("c1", "B", 0.01, 0.1, n_days=2))
    dims = by_dimension(load(services))
    a = dims["creative"]["c1/A"]
    assert (a.impressions, a.clicks, a.spend) == (8000, 160, 40.0)
    assert a.ctr == 0.02 and a.cpc == 0.25 and a.cpm == 5.0
    assert a.thumb_stop == 0.25 and a.hold_rate == 0.2
    assert a.cpa is not None and a.roas is not None and abs(a.roas - 16 * 30 / 40) < 1e-9
    assert (
        set(dims["language"]) == {"en", "es"} and dims["angle"]["pain_first"].impressions == 16000
    )


ANGLES = ["pain_first", "social_proof", "curiosity", "aspirational"]
HOOKS = ["question", "pov", "number", "testimonial"]
TRUE_ANGLE = {"pain_first": 0.7, "social_proof": 1.0, "curiosity": 1.6, "aspirational": 0.5}
TRUE_HOOK = {"question": 1.0, "pov": 1.5, "number": 0.7, "testimonial": 1.1}


def test_the_ranker_learns_what_wins_and_takes_over_from_the_priors(services: Services) -> None:
    rng = np.random.default_rng(3)
    creatives, days = [], []
    for i in range(32):
        angle, hook = ANGLES[i % 4], HOOKS[(i // 4) % 4]
        cid = f"c{i // 8}"
        label = f"B{i % 8 + 1:02d}"
        creatives.append((cid, {"label": label, "angle": angle, "hook_framework": hook}))
        cvr = 0.04 * TRUE_ANGLE[angle] * TRUE_HOOK[hook]
        days += [
            Day(
                f"{cid}-{label}",
                f"adl.{cid}.{label}",
                f"2026-03-0{d + 1}",
                3000,
                int(rng.binomial(3000, 0.015)),
                25.0,
                int(rng.binomial(45, min(cvr, 1))),
                0,
                0,
                0,
            )
            for d in range(3)
        ]
    for cid in sorted({c for c, _ in creatives}):
        seed_campaign(services, cid, [c for c2, c in creatives if c2 == cid])
    _ingest(services, [Day(**{**d.__dict__, "revenue": d.conversions * 40.0}) for d in days])
    assert retrain(services, min_creatives=40).active is False
    assert services.documents.get("models/ranker") is None
    report = retrain(services, min_creatives=16)
    assert report.active and report.creatives == 32
    assert report.spearman is not None and report.spearman > 0.6
    assert report.spearman_priors is None or report.spearman > report.spearman_priors
    model = predict.load_model(services.documents)
    assert model is not None and model.name == report.name
    lift = model.roas_lift
    assert lift["angle:curiosity"] > lift["angle:social_proof"] > lift["angle:aspirational"]
    assert lift["hook:pov"] > lift["hook:number"]
    good = predict.predict({"angle": "curiosity", "hook_framework": "pov", "language": "en"}, model)
    bad = predict.predict(
        {"angle": "aspirational", "hook_framework": "number", "language": "en"}, model
    )
    assert (
        good["predicted_roas"] > 2 * bad["predicted_roas"] and good["predicted_by"] == report.name
    )


def test_the_report_has_a_table_and_a_chart(services: Services) -> None:
    assert "no performance data yet" in build_report(services, "c1").text
    seed_campaign(services, "c1", [{"label": "A"}, {"label": "B", "angle": "curiosity"}])
    _ingest(services, _days("c1", "A", 0.03, 0.1) + _days("c1", "B", 0.01, 0.05))
    learn(services, "c1")
    report = build_report(services, "c1")
    lines = report.text.splitlines()
    creatives = lines[lines.index("Creatives by ROAS") + 2 :]
    assert creatives[0].startswith("c1/A") and creatives[0].rstrip().endswith("winner")
    assert "Angles by ROAS" in report.text and "pain_first" in report.text
    assert report.png_bytes.startswith(b"\x89PNG\r\n\x1a\n") and len(report.png_bytes) > 5000
