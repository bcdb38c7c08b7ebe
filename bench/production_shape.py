"""A 50-variation campaign on the production shape against the same campaign on the embedded
default, side by side in one run. Gemini (terraform's default provider) is answered on both by the
same local Vertex AI fake, so both make the same model calls.

The production shape is the local cloud of tests/e2e: one functions-framework process per
function terraform deploys, Cloud Tasks dispatching in parallel with OIDC through a Cloud
Run-like front door, state in the Firestore emulator, assets in the GCS emulator. The embedded
default is `adloop serve`'s runtime (SQLite, folder, local queue). Both skip rendering
(bench/render.py measures renders), so what differs is the platform. Prints both wall times and
their ratio (goal: <= 1.5x).

    .venv/bin/python bench/production_shape.py [--variations 50] [--latency 1.0] [--brief ...]

Each model call takes ``--latency`` seconds on both sides (1 s by default, as in
bench/pipeline.py; real calls take longer); with 0 the figures are the platforms' overhead alone,
and the production shape's queues then wait on terraform's dispatch rate (pipeline: 5 a second).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from infra.briefs import BriefFile, load_brief  # noqa: E402
from infra.runtime import LocalRuntime, wait_for_campaign  # noqa: E402
from shared.bootstrap import bootstrap  # noqa: E402
from shared.log import configure  # noqa: E402
from shared.pipeline.campaigns import start_campaign  # noqa: E402
from shared.services import Services  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.e2e.cloud import gemini, local_cloud  # noqa: E402


def timed(services: Services, loaded: BriefFile) -> float:
    started = time.perf_counter()
    campaign = start_campaign(services, loaded.brief, images=loaded.images)
    doc = wait_for_campaign(services, campaign.id, timeout_s=1200)
    if doc["status"] != "complete":
        raise SystemExit(f"campaign {campaign.id} {doc['status']}: {doc.get('error')}")
    return time.perf_counter() - started


def embedded(brief: BriefFile, latency_s: float) -> float:
    """The same campaign on `adloop serve`'s runtime, Gemini answered by the same local fake."""
    with tempfile.TemporaryDirectory() as home, gemini(latency_s) as vertex:
        settings = Settings(
            home=Path(home),
            render=False,
            log_level="ERROR",
            llm="vertex",
            gcp_project="adloop-local",
            vertex_api_endpoint=vertex.url,
        )
        with LocalRuntime(settings) as runtime:
            runtime.wait_warm()
            return timed(runtime.services, brief)


def production_shape(brief: BriefFile, latency_s: float) -> float:
    import os

    with (
        tempfile.TemporaryDirectory() as logs,
        local_cloud(Path(logs), env={"ADLOOP_RENDER": "false"}, model_latency_s=latency_s) as cloud,
    ):
        saved = dict(os.environ)
        os.environ.update(cloud.operator_env())
        try:
            services = bootstrap(Settings())
            warm = BriefFile(brief.brief.model_copy(update={"variations": 1}), brief.images)
            timed(services, warm)  # every function answers once before the measured run
            return timed(services, brief)
        finally:
            os.environ.clear()
            os.environ.update(saved)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--variations", type=int, default=50)
    p.add_argument("--brief", type=Path, default=REPO / "examples" / "ledgerly-bookkeeping.json")
    p.add_argument(
        "--latency",
        type=float,
        default=1.0,
        help="seconds each model call takes (0: overhead only)",
    )
    args = p.parse_args()
    configure("ERROR")
    brief = load_brief(args.brief, variations=args.variations)
    local = embedded(brief, args.latency)
    print(f"embedded default (SQLite, local queue):        {local:7.1f} s")
    cloud = production_shape(brief, args.latency)
    print(f"production shape (Firestore, Cloud Tasks, CF): {cloud:7.1f} s")
    print(
        f"ratio: {cloud / local:.2f}x (goal <= 1.5x); {args.variations} variations, render off, "
        f"{args.latency:g} s a model call"
    )


if __name__ == "__main__":
    main()
