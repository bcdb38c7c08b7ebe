"""The task decoder (``shared.task_endpoint._decode``), whatever the body: a task the runner
can act on and the store can hold, or a 4xx PermanentError saying why; never another exception
(issue 13, "Also": property tests for every parser an outsider can reach)."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from shared.errors import PermanentError
from shared.ports.documents import check_storable
from shared.task_endpoint import _decode
from tests.hostile.strategies import LEAF, NUMBER, SHORT, damaged, objects, to_text, values

FIELDS = ["campaign_id", "step", "key", "payload", "attempt", "queue"]
KEYS = st.sampled_from([*FIELDS, "report_run_id", "x", ""])
TASK = objects(
    {
        "campaign_id": st.one_of(st.sampled_from(["c1", "c-none", "x/y", "", "é"]), LEAF),
        "step": st.sampled_from(["intake", "intake", "render", ""]) | LEAF,
        "key": st.one_of(st.text(max_size=20), LEAF),
        "payload": values(KEYS),
        "attempt": NUMBER,
        "queue": LEAF,
    },
    required=("campaign_id", "step"),
)
BODIES = st.one_of(
    TASK.map(to_text).map(str.encode),
    damaged(TASK.map(to_text)).map(str.encode),
    values(KEYS).map(to_text).map(str.encode),
    st.binary(max_size=200),
)


@SHORT
@given(BODIES)
def test_a_task_body_is_a_runnable_task_or_a_4xx(body: bytes) -> None:
    try:
        task = _decode("intake", body)
    except PermanentError as e:
        assert 400 <= e.status < 500 and str(e)
        return
    assert task.step == "intake" and "/" not in task.key
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", task.campaign_id)
    assert isinstance(task.attempt, int)
    check_storable("tasks/t", task.to_doc())  # what passes the boundary can be stored
    again = _decode("intake", task.body())  # the body the queue sends for it reads the same
    assert (again, again.payload) == (replace(task, queue=again.queue), task.payload)
