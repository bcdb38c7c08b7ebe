"""Shared pieces for the hostile-input suite: a Slack-configured embedded runtime, document
counts (to prove a refused request wrote nothing) and the checks every answer must pass."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.bot.conftest import Bot, start_bot
from tests.fakes.slack_api import FakeSlackAPI
from tests.render.conftest import assets as assets  # the render tests' asset folder fixture

# Collections a refused request must never add to (the brief's "nothing half-written").
STATE = ("campaigns", "creatives", "blueprints", "videos", "performance", "snapshots", "audit")


def document_counts(home: Path) -> dict[str, int]:
    """Documents per collection (subcollections by their last name: ``creatives``) in SQLite."""
    db = home / "state.db"
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT collection, COUNT(*) FROM documents GROUP BY collection")
        counts: dict[str, int] = {}
        for collection, n in rows:
            name = str(collection).rsplit("/", 1)[-1]
            counts[name] = counts.get(name, 0) + int(n)
    return counts


def state_counts(home: Path) -> dict[str, int]:
    counts = document_counts(home)
    return {name: counts.get(name, 0) for name in STATE}


def assert_clean_refusal(response: httpx.Response, *, allowed: tuple[int, ...] = ()) -> None:
    """A 4xx (or one of ``allowed``), never a 5xx, never a stack trace in the body."""
    text = response.text
    assert "Traceback" not in text and 'File "' not in text, text[:500]
    if response.status_code not in allowed:
        assert 400 <= response.status_code < 500, (response.status_code, text[:300])


@pytest.fixture(scope="module")
def slack_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """One bot for a module's many small requests (none of them may change its state)."""
    with FakeSlackAPI(usergroups={"S0REVIEWERS": ["U0INGROUP"]}) as fake:
        bot = start_bot(tmp_path_factory.mktemp("hostile-slack"), fake)
        yield bot
        bot.http.close()
        bot.runtime.stop()
