"""How close does a 50-variation campaign run to its critical path?

A local fake Anthropic API (the real SDK talks to it over HTTP) answers every call after a
fixed latency. The critical path is the number of model calls that must happen one after
another (brand -> angles -> write -> one blueprint; the 50 blueprints run side by side) times
that latency. Prints the wall time, the critical path and their ratio (goal: <= 1.25x).

    .venv/bin/python bench/pipeline.py [--latency 1.0] [--variations 50] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from infra.briefs import load_brief  # noqa: E402
from infra.runtime import LocalRuntime, wait_for_campaign  # noqa: E402
from shared.log import configure  # noqa: E402
from shared.pipeline.campaigns import campaign_view, start_campaign  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.fakes import Answer, FakeAnthropicAPI, RecordedRequest  # noqa: E402
from tests.fakes.anthropic_api import prompt_of  # noqa: E402
from tests.fakes.model_brain import answer  # noqa: E402

SEQUENTIAL_CALLS = 4  # brand, angles, write, then one blueprint (all blueprints in parallel)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--latency", type=float, default=1.0)
    p.add_argument("--variations", type=int, default=50)
    p.add_argument("--concurrency", type=int, default=64)
    args = p.parse_args()
    configure("ERROR")

    def brain(request: RecordedRequest) -> Answer:
        return Answer(answer(prompt_of(request)))

    with (
        FakeAnthropicAPI(responder=brain, latency_s=args.latency) as fake,
        tempfile.TemporaryDirectory() as home,
    ):
        settings = Settings(
            home=Path(home),
            llm="anthropic",
            anthropic_api_key="sk-ant-bench",
            anthropic_base_url=fake.url,
            queue_concurrency=args.concurrency,
            render=False,  # the copy pipeline is measured here; bench/render.py measures renders
        )
        loaded = load_brief(REPO / "examples" / "glowdrop-serum.yaml", variations=args.variations)
        with LocalRuntime(settings) as rt:
            rt.wait_warm()  # a running server has loaded its models; measure the campaign alone
            started = time.perf_counter()
            campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
            wait_for_campaign(rt.services, campaign.id, timeout_s=600)
            wall = time.perf_counter() - started
            view = campaign_view(rt.services, campaign.id)
        calls = len(fake.requests)

    critical = SEQUENTIAL_CALLS * args.latency
    print(
        f"status            {view['status']} ({len(view['creatives'])} ads, {len(view['blueprints'])} blueprints)"
    )
    print(
        f"model calls       {calls} at {args.latency:.2f} s each ({calls * args.latency:.1f} s if run one by one)"
    )
    print(f"critical path     {critical:.2f} s ({SEQUENTIAL_CALLS} sequential calls)")
    print(f"wall time         {wall:.2f} s")
    print(f"ratio             {wall / critical:.2f}x (goal <= 1.25x)")


if __name__ == "__main__":
    main()
