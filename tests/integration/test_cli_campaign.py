"""The README's promise: a brief in, a stored A–G set out, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from tests.conftest import ADLOOP, EXAMPLES

SEED_000 = [
    ("A", "Awareness", "en", "V1", False),
    ("B", "Awareness", "en", "V2", False),
    ("C", "Awareness", "en", "V3", False),
    ("D", "Mid", "en", "V4", False),
    ("E", "Mid", "en", "V4", True),
    ("F", "Conversion", "en", "V5", False),
    ("G", "Full", "es", "V4", True),
]


def adloop(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [ADLOOP, *args], capture_output=True, text=True, timeout=180, env=os.environ
    )
    if check:
        assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def mapping(view: dict) -> list[tuple]:
    return [
        (c["label"], c["funnel_stage"], c["language"], c["video_id"], c["reused"])
        for c in view["creatives"]
    ]


def test_new_then_show_gives_seed_000_set(home: Path) -> None:
    made = json.loads(
        adloop(
            "campaign", "new", "--brief", str(EXAMPLES / "glowdrop-serum.yaml"), "--wait", "--json"
        ).stdout
    )
    assert made["status"] == "complete"
    assert mapping(made) == SEED_000
    # The brief's product image (assets/glowdrop-bottle.png) was uploaded as the campaign's blob.
    assert made["product_images"] == [f"campaigns/{made['id']}/inputs/product-1.png"]
    assert str(EXAMPLES) not in json.dumps(made), "no path of this machine is stored"
    for c in made["creatives"]:
        assert c["headline"] and c["primary_text"] and c["cta"]
        assert len(c["headline"]) <= 30
        assert c["provider"] == "offline", "the offline engine says that it wrote the copy"
    shown = json.loads(adloop("campaign", "show", made["id"], "--json").stdout)
    assert shown["status"] == "complete"
    assert shown["creatives"] == made["creatives"]
    # A person reading the plain view is told who wrote the copy, not only the JSON.
    plain = adloop("campaign", "show", made["id"]).stdout
    assert plain.splitlines()[0] == (
        f"campaign {made['id']}: complete (written by the offline engine: the brief's own words,"
        " no model)"
    )


def test_json_brief_from_another_industry(home: Path) -> None:
    made = json.loads(
        adloop(
            "campaign",
            "new",
            "--brief",
            str(EXAMPLES / "ledgerly-bookkeeping.json"),
            "--wait",
            "--json",
        ).stdout
    )
    assert mapping(made) == SEED_000
    assert any("Ledgerly" in c["primary_text"] for c in made["creatives"])


def test_bad_brief_lists_every_missing_field(home: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text("product: Thing\nvariations: 70\n")
    proc = adloop("campaign", "new", "--brief", str(brief), check=False)
    assert proc.returncode == 2
    for field in ("brief.offer", "brief.persona", "brief.market", "brief.variations"):
        assert field in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (home / "state.db").exists() or "campaigns" not in adloop("campaign", "list").stdout


def test_campaign_new_hands_work_to_a_running_server(home: Path) -> None:
    server = subprocess.Popen(
        [ADLOOP, "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "TIKTOK_CLIENT_SECRET": "tiktok-test-secret"},
    )
    try:
        deadline = time.monotonic() + 30
        while not (home / "server.json").exists():
            assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
            time.sleep(0.1)
        url = json.loads((home / "server.json").read_text())["url"]
        made = json.loads(
            adloop(
                "campaign",
                "new",
                "--brief",
                str(EXAMPLES / "glowdrop-serum.yaml"),
                "--wait",
                "--json",
            ).stdout
        )
        assert made["status"] == "complete" and len(made["creatives"]) == 7
        # Uploaded by the CLI into the server's blobs: the server reads no path from the brief.
        blob = home / "blobs" / "campaigns" / made["id"] / "inputs" / "product-1.png"
        assert blob.read_bytes() == (EXAMPLES / "assets" / "glowdrop-bottle.png").read_bytes()
        import httpx

        assert httpx.get(f"{url}/healthz").json() == {"ok": True}
        assert httpx.post(f"{url}/webhooks/tiktok", content=b"{}").status_code == 401, "unsigned"
        assert httpx.post(f"{url}/slack/events").status_code == 503, "Slack not configured"
        assert httpx.post(f"{url}/tasks/intake", json={}).status_code == 401, "tasks need the token"
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert not (home / "server.json").exists()


def test_fifty_variations_have_fifty_hooks_all_validated_scored_and_ranked(home: Path) -> None:
    made = json.loads(
        adloop(
            "campaign",
            "new",
            "--brief",
            str(EXAMPLES / "glowdrop-serum.yaml"),
            "--variations",
            "50",
            "--wait",
            "--json",
        ).stdout
    )
    assert made["status"] == "complete"
    assert mapping(made) == SEED_000
    blueprints = made["blueprints"]
    assert [b["label"] for b in blueprints] == [f"B{i:02d}" for i in range(1, 51)]
    assert len({b["hook"].lower() for b in blueprints}) == 50
    assert {b["language"] for b in blueprints} == {"en", "es"}
    for b in blueprints:
        assert len(b["hook"].split()) <= 8
        assert 6 <= sum(s["duration_s"] for s in b["scenes"]) <= 60
        s = b["scores"]
        assert 0 <= s["brand"] <= 1 and isinstance(s["findings"], list)
        assert len(s["judges"]) >= 5 and 0 <= s["judge"] <= 100
        assert (
            s["predicted_roas_interval"][0] < s["predicted_roas"] < s["predicted_roas_interval"][1]
        )
    ranks = sorted(x["scores"]["rank"] for x in [*made["creatives"], *blueprints])
    assert ranks == list(range(1, 58))


def test_lint_copy_prints_one_verdict_per_line(home: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.jsonl"
    lines = [
        {
            "id": "ok",
            "text": "Bright skin in one minute a day. 20% off your first order.",
            "platform": "meta",
            "language": "en",
        },
        {
            "id": "bad",
            "text": "Are you overweight? Lose 10 lbs GUARANTEED!!",
            "platform": "meta",
            "language": "en",
        },
        {
            "id": "es",
            "text": "¿Tienes sobrepeso? Resultados garantizados.",
            "platform": "tiktok",
            "language": "es",
        },
    ]
    copy.write_text("\n".join(json.dumps(line) for line in lines) + "\n{not json\n")
    proc = adloop("lint-copy", str(copy), check=False)
    assert proc.returncode == 1
    verdicts = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [v["id"] for v in verdicts[:3]] == ["ok", "bad", "es"]
    assert verdicts[0]["ok"] is True and verdicts[0]["findings"] == []
    rules = {f["rule"] for f in verdicts[1]["findings"]}
    assert {"personal_attributes", "guaranteed_results"} <= rules
    assert all(f["span"] in lines[1]["text"] for f in verdicts[1]["findings"])
    assert verdicts[2]["ok"] is False
    assert verdicts[3]["ok"] is False and verdicts[3]["findings"][0]["rule"] == "input"


def test_lint_copy_dash_reads_standard_input(home: Path, tmp_path: Path) -> None:
    lines = [
        {"id": "ok", "text": "Try GlowDrop today.", "platform": "meta", "language": "en"},
        {"id": "text-list", "text": [["x"]], "platform": "meta", "language": "en"},
    ]
    proc = subprocess.run(
        [ADLOOP, "lint-copy", "-"],
        input="\n".join(json.dumps(line) for line in lines) + "\n" + "[" * 100_000,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
        cwd=tmp_path,  # no file named "-" here: it opened one before
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    verdicts = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(v["id"], v["ok"]) for v in verdicts] == [
        ("ok", True),
        ("text-list", False),
        (None, False),
    ]
    assert "nested too deeply" in verdicts[2]["findings"][0]["reason"]


def test_retry_sends_again_what_the_queue_gave_up_on(home: Path) -> None:
    from shared.adapters.local_queue import RetryPolicy, SqliteTaskQueue
    from shared.ports.queue import Task

    made = json.loads(
        adloop("campaign", "new", "--brief", str(EXAMPLES / "glowdrop-serum.yaml"), "--json").stdout
    )
    assert made["status"] == "complete"
    nothing = adloop("campaign", "retry", made["id"], check=False)
    assert nothing.returncode == 2 and "nothing to retry" in nothing.stderr
    # A task the queue gave up on (its retries spent while, say, the machine was down).
    queue = SqliteTaskQueue(home / "queue.db", RetryPolicy(max_attempts=1))
    task = Task(made["id"], "judge", "A", attempt=9)
    queue.enqueue(task)
    lease = queue.lease()
    assert lease is not None
    queue.fail(lease, "HTTP 503: down", retry=True, retry_after=None)
    assert [d["name"] for d in queue.dead()] == [task.name]
    resumed = adloop("campaign", "retry", made["id"])
    assert "1 task(s) the queue had given up on" in resumed.stderr
    assert queue.dead() == [] and queue.pending() == 0
