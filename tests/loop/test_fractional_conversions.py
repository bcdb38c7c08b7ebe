"""Google reports ``metrics.conversions`` as a double (data-driven attribution gives a click part
of a conversion): 1.5 conversions are stored, added up, judged and reported as 1.5, never 2."""

from __future__ import annotations

import numpy as np

from shared.loop.ingest import ingest_rows
from shared.loop.metrics import load
from shared.loop.report import build_report
from shared.loop.winners import p_beats
from shared.platforms.google import google_row
from shared.services import Services
from tests.loop.conftest import seed_campaign


def _row(day: str, conversions: float, value: float) -> dict[str, object]:
    return {
        "ad_id": "42",
        "ad_name": "adl.c1.A",
        "date": day,
        "impressions": 1500,
        "clicks": 30,
        "cost_micros": 12_500_000,
        "conversions": conversions,
        "conversions_value": value,
    }


def test_fractional_conversions_are_stored_summed_and_reported_as_decimals(
    services: Services,
) -> None:
    seed_campaign(services, "c1", [{"label": "A"}])
    rows = [google_row(_row("2026-03-01", 1.5, 45.0)), google_row(_row("2026-03-02", 0.25, 7.5))]
    assert rows[0].snapshot.conversions == 1.5
    ingest_rows(services, rows, source="test")
    stored = services.documents.get("performance/google:42:2026-03-01")
    assert stored is not None and stored["conversions"] == 1.5
    [totals] = load(services, "c1").per_creative().values()
    assert totals.conversions == 1.75
    assert totals.cpa is not None and abs(totals.cpa - 25.0 / 1.75) < 1e-9
    line = next(
        ln for ln in build_report(services, "c1").text.splitlines() if ln.startswith("c1/A")
    )
    assert " 1.75 " in line


def test_more_conversions_than_clicks_is_a_rate_of_one_not_an_error() -> None:
    # "Every" conversion counting lets one click bring two purchases: 3.5 conversions, 2 clicks.
    rng = np.random.default_rng(7)
    assert p_beats((3.5, 2.0), (0.5, 10.0), rng, 2000) > 0.9
