"""A 50-variation campaign on the production shape against the same campaign on the embedded
default, side by side in one run. Gemini (terraform's default provider) is answered on both by the
same local Vertex AI fake, so both make the same model calls.

The production shape is the local cloud of tests/e2e: one functions-framework process per
function terraform deploys, Cloud Tasks dispatching in parallel with OIDC through a Cloud
Run-like front door, state in the Firestore emulator, assets in the GCS emulator. The embedded
default is `adloop serve`'s runtime (SQLite, folder, local queue). Both skip rendering
(bench/render.py measures renders), and both post the campaign to the operations channel of the
same kind of local Slack Web API: terraform makes that channel a required variable, so every
production campaign is posted there, and the embedded default is given the same channel and token
(Slack's pacing of one message a second per channel then costs both sides the same). What differs
is the platform. Prints both wall times, the messages each posted, and the ratio (goal: <= 1.5x).

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

from pydantic import SecretStr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from infra.briefs import BriefFile, load_brief  # noqa: E402
from infra.runtime import LocalRuntime, wait_for_campaign  # noqa: E402
from shared.bootstrap import bootstrap  # noqa: E402
from shared.log import configure  # noqa: E402
from shared.pipeline.campaigns import start_campaign  # noqa: E402
from shared.services import Services  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.e2e.cloud import REQUIRED_VARIABLES, SECRETS, gemini, local_cloud  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402


def timed(services: Services, loaded: BriefFile) -> float:
    started = time.perf_counter()
    campaign = start_campaign(services, loaded.brief, images=loaded.images)
    doc = wait_for_campaign(services, campaign.id, timeout_s=1200)
    if doc["status"] != "complete":
        raise SystemExit(f"campaign {campaign.id} {doc['status']}: {doc.get('error')}")
    return time.perf_counter() - started


def posted(slack: FakeSlackAPI) -> int:
    return len(slack.calls("chat.postMessage"))


def embedded(brief: BriefFile, latency_s: float) -> tuple[float, int]:
    """The same campaign on `adloop serve`'s runtime: Gemini answered by the same local fake, and
    posted to the same operations channel as the production shape's (terraform's slack_channel)."""
    with tempfile.TemporaryDirectory() as home, gemini(latency_s) as vertex:
        slack = FakeSlackAPI().start()
        try:
            settings = Settings(
                home=Path(home),
                render=False,
                log_level="ERROR",
                llm="vertex",
                gcp_project="adloop-local",
                vertex_api_endpoint=vertex.url,
                slack_bot_token=SecretStr(SECRETS["SLACK_BOT_TOKEN"]),
                slack_api_url=slack.api_url,
                slack_channel=REQUIRED_VARIABLES["slack_channel"],
            )
            with LocalRuntime(settings) as runtime:
                runtime.wait_warm()
                return timed(runtime.services, brief), posted(slack)
        finally:
            slack.stop()


def production_shape(brief: BriefFile, latency_s: float, logs: Path | None) -> tuple[float, int]:
    import os

    with (
        tempfile.TemporaryDirectory() as scratch,
        local_cloud(
            logs or Path(scratch), env={"ADLOOP_RENDER": "false"}, model_latency_s=latency_s
        ) as cloud,
    ):
        saved = dict(os.environ)
        os.environ.update(cloud.operator_env())
        try:
            services = bootstrap(Settings())
            warm = BriefFile(brief.brief.model_copy(update={"variations": 1}), brief.images)
            timed(services, warm)  # every function answers once before the measured run
            before = posted(cloud.slack)
            seconds = timed(services, brief)
            return seconds, posted(cloud.slack) - before
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
    p.add_argument("--logs", type=Path, help="keep the local cloud's logs in this folder")
    args = p.parse_args()
    configure("ERROR")
    brief = load_brief(args.brief, variations=args.variations)
    local, local_posts = embedded(brief, args.latency)
    print(
        f"embedded default (SQLite, local queue):        {local:7.1f} s, {local_posts} Slack posts"
    )
    cloud, cloud_posts = production_shape(brief, args.latency, args.logs)
    print(
        f"production shape (Firestore, Cloud Tasks, CF): {cloud:7.1f} s, {cloud_posts} Slack posts"
    )
    print(
        f"ratio: {cloud / local:.2f}x (goal <= 1.5x); {args.variations} variations, render off, "
        f"{args.latency:g} s a model call"
    )


if __name__ == "__main__":
    main()
