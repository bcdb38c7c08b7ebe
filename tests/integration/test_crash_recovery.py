"""Kill the runtime at every step boundary and inside every step, restart it, and deliver every
task twice: the campaign still ends with one complete A–G set, nothing lost, nothing doubled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from shared.adapters.local_queue import SqliteTaskQueue
from shared.adapters.sqlite import SqliteDocuments
from tests.conftest import EXAMPLES, REPO

STEPS = ["intake", "angles", "write", "validate", "govern", "judge", "rank", "finalize"]
MAPPING = {
    "A": ("Awareness", "en", "V1", False),
    "B": ("Awareness", "en", "V2", False),
    "C": ("Awareness", "en", "V3", False),
    "D": ("Mid", "en", "V4", False),
    "E": ("Mid", "en", "V4", True),
    "F": ("Conversion", "en", "V5", False),
    "G": ("Full", "es", "V4", True),
}


def run_until_done(home: Path, plan: list[str], campaign_id: str) -> tuple[int, str]:
    env = {
        **os.environ,
        "ADLOOP_HOME": str(home),
        "ADLOOP_QUEUE_LEASE_S": "1.0",
        "ADLOOP_SWEEP_AFTER_S": "0.3",
        "ADLOOP_SWEEP_INTERVAL_S": "0.2",
        "ADLOOP_QUEUE_MIN_BACKOFF_S": "0.05",
        "ADLOOP_QUEUE_MAX_BACKOFF_S": "0.5",
        "CRASH_PLAN": json.dumps(plan),
        "PYTHONPATH": str(REPO),
    }
    state = home.parent / "crash-state.json"
    brief = EXAMPLES / "glowdrop-serum.yaml"
    for restarts in range(len(plan) + 5):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.integration.crash_child",
                str(state),
                str(brief),
                campaign_id,
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if proc.returncode == 0:
            return restarts, json.loads(proc.stdout.strip().splitlines()[-1])["status"]
        assert proc.returncode == 137, proc.stderr[-3000:]
    raise AssertionError("the campaign never finished")


def test_crash_everywhere_and_double_delivery_give_one_complete_set(home: Path) -> None:
    plan = [
        f"{mode}:{step}"
        for step in STEPS
        for mode in ("inside", "committed", "answered")
        if not (mode == "committed" and step == "finalize")
    ]
    restarts, status = run_until_done(home, plan, "ccrash0001")

    assert status == "complete"
    assert restarts == len(plan), "every planned crash happened once"
    fired = json.loads((home.parent / "crash-state.json").read_text())
    assert sorted(fired) == sorted(plan)

    docs = SqliteDocuments(home / "state.db")
    campaign = docs.get("campaigns/ccrash0001")
    assert campaign is not None and campaign["status"] == "complete"
    creatives = docs.query("campaigns/ccrash0001/creatives")
    assert [c.id for c in creatives] == list("ABCDEFG")
    for c in creatives:
        stage, lang, video, reused = MAPPING[c.id]
        assert (
            c.data["funnel_stage"],
            c.data["language"],
            c.data["video_id"],
            c.data["reused"],
        ) == (stage, lang, video, reused)
        assert c.data["iteration"] == 1 and c.data["scores"]["judge"] is not None
    assert docs.get("counters/ccrash0001:judge") == {"done": 7}
    assert docs.query("outbox") == [], "every committed next task was sent"
    queue = SqliteTaskQueue(home / "queue.db")
    assert queue.dead() == [] and queue.pending() == 0
    assert campaign["usage"] == clean_usage(home.parent / "clean"), "no model call counted twice"


def clean_usage(home: Path) -> dict[str, object]:
    run_until_done(home, [], "ccrash0001")
    docs = SqliteDocuments(home / "state.db")
    campaign = docs.get("campaigns/ccrash0001")
    assert campaign is not None
    return dict(campaign["usage"])
