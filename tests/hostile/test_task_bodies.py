"""Hostile calls to ``POST /tasks/<step>``: without the local task token, 401 and nothing runs;
with it, a body that is not a task is a 4xx (the queue stops retrying) naming the problem; an
unknown step or campaign is a 404 that writes nothing. No 5xx, no stack trace in the answer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from infra.runtime import LocalRuntime
from shared.settings import Settings
from tests.hostile.conftest import document_counts, state_counts

TOKEN = "local-task-token-for-hostile-tests"


@pytest.fixture(scope="module")
def tasks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FlaskClient, Path]]:
    """The embedded runtime's own Flask app (real runner, real shared-token auth), unstarted."""
    home = tmp_path_factory.mktemp("hostile-tasks")
    runtime = LocalRuntime(Settings(home=home, render=False, task_token=TOKEN))  # type: ignore[arg-type]
    yield runtime.app.test_client(), home


def _check(answer: Any, statuses: tuple[int, ...]) -> None:
    text = answer.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text, text[:400]
    assert answer.status_code in statuses, (answer.status_code, text[:300])
    assert "error" in (answer.get_json() or {}), "a refusal says why"


GOOD = json.dumps({"campaign_id": "c-none", "step": "intake", "key": "k"}).encode()

AUTH = [
    ("missing", None),
    ("empty", ""),
    ("no-bearer", TOKEN),
    ("lowercase-bearer", f"bearer {TOKEN}"),
    ("basic", f"Basic {TOKEN}"),
    ("wrong", "Bearer guess"),
    ("prefix", f"Bearer {TOKEN[:-1]}"),
    ("suffix", f"Bearer {TOKEN}x"),
    ("padded", f"Bearer  {TOKEN}"),
    ("two-tokens", f"Bearer {TOKEN}, Bearer {TOKEN}"),
    ("unicode", "Bearer \u00e9\u00e9"),
    ("oidc-looking", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6InEifQ.c2ln"),
]


@pytest.mark.parametrize("header", [h for _, h in AUTH], ids=[n for n, _ in AUTH])
def test_task_calls_without_the_local_token_are_401(tasks: Any, header: str | None) -> None:
    client, home = tasks
    before = document_counts(home)
    headers = {} if header is None else {"Authorization": header}
    answer = client.post("/tasks/intake", data=GOOD, headers=headers)
    _check(answer, (401,))
    assert document_counts(home) == before, "an unauthenticated call ran nothing"


BODIES = [
    ("empty", b""),
    ("truncated", b'{"campaign_id": "c1", "step": '),
    ("null", b"null"),
    ("list", b'["c1", "intake", "k"]'),
    ("string", b'"c1"'),
    ("number", b"7"),
    ("empty-object", b"{}"),
    ("no-campaign", b'{"step": "intake", "key": "k"}'),
    ("campaign-null", b'{"campaign_id": null, "step": "intake"}'),
    ("payload-list", b'{"campaign_id": "c1", "step": "intake", "payload": [1, 2]}'),
    ("attempt-text", b'{"campaign_id": "c1", "step": "intake", "attempt": "many"}'),
    ("step-mismatch", b'{"campaign_id": "c1", "step": "render", "key": "k"}'),
    ("not-utf8", b'{"campaign_id": "\xff\xfe", "step": "intake"}'),
    ("binary", b"\x00\x01\x02\x03"),
    ("deep", b"[" * 100_000 + b"]" * 100_000),
    ("unknown-campaign", GOOD),
    (
        "unknown-campaign-unicode",
        json.dumps({"campaign_id": "c-\u202e\U0001f525", "step": "intake"}).encode(),
    ),
    (
        "huge-key",
        json.dumps({"campaign_id": "c-none", "step": "intake", "key": "k" * 100_000}).encode(),
    ),
    ("campaign-with-slash", b'{"campaign_id": "x/y", "step": "intake", "key": "k"}'),
]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            b,
            id=n,
        )
        for n, b in BODIES
    ],
)
def test_bodies_that_are_not_a_runnable_task_are_4xx_and_write_nothing(
    tasks: Any, body: bytes
) -> None:
    client, home = tasks
    before = state_counts(home)
    answer = client.post("/tasks/intake", data=body, headers={"Authorization": f"Bearer {TOKEN}"})
    _check(answer, (400, 404, 422))
    assert state_counts(home) == before


@pytest.mark.parametrize("step", ["nope", "INTAKE", "intake.json", "%2e%2e", "a" * 300, "\u202e"])
def test_unknown_steps_are_404(tasks: Any, step: str) -> None:
    client, home = tasks
    before = state_counts(home)
    body = json.dumps({"campaign_id": "c-none", "step": step, "key": "k"}).encode()
    answer = client.post(f"/tasks/{step}", data=body, headers={"Authorization": f"Bearer {TOKEN}"})
    # "%2e%2e" arrives as "..", so the body's step no longer matches the route: 422.
    _check(answer, (404, 422))
    assert state_counts(home) == before


def test_a_task_route_answers_only_post(tasks: Any) -> None:
    client, _ = tasks
    answer = client.get("/tasks/intake", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 405 and "Traceback" not in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("step", "payload"),
    [
        ("tag", {}),
        ("tag", {"label": "A", "user": "U1", "reaction": ["x"], "channel": "C", "ts": "1.0"}),
        ("regenerate", {"label": "A", "user": "U1"}),
        ("export", {"platform": "meta"}),
        ("loop_meta_report", {"report_run_id": 7}),
    ],
)
def test_a_feedback_task_without_its_payload_is_bad_input_not_a_crash(
    tasks: tuple[FlaskClient, Path], step: str, payload: dict[str, Any]
) -> None:
    from shared.bootstrap import bootstrap
    from shared.models import Brief
    from shared.models.campaign import Campaign
    from shared.pipeline.store import marker_path
    from shared.ports.queue import Task

    client, home = tasks
    services = bootstrap(Settings(home=home))  # the runtime's own state, as `adloop` sees it
    brief = Brief(product="Kettle", offer="10% off", persona="tea lovers", market="US")
    campaign = Campaign(id="cpayload", brief=brief).model_dump(mode="json")
    services.documents.set("campaigns/cpayload", campaign)
    task = Task("cpayload", step, uuid.uuid4().hex[:8], payload=payload)
    answer = client.post(
        f"/tasks/{step}",
        data=json.dumps(task.to_doc()),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    _check(answer, (400,))
    assert "payload" in answer.get_json()["error"]
    assert services.documents.get(marker_path(task)) is not None  # recorded, not retried
    services.close()


NUMBERS = [
    # (id, body, the field the answer must name): each was a 500 (OverflowError) or stored.
    (
        "attempt-1e400",
        b'{"campaign_id": "c1", "step": "intake", "key": "k", "attempt": 1e400}',
        "attempt",
    ),
    (
        "attempt-nan",
        b'{"campaign_id": "c1", "step": "intake", "key": "k", "attempt": NaN}',
        "attempt",
    ),
    (
        "attempt-infinity",
        b'{"campaign_id": "c1", "step": "intake", "attempt": -Infinity}',
        "attempt",
    ),
    (
        "attempt-4000-digits",
        b'{"campaign_id": "c1", "step": "intake", "attempt": ' + b"7" * 4000 + b"}",
        "attempt",
    ),
    (
        "attempt-5000-digits",
        b'{"campaign_id": "c1", "step": "intake", "attempt": ' + b"7" * 5000 + b"}",
        "attempt",
    ),
    (
        "payload-infinity",
        b'{"campaign_id": "c1", "step": "intake", "payload": {"n": [1, Infinity]}}',
        "payload.n[1]",
    ),
    (
        "duplicate-key",
        b'{"campaign_id": "c1", "campaign_id": "c2", "step": "intake"}',
        "campaign_id",
    ),
]


@pytest.mark.parametrize(("body", "field"), [pytest.param(b, f, id=n) for n, b, f in NUMBERS])
def test_numbers_outside_the_policy_are_422_naming_the_field(
    tasks: Any, body: bytes, field: str
) -> None:
    client, home = tasks
    before = state_counts(home)
    answer = client.post("/tasks/intake", data=body, headers={"Authorization": f"Bearer {TOKEN}"})
    _check(answer, (422,))
    assert field in answer.get_json()["error"]
    assert state_counts(home) == before
