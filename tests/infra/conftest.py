"""What the consistency tests resolve terraform/ with: its defaults, and every optional
integration turned on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.deployment import Deployment, deployment

BASE = {"project": "adloop-test", "region": "europe-west4", "slack_channel": "C0DIGEST"}
SCENARIOS = {
    "defaults": BASE,
    "everything on": {
        **BASE,
        "llm": "anthropic",
        "ad_platforms": ["meta", "tiktok", "google_ads"],
        "meta_ad_account_id": "act_1234567890",
        "tiktok_advertiser_id": "7000000000000000001",
        "slack_reviewers": ["U0REVIEWER", "S0GROUP"],
    },
}


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def scenario(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Deployment]:
    """(values, what terraform deploys with them), once per scenario."""
    values = SCENARIOS[request.param]
    return values, deployment(values)
