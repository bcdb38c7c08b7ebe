"""Does the loop learn? Several campaign rounds against a hidden ground truth of which angles
and hook structures win.

Each round: a campaign on the real embedded runtime (offline engine, ADLOOP_RENDER=false) ->
export to Meta, TikTok and Google sheets -> the "platforms" run the ads with a budget split by
adloop's predicted ROAS, and report back through the real webhook endpoints over loopback HTTP
(Google pushes signed reports through the webhook; adloop pulls TikTok's integrated report from a
local Reporting API and polls Meta's insights report on a local Marketing API, as in production) -> ingest, winners, patterns -> the scheduled ranker retrain -> next round.

Prints, per round, the Spearman correlation of predicted against true ROAS over the round's
creatives and the share of budget spent on the true winners (the top quarter by true ROAS).

    .venv/bin/python bench/loop.py [--rounds 4] [--variations 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from pydantic import SecretStr
from scipy.stats import spearmanr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from infra.app import create_app  # noqa: E402
from infra.briefs import load_brief  # noqa: E402
from infra.runtime import LocalRuntime, wait_for_campaign  # noqa: E402
from shared.adapters.meta_marketing import MetaInsightsClient  # noqa: E402
from shared.bootstrap import local_task_token  # noqa: E402
from shared.creative.offline.phrases import SET_FRAMEWORKS  # noqa: E402
from shared.log import configure  # noqa: E402
from shared.loop.export import export_command  # noqa: E402
from shared.loop.ranker import retrain  # noqa: E402
from shared.loop.steps import request_meta_report  # noqa: E402
from shared.loop.tiktok_report import TIKTOK_REPORT_STEP  # noqa: E402
from shared.pipeline.campaigns import campaign_view, start_campaign  # noqa: E402
from shared.pipeline.runner import StepRunner  # noqa: E402
from shared.ports.queue import Task  # noqa: E402
from shared.settings import Settings  # noqa: E402
from shared.steps import FLOW, STEPS  # noqa: E402
from shared.task_endpoint import SharedTokenAuth  # noqa: E402
from shared.web.webhooks import webhook_routes  # noqa: E402
from tests.fakes.meta_graph_api import FakeGraph, meta_graph_server  # noqa: E402
from tests.fakes.tiktok_business_api import (  # noqa: E402
    ADVERTISER,
    TOKEN,
    FakeTikTokReports,
    tiktok_server,
)
from tests.loop.platforms import (  # noqa: E402
    Day,
    google_body,
    hub_signature,
    meta_completion,
    meta_row,
    timed_signature,
)
from tests.media.rendered import give_rendered_videos  # noqa: E402

# The hidden truth: ROAS multipliers the loop never sees.
TRUE_ANGLE = {
    "curiosity": 1.9,
    "us_vs_them": 1.6,
    "contrarian": 1.3,
    "objection": 1.0,
    "aspirational": 0.9,
    "offer_urgency": 0.75,
    "social_proof": 0.6,
    "pain_first": 0.5,
}
TRUE_HOOK = {
    "pov": 1.6,
    "contrarian": 1.4,
    "number": 1.2,
    "how_to": 1.0,
    "question": 0.95,
    "curiosity": 0.9,
    "testimonial": 0.8,
    "proof": 0.8,
    "offer": 0.7,
    "pattern_interrupt": 0.65,
}
BASE_ROAS, CPM, AOV, BUDGET, DAYS = 1.6, 12.0, 40.0, 9000.0, 5
SECRETS = {"tiktok": "tiktok-secret", "google": "gads-secret", "meta": "meta-secret"}


class BenchSettings(Settings):
    meta_access_token: SecretStr | None = None
    meta_graph_url: str | None = None


def truth(item: dict[str, Any], rng: np.random.Generator) -> tuple[float, float]:
    """(true ROAS, true CTR) of a creative: angle x hook x a creative-level draw."""
    hook = item.get("hook_framework") or SET_FRAMEWORKS.get(item["label"], "question")
    roas = BASE_ROAS * TRUE_ANGLE.get(item.get("angle") or "", 1.0) * TRUE_HOOK.get(hook, 1.0)
    roas *= math.exp(rng.normal(0, 0.12))
    ctr = 0.012 * TRUE_HOOK.get(hook, 1.0) ** 0.5 * math.exp(rng.normal(0, 0.1))
    return roas, ctr


def platform_of(label: str) -> str:
    """Where a creative runs: the A-G ads (they have videos) on Meta and TikTok in turn, the
    blueprint variations on Google."""
    if len(label) == 1:
        return "meta" if (ord(label) - ord("A")) % 2 == 0 else "tiktok"
    return "google"


def ad_names(out: Path) -> dict[str, dict[str, str]]:
    """Label -> ad name, per platform, read back from the exported sheets (what was uploaded)."""
    sheets = {
        "meta": ("meta-ads-import.csv", "Ad Name"),
        "tiktok": ("tiktok-bulk-ads.csv", "Ad Name"),
        "google": ("google-ads-editor-pmax.csv", "Asset Group"),
    }
    names: dict[str, dict[str, str]] = {}
    for platform, (file, col) in sheets.items():
        with (out / file).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if not row[col]:
                    continue  # a campaign or location row (Google's sheet has them)
                label = row[col].split()[0].rsplit(".", 1)[-1]
                names.setdefault(platform, {}).setdefault(label, row[col])
    return names


def simulate(
    items: list[dict[str, Any]],
    names: dict[str, dict[str, str]],
    rng: np.random.Generator,
    round_no: int,
) -> tuple[dict[str, list[Day]], dict[str, float], dict[str, float]]:
    """Per platform, the days each ad ran; and each creative's budget share and true ROAS."""
    predicted = np.array([float(i["scores"]["predicted_roas"]) for i in items])
    weights = predicted**3
    share = weights / weights.sum()
    days: dict[str, list[Day]] = {"meta": [], "tiktok": [], "google": []}
    true_roas = {}
    for item, s in zip(items, share, strict=True):
        roas, ctr = truth(item, rng)
        true_roas[item["label"]] = roas
        # A creative without a video of its own is in Google's sheet only (Meta and TikTok run
        # video ads): it runs where it was exported.
        platform = next(
            p for p in (platform_of(item["label"]), "google") if item["label"] in names[p]
        )
        cvr = min(0.9, roas * CPM / (1000 * ctr * AOV))
        for d in range(DAYS):
            spend = BUDGET * s / DAYS
            imp = int(spend / CPM * 1000)
            clicks = int(rng.binomial(imp, ctr))
            conv = int(rng.binomial(clicks, cvr))
            views = int(rng.binomial(imp, 0.3))
            days[platform].append(
                Day(
                    f"{platform}-{round_no}-{item['label']}",
                    names[platform][item["label"]],
                    f"2026-0{round_no}-{d + 10}",
                    imp,
                    clicks,
                    round(spend, 2),
                    conv,
                    round(conv * AOV, 2),
                    views,
                    int(rng.binomial(views, 0.25)),
                )
            )
    return days, dict(zip([i["label"] for i in items], share.tolist(), strict=True)), true_roas


def tiktok_report_row(d: Day) -> dict[str, Any]:
    """A row of TikTok's integrated report (BASIC, AUCTION_AD, by ad and day)."""
    return {
        "dimensions": {"ad_id": d.ad_id, "stat_time_day": f"{d.day} 00:00:00"},
        "metrics": {
            "ad_name": d.ad_name,
            "impressions": str(d.impressions),
            "clicks": str(d.clicks),
            "spend": f"{d.spend:.2f}",
            "complete_payment": str(d.conversions),
            "total_complete_payment_rate": f"{d.revenue:.2f}",
            "video_watched_2s": str(d.views_3s),
            "video_views_p100": str(d.completions),
        },
    }


def deliver(
    url: str,
    graph: FakeGraph,
    tiktok: FakeTikTokReports,
    graph_url: str,
    rt: LocalRuntime,
    cid: str,
    days: dict[str, list[Day]],
) -> None:
    """Send each platform's report through the webhook endpoints, as the platforms would."""
    now = int(time.time())
    with httpx.Client(base_url=url, timeout=30) as http:
        for day in sorted({d.day for d in days["google"]}):  # one daily report each
            body = google_body([d for d in days["google"] if d.day == day])
            for _ in range(2):  # platforms redeliver; it must count once
                http.post(
                    "/webhooks/google-ads",
                    content=body,
                    headers={"X-Adloop-Signature": timed_signature(SECRETS["google"], body, now)},
                ).raise_for_status()
        # TikTok pushes no figures: the scheduled pull reads its integrated report, twice (a
        # later pull re-reads the same days), and each ad-day counts once.
        tiktok.rows = [tiktok_report_row(d) for d in days["tiktok"]]
        span = sorted({d.day for d in days["tiktok"]})
        for n in range(2 if span else 0):
            rt.queue.enqueue(
                Task(
                    cid,
                    TIKTOK_REPORT_STEP,
                    f"{span[0]}..{span[-1]}@bench{n}",
                    {"advertiser_id": ADVERTISER, "start_date": span[0], "end_date": span[-1]},
                    queue="feedback",
                )
            )
        graph.rows_for = lambda account, since, until: [meta_row(d) for d in days["meta"]]
        meta = MetaInsightsClient("meta-token", base_url=graph_url)
        rid = request_meta_report(
            rt.services, meta, cid, "1234", since="2026-01-01", until="2026-12-31"
        )
        meta.close()
        body = meta_completion("act_1234", rid)  # a hint: the report's polling is queued already
        http.post(
            "/webhooks/meta",
            content=body,
            headers={"X-Hub-Signature-256": hub_signature("meta-secret", body)},
        ).raise_for_status()


def drain(rt: LocalRuntime, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        counts = rt.queue.counts()
        if not counts.get("queued") and not counts.get("leased"):
            return
        time.sleep(0.1)
    raise TimeoutError(f"the feedback queue did not drain: {rt.queue.counts()}")


def run_round(
    rt: LocalRuntime,
    graph: FakeGraph,
    tiktok: FakeTikTokReports,
    graph_url: str,
    round_no: int,
    variations: int,
    rng: np.random.Generator,
    work: Path,
) -> tuple[float, float, str]:
    loaded = load_brief(REPO / "examples" / "glowdrop-serum.yaml", variations=variations)
    campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
    doc = wait_for_campaign(rt.services, campaign.id, timeout_s=300)
    assert doc["status"] == "complete", doc.get("error")
    view = campaign_view(rt.services, campaign.id)
    items = view["creatives"] + view["blueprints"]
    out = work / campaign.id
    # What the render job leaves (the bench does not render): a 9:16 video per video prompt.
    give_rendered_videos(rt.services, campaign.id, work)
    for platform in ("meta", "tiktok", "google"):
        export_command(rt.services, campaign.id, platform, out, include_all=True)
    days, share, true_roas = simulate(items, ad_names(out), rng, round_no)
    deliver(rt.url, graph, tiktok, graph_url, rt, campaign.id, days)
    drain(rt)
    labels = [i["label"] for i in items]
    rho = float(
        spearmanr(
            [i["scores"]["predicted_roas"] for i in items], [true_roas[lb] for lb in labels]
        ).statistic
    )
    cut = np.quantile(list(true_roas.values()), 0.75)
    on_winners = sum(share[lb] for lb in labels if true_roas[lb] >= cut)
    report = retrain(rt.services)  # the scheduled retrain, after the round's reports
    held = (
        "-"
        if report.spearman is None
        else f"{report.spearman:+.2f} (priors {report.spearman_priors or 0:+.2f})"
    )
    return rho, on_winners, f"ranker {report.name}, held-out {held}"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--variations", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    configure("ERROR")
    rng = np.random.default_rng(args.seed)
    graph = FakeGraph(page_size=25)
    tiktok = FakeTikTokReports()
    with (
        meta_graph_server(graph) as server,
        tiktok_server(tiktok) as tiktok_api,
        tempfile.TemporaryDirectory() as home,
    ):
        settings = BenchSettings(
            home=Path(home),
            render=False,
            llm="offline",
            meta_app_secret="meta-secret",
            tiktok_client_secret="tiktok-secret",
            google_ads_webhook_secret="gads-secret",
            meta_verify_token="v",
            meta_access_token=SecretStr("meta-token"),
            meta_graph_url=server.url,
            meta_page_id="1234567890",
            meta_report_poll_s=0.5,
            tiktok_access_token=SecretStr(TOKEN),
            tiktok_advertiser_id=ADVERTISER,
            tiktok_api_url=tiktok_api.url,
        )  # type: ignore[arg-type]
        rt = LocalRuntime(settings)
        # The runtime serves every step already (shared/steps.py); its routes go on the app.
        rt.runner = StepRunner(rt.services, STEPS, FLOW)
        rt.app = create_app(
            rt.runner,
            SharedTokenAuth(local_task_token(settings)),
            extra_routes=webhook_routes(rt.services, settings),
        )
        results = []
        with rt, tempfile.TemporaryDirectory() as work:
            for r in range(1, args.rounds + 1):
                rho, share, note = run_round(
                    rt, graph, tiktok, server.url, r, args.variations, rng, Path(work)
                )
                results.append((rho, share))
                print(
                    f"round {r}: rank correlation {rho:+.2f}, "
                    f"budget on true winners {share:.0%}  [{note}]",
                    flush=True,
                )
            stored = rt.services.documents.query("performance")
            snaps = len(stored)
            by_platform = {
                p: sum(d.data["platform"] == p for d in stored)
                for p in ("meta", "tiktok", "google")
            }
            unmatched = len(rt.services.documents.query("unmatched"))
    first, last = results[0], results[-1]
    print(
        f"{snaps} snapshots stored once each from doubled deliveries and pulls "
        f"({', '.join(f'{p} {n}' for p, n in by_platform.items())}), {unmatched} unmatched"
    )
    print(
        f"final after {args.rounds} rounds: rank correlation {first[0]:+.2f} -> {last[0]:+.2f}, "
        f"budget on true winners {first[1]:.0%} -> {last[1]:.0%}"
    )


if __name__ == "__main__":
    main()
