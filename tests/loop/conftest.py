"""Fixtures for the feedback loop: real SQLite state, a seeded campaign, and the real Flask app
with the webhook routes mounted as the lead mounts them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from pydantic import SecretStr

from infra.app import create_app
from shared.bootstrap import bootstrap
from shared.loop.steps import META_REPORT_STEP, loop_learn, loop_meta_report
from shared.loop.tiktok_report import TIKTOK_REPORT_STEP, loop_tiktok_report
from shared.models.brief import Brief
from shared.models.campaign import Campaign
from shared.models.creative import Blueprint, Creative, Scene
from shared.pipeline.runner import StepRunner
from shared.services import Services
from shared.settings import Settings
from shared.steps import FLOW
from shared.task_endpoint import SharedTokenAuth
from shared.web.webhooks import webhook_routes

SECRETS = {
    "meta_app_secret": "meta-secret",
    "meta_verify_token": "verify-me",
    "tiktok_client_secret": "tiktok-secret",
    "google_ads_webhook_secret": "gads-secret",
}
LOOP_STEPS = {
    META_REPORT_STEP: loop_meta_report,
    TIKTOK_REPORT_STEP: loop_tiktok_report,
    "loop_learn": loop_learn,
}


class LoopSettings(Settings):
    """Settings with the two Meta read settings the lead is adding (META_ACCESS_TOKEN,
    ADLOOP_META_GRAPH_URL)."""

    meta_access_token: SecretStr | None = None
    meta_graph_url: str | None = None


@pytest.fixture
def settings(home: Path) -> LoopSettings:
    return LoopSettings(home=home, render=False, **SECRETS)  # type: ignore[arg-type]


@pytest.fixture
def services(settings: LoopSettings) -> Iterator[Services]:
    services = bootstrap(settings)
    yield services
    services.close()  # the clients it built (the Marketing API's)


@pytest.fixture
def client(services: Services, settings: LoopSettings) -> Iterator[FlaskClient]:
    app = create_app(
        StepRunner(services, LOOP_STEPS, FLOW),
        SharedTokenAuth("t"),
        extra_routes=webhook_routes(services, settings, clock=lambda: 1_800_000_000.0),
    )
    yield app.test_client()


def seed_campaign(
    services: Services,
    cid: str,
    creatives: list[dict[str, Any]],
    *,
    landing_url: str | None = "https://shop.example/serum?ref=ads",
) -> None:
    """A campaign with the given creatives (label, angle, …) stored as the pipeline stores them."""
    brief = Brief(
        product="GlowDrop serum",
        offer="20% off",
        persona="busy moms",
        market="US",
        landing_url=landing_url,
    )
    services.documents.set(
        f"campaigns/{cid}", Campaign(id=cid, brief=brief).model_dump(mode="json")
    )
    for c in creatives:
        if len(c["label"]) == 3:
            bp = Blueprint(
                campaign_id=cid,
                label=c["label"],
                hook=c.get("hook", "Tired of dull skin?"),
                hook_framework=c.get("hook_framework", "question"),
                angle=c.get("angle", "pain_first"),
                segment="moms",
                language=c.get("language", "en"),
                scenes=[Scene(duration_s=2, visual="x", on_screen_text="y")],
                voiceover=c.get("voiceover", "Glow in a week."),
                cta="Shop Now",
                prompt_version="t",
                provider="offline",
            )
            doc = {**bp.model_dump(mode="json"), **{k: v for k, v in c.items() if k == "tag"}}
            services.documents.set(f"campaigns/{cid}/blueprints/{c['label']}", doc)
            continue
        cr = Creative(
            campaign_id=cid,
            label=c["label"],
            funnel_stage=c.get("funnel_stage", "Conversion"),
            language=c.get("language", "en"),
            headline=c.get("headline", "Glow in 7 days"),
            primary_text=c.get("primary_text", "Dull skin? One drop a day. 20% off."),
            cta=c.get("cta", "Shop Now"),
            video_id=c.get("video_id"),
            angle=c.get("angle", "pain_first"),
            hook=c.get("hook", "Tired of dull skin?"),
            tag=c.get("tag", "Draft"),
            prompt_version="t",
            provider="offline",
        )
        services.documents.set(
            f"campaigns/{cid}/creatives/{c['label']}", cr.model_dump(mode="json")
        )
