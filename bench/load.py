"""A steady mix of Slack commands, reactions and ad-platform webhooks against `adloop serve`.

Starts a real `adloop serve` process on loopback (Slack pointed at a local fake Web API), makes a
campaign to report on, then for ``--seconds`` sends, open loop at fixed rates: signed Google Ads
script report deliveries of ``--rows`` rows each (one row = one ad-day event; every tenth
delivery is sent twice; Google is the platform that pushes rows, Meta and TikTok are pulled),
signed `/adloop status` commands and signed reaction events. Prints throughput, ack
latency p50/p99 per kind, and the count of lost and duplicated effects, which must be 0: every
ad-day sent is stored exactly once and the stored impressions add up to what was sent.

    .venv/bin/python bench/load.py [--seconds 20] [--deliveries 20] [--rows 100] [--slack 10]

Goals on 2 cores: webhook ingest >= 1,000 events/s; Slack acks p99 <= 250 ms under that load.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from shared.adapters.sqlite import SqliteDocuments  # noqa: E402
from shared.platforms.tracking import tracking_code  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402

SLACK_SECRET = "load-signing-secret"
GOOGLE_SECRET = "load-google-ads-secret"
ADLOOP = str(Path(sys.executable).with_name("adloop"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, slack_url: str) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    port = free_port()
    env = {
        **os.environ,
        "ADLOOP_HOME": str(home),
        "ADLOOP_RENDER": "false",
        "ADLOOP_LOG_LEVEL": "ERROR",
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-load",
        "SLACK_API_URL": slack_url,
        "GOOGLE_ADS_WEBHOOK_SECRET": GOOGLE_SECRET,
    }
    proc = subprocess.Popen(
        [ADLOOP, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/healthz", timeout=0.5).raise_for_status()
            return proc, url, env
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("adloop serve did not start")


def make_campaign(env: dict[str, str]) -> str:
    out = subprocess.run(
        [
            ADLOOP,
            "campaign",
            "new",
            "--brief",
            str(REPO / "examples/glowdrop-serum.yaml"),
            "--wait",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return str(json.loads(out.stdout)["id"])


def google_body(campaign: str, delivery: int, rows: int) -> bytes:
    """A daily report as infra/google-ads-script.js posts it: one row per ad and day."""
    labels = "ABCDEFG"
    data = [
        {
            "ad_id": f"g{delivery:05d}{r:03d}",
            "date": "2026-11-20",
            "ad_name": f"GlowDrop {tracking_code(campaign, labels[r % 7])}",
            "impressions": 1000 + r,
            "clicks": 12,
            "cost_micros": 3_500_000,
            "conversions": 1.5,
            "conversions_value": 30.0,
        }
        for r in range(rows)
    ]
    return json.dumps({"rows": data}).encode()


def google_headers(body: bytes) -> dict[str, str]:
    t = str(int(time.time()))
    s = hmac.new(GOOGLE_SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Adloop-Signature": f"t={t},s={s}", "Content-Type": "application/json"}


def slack_headers(body: str, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    sig = SignatureVerifier(SLACK_SECRET).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, "Content-Type": content_type}


def command(i: int) -> str:
    return urlencode(
        {
            "team_id": "T0LOAD",
            "channel_id": "C0LOAD",
            "user_id": "U0LOAD",
            "command": "/adloop",
            "text": "status",
            "trigger_id": f"{i}.load",
            "response_url": "http://127.0.0.1:9/x",
        }
    )


def reaction(i: int) -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0LOAD",
            "event_id": f"Ev{i:08d}",
            "event_time": int(time.time()),
            "event": {
                "type": "reaction_added",
                "user": "U0LOAD",
                "reaction": "test_tube",
                "item": {"type": "message", "channel": "C0LOAD", "ts": f"1700000000.{i:06d}"},
                "event_ts": f"{time.time():.6f}",
            },
        }
    )


class Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.local = threading.local()

    def post(self, kind: str, url: str, body: bytes, headers: dict[str, str]) -> None:
        client = getattr(self.local, "client", None) or httpx.Client(timeout=30)
        self.local.client = client
        started = time.perf_counter()
        answer = client.post(url, content=body, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latency.setdefault(kind, []).append(elapsed)
            if answer.status_code != 200:
                self.errors.append(f"{kind}: {answer.status_code} {answer.text[:120]}")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--deliveries", type=float, default=20, help="webhook deliveries per second")
    p.add_argument("--rows", type=int, default=100, help="ad-day rows per delivery")
    p.add_argument(
        "--slack", type=float, default=10, help="Slack commands and reactions per second, each"
    )
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeSlackAPI() as slack:
        home = Path(tmp) / "home"
        server, url, env = start_server(home, slack.api_url)
        try:
            campaign = make_campaign(env)
            rec = Recorder()
            schedule: list[tuple[float, str, bytes, dict[str, str], str]] = []
            n_deliveries = int(args.seconds * args.deliveries)
            for d in range(n_deliveries):
                body = google_body(campaign, d, args.rows)
                schedule.append((d / args.deliveries, "webhook", body, {}, "/webhooks/google-ads"))
                if d % 10 == 0:  # the platform retries: the same delivery again, a little later
                    schedule.append(
                        (d / args.deliveries + 0.5, "webhook", body, {}, "/webhooks/google-ads")
                    )
            for i in range(int(args.seconds * args.slack)):
                c, r = command(i), reaction(i)
                schedule.append(
                    (
                        i / args.slack,
                        "slash command",
                        c.encode(),
                        slack_headers(c, "application/x-www-form-urlencoded"),
                        "/slack/events",
                    )
                )
                schedule.append(
                    (
                        i / args.slack + 0.01,
                        "reaction",
                        r.encode(),
                        slack_headers(r, "application/json"),
                        "/slack/events",
                    )
                )
            schedule.sort(key=lambda s: s[0])
            start = time.perf_counter()
            futures: list[Future[None]] = []
            with ThreadPoolExecutor(max_workers=48) as pool:
                for at, kind, body, headers, path in schedule:
                    time.sleep(max(0.0, start + at - time.perf_counter()))
                    if kind == "webhook":
                        headers = google_headers(
                            body
                        )  # signed when sent, inside the 5-minute window
                    futures.append(pool.submit(rec.post, kind, url + path, body, headers))
                for f in futures:
                    f.result()
            wall = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=20)
        docs = SqliteDocuments(home / "state.db")
        stored = docs.query("performance", [("platform", "==", "google")])
    sent_rows = n_deliveries * args.rows
    expected_impressions = n_deliveries * sum(1000 + r for r in range(args.rows))
    stored_impressions = sum(int(d.data.get("impressions", 0)) for d in stored)
    lost = max(0, sent_rows - len(stored))
    duplicated = (
        max(0, len(stored) - sent_rows)
        + (stored_impressions != expected_impressions)
        * abs(stored_impressions - expected_impressions)
        // 1000
    )
    print(
        f"{len(schedule)} requests in {wall:.1f} s against adloop serve ({len(rec.errors)} non-200)"
    )
    for kind, values in sorted(rec.latency.items()):
        print(
            f"  {kind:<14} n={len(values):>5}  p50 {statistics.median(values):7.1f} ms  p99 {pct(values, 0.99):7.1f} ms"
        )
    print(
        f"webhook ingest: {sent_rows} ad-day events in {wall:.1f} s = {sent_rows / wall:,.0f} events/s (goal >= 1,000)"
    )
    slack_p99 = pct(rec.latency.get("slash command", [0]) + rec.latency.get("reaction", [0]), 0.99)
    print(f"slack ack p99 {slack_p99:.1f} ms (goal <= 250)")
    for e in rec.errors[:5]:
        print("  error:", e)
    print(f"lost effects {lost}, duplicated effects {duplicated} (both must be 0)")


if __name__ == "__main__":
    main()
