"""How fast does the bot acknowledge slash commands under load?

Starts the embedded runtime (``adloop serve``'s app, with ``POST /slack/events`` mounted and the
queue workers running the real pipeline) on loopback, with a local fake Slack Web API behind
``SLACK_API_URL``; then sends signed ``/adloop`` commands at a fixed rate (open loop: a slow answer
does not delay the next send) and prints the ack latency p50, p99 and max (goal: p99 <= 250 ms,
Slack's limit is 3 s). By default every command is ``/adloop new <one-line brief>``, which starts a
real campaign, so the pipeline runs beside the acks as it would in production.

    .venv/bin/python bench/slack_ack.py [--count 500] [--rate 20] [--command new|status|help]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from infra.runtime import LocalRuntime  # noqa: E402
from shared.log import configure  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402

SECRET = "bench-signing-secret"
BRIEF = "GlowDrop Vitamin C Serum; 20% off your first order; busy moms in their 30s; US"


def runtime(home: Path, slack: FakeSlackAPI) -> LocalRuntime:
    """``adloop serve``'s runtime: with Slack configured it mounts ``/slack/events`` itself."""
    settings = Settings(
        home=home,
        llm="offline",
        render=False,
        log_level="ERROR",
        slack_signing_secret=SECRET,
        slack_bot_token="xoxb-bench",
        slack_api_url=slack.api_url,
    )
    return LocalRuntime(settings).start()


def command_body(i: int, command: str) -> str:
    text = f"new {BRIEF} #{i}" if command == "new" else command
    return urlencode(
        {
            "team_id": "T0BENCH",
            "channel_id": f"C0BENCH{i % 10}",
            "user_id": "U0BENCH",
            "command": "/adloop",
            "text": text,
            "trigger_id": f"{i}.bench.trigger",
            "response_url": "http://127.0.0.1:9/unused",
        }
    )


def send(client: httpx.Client, url: str, body: str) -> float:
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body),
    }
    started = time.perf_counter()
    answer = client.post(url, content=body.encode(), headers=headers)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"ack failed: {answer.status_code} {answer.text[:200]}")
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=500)
    p.add_argument("--rate", type=float, default=20.0, help="commands per second")
    p.add_argument("--command", choices=("new", "status", "help"), default="new")
    args = p.parse_args()
    configure("ERROR")
    with tempfile.TemporaryDirectory() as tmp, FakeSlackAPI() as slack:
        rt = runtime(Path(tmp) / "home", slack)
        url = f"{rt.url}/slack/events"
        local = threading.local()

        def one(i: int) -> float:
            if not hasattr(local, "client"):
                local.client = httpx.Client(timeout=10)
            return send(local.client, url, command_body(i, args.command))

        send(httpx.Client(), url, command_body(-1, "help"))  # warm up: Bolt's first auth.test
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=32) as pool:
            futures = []
            for i in range(args.count):
                time.sleep(max(0.0, start + i / args.rate - time.perf_counter()))
                futures.append(pool.submit(one, i))
            latencies = sorted(f.result() * 1000 for f in futures)
        wall = time.perf_counter() - start
        campaigns = len(rt.services.documents.query("campaigns"))
        rt.stop()
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    print(
        f"{args.count} signed `/adloop {args.command}` commands at {args.rate:g}/s in {wall:.1f} s "
        f"({campaigns} campaigns started, pipeline running alongside)"
    )
    print(
        f"ack latency ms: p50 {statistics.median(latencies):.1f}  p99 {p99:.1f}  "
        f"max {latencies[-1]:.1f}  (goal: p99 <= 250)"
    )


if __name__ == "__main__":
    main()
