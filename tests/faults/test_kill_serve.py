"""kill -9 of `adloop serve`, three times during a campaign, still ends with one complete set."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from shared.adapters.local_queue import SqliteTaskQueue
from shared.adapters.sqlite import SqliteDocuments
from tests.conftest import ADLOOP, EXAMPLES


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    home = Path(env["ADLOOP_HOME"])
    (home / "server.json").unlink(missing_ok=True)  # a killed server leaves its file behind
    # Its own process group, so a kill takes its render jobs too, as a machine's crash would.
    proc = subprocess.Popen(
        [ADLOOP, "serve", "--port", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90  # a loaded 2-core machine starts slowly
    while time.monotonic() < deadline:
        if (home / "server.json").exists():
            url = json.loads((home / "server.json").read_text())["url"]
            try:
                httpx.get(f"{url}/healthz", timeout=1).raise_for_status()
                return proc, url
            except httpx.HTTPError:
                pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("adloop serve did not start")


def test_three_kill_9s_during_a_campaign_end_in_one_complete_set(home: Path) -> None:
    # Two aspects make the renders last long enough to be killed in, even on a fast machine.
    env = {
        **os.environ,
        "ADLOOP_RENDER": "true",
        "ADLOOP_RENDER_TARGETS": '["9:16", "16:9"]',
        "ADLOOP_QUEUE_LEASE_S": "2",
        "ADLOOP_SWEEP_AFTER_S": "0.5",
        "ADLOOP_SWEEP_INTERVAL_S": "0.5",
        "ADLOOP_QUEUE_MIN_BACKOFF_S": "0.1",
        "ADLOOP_QUEUE_MAX_BACKOFF_S": "1",
    }
    server, _ = serve(env)
    try:
        made = subprocess.run(
            [ADLOOP, "campaign", "new", "--brief", str(EXAMPLES / "glowdrop-serum.yaml"), "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        cid = json.loads(made.stdout)["id"]
        docs = SqliteDocuments(home / "state.db")
        for _ in range(3):
            time.sleep(1.0)  # the first lands around ranking, the others in the renders
            assert (docs.get(f"campaigns/{cid}") or {}).get("status") != "complete", (
                "killed too late"
            )
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            server, _ = serve(env)
        deadline = time.monotonic() + 300
        while (docs.get(f"campaigns/{cid}") or {}).get("status") not in ("complete", "failed"):
            assert time.monotonic() < deadline, "the campaign did not finish after the kills"
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    campaign = docs.get(f"campaigns/{cid}")
    assert campaign is not None and campaign["status"] == "complete", campaign and campaign.get(
        "error"
    )
    assert [c.id for c in docs.query(f"campaigns/{cid}/creatives")] == list("ABCDEFG")
    videos = docs.query(f"campaigns/{cid}/videos")
    assert [v.id for v in videos] == ["V1", "V2", "V3", "V4", "V5"]
    assert all(v.data["render_status"] == "done" for v in videos)
    assert [sorted(v.data["assets"]) for v in videos] == [["16x9", "9x16"]] * 5
    assert campaign["usage"]["calls"] == 3, "brand, angles and the set: each counted once"
    assert docs.get(f"counters/{cid}:judge") == {"done": 7}
    assert docs.get(f"counters/{cid}:render") == {"done": 5}
    assert docs.query("outbox") == []
    assert SqliteTaskQueue(home / "queue.db").dead() == []
