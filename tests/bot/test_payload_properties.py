"""The readers of what Slack (or anyone with the signing secret) sends: whatever the payload's
shape, each answers a task, nothing (``None``) or its own clear error, never another exception
(issue 13, "Also": property tests for every parser an outsider can reach)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.brief_text import parse_brief
from bot.events import reaction_task, reply_task
from bot.export_action import export_task
from bot.modal import channel_of, field_errors, fields_from_state
from shared.bootstrap import bootstrap
from shared.models import Brief
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings

SHORT = settings(max_examples=200, deadline=None)
KEYS = st.sampled_from(
    ["type", "item", "channel", "ts", "thread_ts", "user", "text", "reaction", "bot_id", "subtype"]
    + ["actions", "action_id", "value", "container", "channel_id", "message_ts", "message", "id"]
    + ["trigger_id", "action_ts", "selected_options", "selected_option", "adloop_field", "x"]
)
LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.sampled_from(["message", "C0CAMPAIGN", "1700000000.000001", "trophy", "x/y:z", "..", ""]),
)
JSON = st.recursive(
    LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=25,
)
OBJECT = st.dictionaries(KEYS, JSON, max_size=8)


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    home: Path = tmp_path_factory.mktemp("payloads")
    made = bootstrap(Settings(home=home, llm="offline", log_level="WARNING"))
    yield made
    made.close()


@SHORT
@given(OBJECT, st.text(max_size=30), st.booleans())
def test_any_reaction_event_is_a_tag_task_or_nothing(
    services: Services, event: dict[str, Any], event_id: str, added: bool
) -> None:
    assert reaction_task(services, event, event_id, added=added) is None  # no creative is indexed


@SHORT
@given(OBJECT, st.text(max_size=30))
def test_any_message_event_is_a_rewrite_task_or_nothing(
    services: Services, event: dict[str, Any], event_id: str
) -> None:
    assert reply_task(services, event, event_id) is None


@SHORT
@given(OBJECT)
def test_any_block_action_is_an_export_task_or_nothing(body: dict[str, Any]) -> None:
    task = export_task(body)
    assert task is None or isinstance(task, Task)


@SHORT
@given(st.dictionaries(st.text(max_size=12), JSON, max_size=6))
def test_any_form_state_is_fields_the_brief_accepts_or_names(values: dict[str, Any]) -> None:
    fields = fields_from_state(values)
    try:
        Brief.model_validate(fields)
    except ValidationError as e:
        assert field_errors(e)  # each problem shown under its input, never a crash


@SHORT
@given(st.text(max_size=300))
def test_any_private_metadata_is_a_channel_and_user(meta: str) -> None:
    channel, user = channel_of(meta)
    assert isinstance(channel, str) and isinstance(user, str)


@SHORT
@given(st.text(max_size=2000))
def test_any_one_line_brief_is_a_brief_or_its_problems(text: str) -> None:
    brief, problems = parse_brief(text)
    assert (brief is None) == bool(problems)
